import { priorSampleSlots } from './prior-sample';

describe('priorSampleSlots', () => {
  it('reads the whole population when it is small', () => {
    expect(priorSampleSlots(15_000)).toEqual([{ fromSlot: 0, toSlot: 1024, users: 15_000, read: 'whole' }]);
  });

  it('reads evenly spread single slots adding up to about the sample size', () => {
    const parts = priorSampleSlots(1_000_000);
    expect(parts).toHaveLength(21);
    expect(parts.every((p) => p.read === 'slots' && p.toSlot === p.fromSlot + 1)).toBe(true);
    expect(new Set(parts.map((p) => p.fromSlot)).size).toBe(21);
    expect(parts[0].fromSlot).toBe(0);
    expect(parts[20].fromSlot).toBeGreaterThan(950);
    const users = parts.reduce((n, p) => n + p.users, 0);
    expect(users).toBeGreaterThanOrEqual(20_000);
    expect(users).toBeLessThan(21_000);
  });
});
