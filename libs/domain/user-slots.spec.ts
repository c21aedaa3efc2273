import { slotGroup, slotPartitions, SLOTS_PER_GROUP, USER_SLOTS } from './user-slots';

const perUnit = (users: number, mode: 'groups' | 'slots') => Math.ceil((users / USER_SLOTS) * (mode === 'groups' ? SLOTS_PER_GROUP : 1));

describe('slot partitions', () => {
  it('reads a small population whole, in one partition', () => {
    expect(slotPartitions(3000, 50_000)).toEqual([{ fromSlot: 0, toSlot: USER_SLOTS, users: 3000, read: 'whole' }]);
  });

  it('cuts larger ones into contiguous, covering partitions of at most the bound, by slot group up to 64 partitions', () => {
    for (const [users, mode] of [[100_000, 'groups'], [1_000_000, 'groups'], [3_200_000, 'groups'], [10_000_000, 'slots']] as const) {
      const parts = slotPartitions(users, 50_000);
      expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(users / 50_000));
      expect(parts.length).toBeLessThanOrEqual(Math.ceil(users / 50_000) * 1.5);
      expect(parts[0].fromSlot).toBe(0);
      expect(parts[parts.length - 1].toSlot).toBe(USER_SLOTS);
      parts.forEach((p, k) => {
        expect(p.read).toBe(mode);
        if (k > 0) expect(p.fromSlot).toBe(parts[k - 1].toSlot);
        if (mode === 'groups') expect([p.fromSlot % SLOTS_PER_GROUP, p.toSlot % SLOTS_PER_GROUP]).toEqual([0, 0]);
        expect(p.users).toBeLessThanOrEqual(50_000);
        // Even: no partition much smaller than the others.
        expect(p.users).toBeGreaterThanOrEqual(Math.min(...parts.map((q) => q.users)));
        expect(Math.max(...parts.map((q) => q.users)) - Math.min(...parts.map((q) => q.users))).toBeLessThanOrEqual(perUnit(users, mode));
      });
    }
  });

  it('balances a population just over the bound into two even halves', () => {
    expect(slotPartitions(52_357, 50_000).map((p) => [p.fromSlot, p.toSlot])).toEqual([
      [0, 512],
      [512, 1024],
    ]);
  });

  it('groups consecutive slots', () => {
    expect([slotGroup(0), slotGroup(15), slotGroup(16), slotGroup(USER_SLOTS - 1)]).toEqual([0, 0, 1, 63]);
  });
});
