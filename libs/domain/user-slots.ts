/**
 * Users are spread over a fixed number of hash slots (FNV-1a of the user id): a population pass
 * reads slot by slot, each an equality lookup the store can index, and every record of one user is
 * in the same slot. 1024 slots keep a slot near 1,000 users at a million users.
 */
export const USER_SLOTS = 1024;

export function userSlot(userId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % USER_SLOTS;
}

/** Hash slots [fromSlot, toSlot) of the user base, handled by one activity of a population pass. */
export interface SlotPartition {
  fromSlot: number;
  toSlot: number;
  /** Estimated users (from a count of records, which is at least the users). */
  users: number;
  /** The population is small enough to be read in one query instead of one per slot. */
  whole: boolean;
}

/**
 * Contiguous slot ranges of about `maxUsers` estimated users each, so no activity's work or memory
 * grows with the user count; a population that fits in one partition is read whole.
 */
export function slotPartitions(totalUsers: number, maxUsers: number): SlotPartition[] {
  const count = Math.min(USER_SLOTS, Math.max(1, Math.ceil(totalUsers / maxUsers)));
  if (count === 1) return [{ fromSlot: 0, toSlot: USER_SLOTS, users: totalUsers, whole: true }];
  return Array.from({ length: count }, (_, k) => {
    const fromSlot = Math.floor((k * USER_SLOTS) / count);
    const toSlot = Math.floor(((k + 1) * USER_SLOTS) / count);
    return { fromSlot, toSlot, users: Math.round((totalUsers * (toSlot - fromSlot)) / USER_SLOTS), whole: false };
  });
}
