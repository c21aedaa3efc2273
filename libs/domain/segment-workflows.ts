import type { ControlGroupAssignment } from './control-group';
import type { SlotPartition } from './user-slots';

/**
 * The contract between the API, the rescore hook and the per-segment workflow (`segment/<segmentId>`):
 * anything that may change a segment's members signals it (signal-with-start) with why; signals that
 * arrive while an evaluation runs are coalesced into the next one.
 */
export const SEGMENT_WORKFLOW_TYPE = 'segmentMembership';
export const REEVALUATE_SEGMENT_SIGNAL = 'reevaluateSegment';

export type ReevaluationReason = 'created' | 'updated' | 'deleted' | 'manual' | 'rescore' | 'ingestion' | 'controlGroup' | 'segments' | 'clock';

export interface Reevaluation {
  reason: ReevaluationReason;
  /** rescore: the prediction and its new score set. */
  predictionId?: string;
  scoreSetId?: string;
  /** segments: the segment whose membership changed. */
  segmentId?: string;
}

export interface SegmentWorkflowInput {
  segmentId: string;
  /** Carried over continueAsNew: signals not yet served, and the refresh period the last plan set. */
  pending?: Reevaluation[];
  refreshMinutes?: number | null;
}

export interface SegmentWorkflowResult {
  segmentId: string;
  /** Why it ended: the segment was deleted. */
  ended: 'deleted';
  version: number;
}

/** A score set every partition of one evaluation reads (resolved once, so all partitions agree). */
export interface SegmentScoreSource {
  predictionId: string;
  key: string;
  collectionName: string;
  /** Users scored in the set. */
  users: number;
  /** The set's percentile cut points (absent: percentile conditions cannot be evaluated). */
  percentiles?: number[];
}

/** Another segment's materialised members a definition reads: which stored version holds each group. */
export interface SegmentMembershipSource {
  segmentId: string;
  version: number;
  groups: number[];
}

/**
 * What one evaluation reads, resolved by the plan and passed to every partition: the definition
 * revision, the score sets, other segments' versions and the control group, all as of `now`.
 */
export interface SegmentEvaluationContext {
  segmentId: string;
  definitionRevision: number;
  now: number;
  scoreSets: SegmentScoreSource[];
  memberships: SegmentMembershipSource[];
  controlGroup: ControlGroupAssignment | null;
  /**
   * `scores`: only users with a score can match, so a partition reads the score sets alone (no user
   * records); `records`: the partition reads the user records (profile, events, or a definition a
   * user without scores can match).
   */
  population: 'scores' | 'records';
  windowsDays: number[];
}

export interface SegmentEvaluationPlan {
  /** null: the segment was deleted (or never existed); the workflow ends. */
  context: SegmentEvaluationContext | null;
  /** The materialised version the evaluation starts from, and which version holds each slot group. */
  previous: { version: number; groups: number[]; counts: number[] };
  partitions: SlotPartition[];
  /**
   * An earlier build of the same version may have stored buckets (it was planned and never
   * committed, or this is the first evaluation): partitions then look for them before deciding a group
   * is unchanged. Otherwise they skip that read (one query per group).
   */
  recheckStored: boolean;
  /** Re-evaluate after this many minutes without a signal (time-relative or ingestion-fed segments); null: only on signals. */
  refreshMinutes: number | null;
}

/** One slot group's outcome in an evaluation. */
export interface GroupOutcome {
  group: number;
  /** Members of the group after the evaluation. */
  count: number;
  /** The group's members changed: stored under the new version. */
  changed: boolean;
  entered: number;
  left: number;
}

export interface PartitionOutcome {
  groups: GroupOutcome[];
  scanned: number;
}

export interface SegmentCommit {
  segmentId: string;
  /** The version now current (unchanged when no group changed). */
  version: number;
  changed: boolean;
  size: number;
  entered: number;
  left: number;
}

export type { SlotPartition };
