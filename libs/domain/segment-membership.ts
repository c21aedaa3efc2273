/**
 * Materialised membership of a segment: each change of its member set makes a new version, and every
 * user who entered or left is told once, with that version (journeys subscribe to these).
 */
export interface SegmentMembershipChange {
  segmentId: string;
  /** The version the change leads to (previousVersion + 1). */
  version: number;
  previousVersion: number;
  /** User ids, ascending (code-unit order). */
  entered: string[];
  left: string[];
}

/** One user's side of a change, as emitted to subscribers. */
export interface SegmentMembershipEvent {
  segmentId: string;
  userId: string;
  change: 'entered' | 'left';
  version: number;
}
