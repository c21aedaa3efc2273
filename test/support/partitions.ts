import { SlotPartition, USER_SLOTS } from '../../libs/domain/user-slots';

/** Every slot, read slot by slot (the path large populations take). */
export const ALL_SLOTS_PARTITION: SlotPartition = { fromSlot: 0, toSlot: USER_SLOTS, users: 0, read: 'slots' };
