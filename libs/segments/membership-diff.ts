import { SegmentMembershipChange, SegmentMembershipEvent } from '../domain/segment-membership';

/** Distinct ids in ascending code-unit order: the one form member lists are kept and compared in. */
export function sortedMembers(ids: Iterable<string>): string[] {
  // Sort, then drop adjacent repeats: half the time of a Set of a million strings, then a sort.
  const sorted = [...ids].sort();
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[kept - 1]) sorted[kept++] = sorted[i];
  sorted.length = kept;
  return sorted;
}

/** Who entered and who left between two ascending member lists, by one merge (no Set of a million ids). */
export function diffSortedMembers(previous: readonly string[], next: readonly string[]): { entered: string[]; left: string[] } {
  checkAscending(previous, 'previous');
  checkAscending(next, 'next');
  const entered: string[] = [];
  const left: string[] = [];
  let i = 0;
  let j = 0;
  while (i < previous.length && j < next.length) {
    if (previous[i] === next[j]) {
      i++;
      j++;
    } else if (previous[i] < next[j]) left.push(previous[i++]);
    else entered.push(next[j++]);
  }
  while (i < previous.length) left.push(previous[i++]);
  while (j < next.length) entered.push(next[j++]);
  return { entered, left };
}

/**
 * The change from the previous materialised version to a newly computed member list, or null when
 * the members are the same (the version number then stays: a version is a distinct member set).
 */
export function membershipChange(segmentId: string, previous: { version: number; members: readonly string[] }, next: readonly string[]): SegmentMembershipChange | null {
  const { entered, left } = diffSortedMembers(previous.members, next);
  return changeOf(segmentId, previous.version, entered, left);
}

export function changeOf(segmentId: string, previousVersion: number, entered: string[], left: string[]): SegmentMembershipChange | null {
  if (entered.length === 0 && left.length === 0) return null;
  return { segmentId, previousVersion, version: previousVersion + 1, entered, left };
}

/** One event per user who entered or left (what subscribers such as journeys receive). */
export function membershipEvents(change: SegmentMembershipChange): SegmentMembershipEvent[] {
  const { segmentId, version } = change;
  return [
    ...change.entered.map((userId) => ({ segmentId, userId, change: 'entered' as const, version })),
    ...change.left.map((userId) => ({ segmentId, userId, change: 'left' as const, version })),
  ];
}

function checkAscending(ids: readonly string[], which: string): void {
  for (let k = 1; k < ids.length; k++) {
    if (!(ids[k - 1] < ids[k])) throw new Error(`diffSortedMembers: the ${which} members must be distinct and ascending (see sortedMembers); at ${k}: ${JSON.stringify(ids[k - 1])} then ${JSON.stringify(ids[k])}`);
  }
}
