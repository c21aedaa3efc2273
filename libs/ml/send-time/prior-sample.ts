import { SlotPartition, USER_SLOTS } from '../../domain/user-slots';

/** Users the population prior is fitted on at most. */
export const PRIOR_SAMPLE_USERS = 20_000;

/**
 * The slots to read for fitting the population prior: the whole population when it is small, else
 * single slots spread evenly over the hash space (a user's slot is a hash of the id, so any slot is
 * a random sample), about `maxUsers` users in all.
 */
export function priorSampleSlots(totalUsers: number, maxUsers = PRIOR_SAMPLE_USERS): SlotPartition[] {
  if (totalUsers <= maxUsers) return [{ fromSlot: 0, toSlot: USER_SLOTS, users: totalUsers, read: 'whole' }];
  const slots = Math.max(1, Math.ceil((USER_SLOTS * maxUsers) / totalUsers));
  return Array.from({ length: slots }, (_, k) => {
    const slot = Math.floor((k * USER_SLOTS) / slots);
    return { fromSlot: slot, toSlot: slot + 1, users: Math.round(totalUsers / USER_SLOTS), read: 'slots' as const };
  });
}
