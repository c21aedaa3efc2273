import { SegmentDefinition } from '../domain/segment-definition';
import { SlotPartition, slotGroup, SLOTS_PER_GROUP, slotPartitions, userSlot } from '../domain/user-slots';
import { compileEvaluator } from './compile-segment';
import { dependencies } from './dependencies';

/**
 * Partitions of a segment evaluation: as a rescore cuts the users (at most about `maxUsers` each), but
 * always whole slot groups, because materialised members are stored per slot group. Beyond 3.2M users
 * (where a rescore reads slot by slot) each partition is one group, read slot by slot.
 */
export function segmentPartitions(totalUsers: number, maxUsers: number): SlotPartition[] {
  const partitions = slotPartitions(totalUsers, maxUsers);
  if (partitions[0].read !== 'slots') return partitions;
  const perGroup = Math.round((totalUsers / (partitions.at(-1)!.toSlot - partitions[0].fromSlot)) * SLOTS_PER_GROUP);
  const groups = Math.ceil(partitions.at(-1)!.toSlot / SLOTS_PER_GROUP);
  return Array.from({ length: groups }, (_, g) => ({ fromSlot: g * SLOTS_PER_GROUP, toSlot: (g + 1) * SLOTS_PER_GROUP, users: perGroup, read: 'slots' as const }));
}

/** The slot groups a partition of whole groups covers, ascending. */
export function groupsOf(partition: Pick<SlotPartition, 'fromSlot' | 'toSlot'>): number[] {
  const from = Math.floor(partition.fromSlot / SLOTS_PER_GROUP);
  const to = Math.ceil(partition.toSlot / SLOTS_PER_GROUP);
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/**
 * Whether only users with a score in some prediction the definition reads can be members, so an
 * evaluation may enumerate the score sets instead of the user records (the fast path on FerretDB:
 * one equality read of each set per slot group). True when the definition reads nothing but
 * scores (and the control group flag), and a user without any score matches in neither control group state.
 */
export function onlyScoredUsersMatch(definition: SegmentDefinition): boolean {
  const d = dependencies(definition);
  if (d.predictions.length === 0 || d.subjectParts.some((p) => p !== 'scores' && p !== 'controlGroup')) return false;
  const evaluate = compileEvaluator(definition, '(probe)');
  const unscored = (inControlGroup: boolean) => evaluate({ userId: '', now: 0, scores: {}, inControlGroup }, () => false);
  return !unscored(true) && !unscored(false);
}

/**
 * A partition's users regrouped by slot group, from a scan that yields batches (the whole partition,
 * a group, or a slot at a time; `slot` = every slot up to it has been read): each group of the
 * partition once, in order, as soon as its last slot is read, users ascending by id.
 */
export async function* usersByGroup<U extends { userId: string }>(
  batches: AsyncIterable<{ slot: number; users: U[] }>,
  partition: Pick<SlotPartition, 'fromSlot' | 'toSlot'>,
): AsyncGenerator<{ group: number; users: U[] }> {
  const groups = groupsOf(partition);
  const pending = new Map<number, U[]>();
  let next = 0;
  const take = (g: number) => {
    const users = (pending.get(g) ?? []).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    pending.delete(g);
    return { group: g, users };
  };
  for await (const batch of batches) {
    for (const u of batch.users) {
      const g = slotGroup(userSlot(u.userId));
      const list = pending.get(g);
      if (list) list.push(u);
      else pending.set(g, [u]);
    }
    // The groups whose last slot is read are complete.
    for (; next < groups.length && (groups[next] + 1) * SLOTS_PER_GROUP - 1 <= batch.slot; next++) yield take(groups[next]);
  }
  for (; next < groups.length; next++) yield take(groups[next]);
}
