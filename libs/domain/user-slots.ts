/**
 * Users are spread over a fixed number of hash slots (FNV-1a of the user id), and slots over 64
 * groups of 16: a population pass reads group by group (or slot by slot at more than 3.2 million
 * users), each an equality lookup the store can index, and every record of one user is in the same
 * slot. FerretDB spends ~10-20 ms on a query before its first document (measured), so a pass makes
 * as few queries as its memory bound allows: 64 at up to 3.2M users.
 */
export const USER_SLOTS = 1024;
export const SLOTS_PER_GROUP = 16;
export const SLOT_GROUPS = USER_SLOTS / SLOTS_PER_GROUP;

export function userSlot(userId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % USER_SLOTS;
}

export function slotGroup(slot: number): number {
  return Math.floor(slot / SLOTS_PER_GROUP);
}

/**
 * Hash slots [fromSlot, toSlot) of the user base, handled by one activity of a population pass, and
 * how to read them: in one query (`whole`: the population is small), a query per slot group, or a
 * query per slot.
 */
export interface SlotPartition {
  fromSlot: number;
  toSlot: number;
  /** Estimated users (from a count of records, which is at least the users). */
  users: number;
  read: 'whole' | 'groups' | 'slots';
}

/**
 * Contiguous slot ranges of at most about `maxUsers` estimated users each, as even as the unit
 * allows, so no activity's work or memory grows with the user count: the whole population in one
 * query when it fits, else whole slot groups, else single slots (more than 3.2M users at 50k).
 */
export function slotPartitions(totalUsers: number, maxUsers: number): SlotPartition[] {
  if (totalUsers <= maxUsers) return [{ fromSlot: 0, toSlot: USER_SLOTS, users: totalUsers, read: 'whole' }];
  const perSlot = totalUsers / USER_SLOTS;
  const byGroup = perSlot * SLOTS_PER_GROUP <= maxUsers;
  const unit = byGroup ? SLOTS_PER_GROUP : 1;
  const units = USER_SLOTS / unit;
  const count = Math.ceil(units / Math.max(1, Math.floor(maxUsers / (perSlot * unit))));
  return Array.from({ length: count }, (_, k) => {
    const fromSlot = Math.floor((k * units) / count) * unit;
    const toSlot = Math.floor(((k + 1) * units) / count) * unit;
    return { fromSlot, toSlot, users: Math.round(perSlot * (toSlot - fromSlot)), read: byGroup ? 'groups' : 'slots' };
  });
}
