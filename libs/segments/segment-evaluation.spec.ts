import { SegmentDefinition } from '../domain/segment-definition';
import { slotGroup, USER_SLOTS, userSlot } from '../domain/user-slots';
import { groupsOf, onlyScoredUsersMatch, segmentPartitions, usersByGroup } from './segment-evaluation';

describe('segmentPartitions', () => {
  it('is the whole population in one read when it is small, whole groups otherwise', () => {
    expect(segmentPartitions(10_000, 50_000)).toEqual([{ fromSlot: 0, toSlot: USER_SLOTS, users: 10_000, read: 'whole' }]);
    const parts = segmentPartitions(1_000_000, 50_000);
    expect(parts.every((p) => p.read === 'groups' && p.fromSlot % 16 === 0 && p.toSlot % 16 === 0)).toBe(true);
    expect(parts[0].fromSlot).toBe(0);
    expect(parts.at(-1)!.toSlot).toBe(USER_SLOTS);
  });

  it('cuts beyond 3.2M users into one partition per group, read slot by slot', () => {
    const parts = segmentPartitions(5_000_000, 50_000);
    expect(parts).toHaveLength(64);
    expect(parts[3]).toMatchObject({ fromSlot: 48, toSlot: 64, read: 'slots' });
    expect(parts.flatMap(groupsOf)).toEqual(Array.from({ length: 64 }, (_, g) => g));
  });
});

describe('onlyScoredUsersMatch', () => {
  const score: SegmentDefinition = { type: 'predictionScore', predictionId: 'p_1', min: 50, max: 100 };
  it('holds for score conditions, also beside the control group', () => {
    expect(onlyScoredUsersMatch(score)).toBe(true);
    expect(onlyScoredUsersMatch({ type: 'and', conditions: [score, { type: 'controlGroup', negate: true }] })).toBe(true);
  });
  it('fails when a user without a score can match, or other data is read', () => {
    expect(onlyScoredUsersMatch({ ...score, negate: true })).toBe(false);
    expect(onlyScoredUsersMatch({ type: 'or', conditions: [score, { type: 'controlGroup' }] })).toBe(false);
    expect(onlyScoredUsersMatch({ type: 'and', conditions: [score, { type: 'attributeExists', attribute: 'x' }] })).toBe(false);
    expect(onlyScoredUsersMatch({ type: 'controlGroup' })).toBe(false);
  });
});

describe('usersByGroup', () => {
  const users = Array.from({ length: 2000 }, (_, i) => ({ userId: `u${i}` }));
  const slotOf = (u: { userId: string }) => userSlot(u.userId);
  async function* scan(from: number, to: number, unit: number) {
    for (let slot = from; slot < to; slot += unit) yield { slot: slot + unit - 1, users: users.filter((u) => slotOf(u) >= slot && slotOf(u) < slot + unit) };
  }
  const collect = async (it: AsyncIterable<{ group: number; users: { userId: string }[] }>) => {
    const out: { group: number; users: { userId: string }[] }[] = [];
    for await (const g of it) out.push(g);
    return out;
  };
  const expected = (from: number, to: number) =>
    groupsOf({ fromSlot: from, toSlot: to }).map((g) => ({ group: g, users: users.filter((u) => slotGroup(slotOf(u)) === g).sort((a, b) => (a.userId < b.userId ? -1 : 1)) }));

  it('gives every group of the partition once, in order, whether read whole, by group or by slot', async () => {
    expect(await collect(usersByGroup(scan(0, USER_SLOTS, USER_SLOTS), { fromSlot: 0, toSlot: USER_SLOTS }))).toEqual(expected(0, USER_SLOTS));
    expect(await collect(usersByGroup(scan(160, 320, 16), { fromSlot: 160, toSlot: 320 }))).toEqual(expected(160, 320));
    expect(await collect(usersByGroup(scan(48, 64, 1), { fromSlot: 48, toSlot: 64 }))).toEqual(expected(48, 64));
  });

  it('gives empty groups too (nothing read for them)', async () => {
    async function* nothing() {}
    expect((await collect(usersByGroup(nothing(), { fromSlot: 0, toSlot: 32 }))).map((g) => [g.group, g.users.length])).toEqual([[0, 0], [1, 0]]);
  });
});
