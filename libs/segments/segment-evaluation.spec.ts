import { SegmentDefinition } from '../domain/segment-definition';
import { USER_SLOTS } from '../domain/user-slots';
import { groupsOf, onlyScoredUsersMatch, segmentPartitions } from './segment-evaluation';

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
