import { diffSortedMembers, membershipChange, membershipEvents, sortedMembers } from './membership-diff';

describe('membership diff', () => {
  it('sorts and dedupes member lists', () => {
    expect(sortedMembers(['b', 'a', 'c', 'a', 'a', 'b'])).toEqual(['a', 'b', 'c']);
    expect(sortedMembers([])).toEqual([]);
  });

  it('finds who entered and who left by one merge', () => {
    expect(diffSortedMembers(['a', 'c', 'd', 'f'], ['b', 'c', 'e', 'f', 'g'])).toEqual({ entered: ['b', 'e', 'g'], left: ['a', 'd'] });
    expect(diffSortedMembers([], ['a'])).toEqual({ entered: ['a'], left: [] });
    expect(diffSortedMembers(['a'], [])).toEqual({ entered: [], left: ['a'] });
  });

  it('agrees with a set difference on random lists', () => {
    let seed = 7;
    const rand = () => (seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 50; trial++) {
      const universe = Array.from({ length: 200 }, (_, i) => `u${i}`);
      const prev = universe.filter(() => rand() < 0.5);
      const next = universe.filter(() => rand() < 0.5);
      const d = diffSortedMembers(sortedMembers(prev), sortedMembers(next));
      expect(d.entered).toEqual(sortedMembers(next.filter((id) => !prev.includes(id))));
      expect(d.left).toEqual(sortedMembers(prev.filter((id) => !next.includes(id))));
    }
  });

  it('refuses lists that are not distinct and ascending (a silent wrong diff otherwise)', () => {
    expect(() => diffSortedMembers(['b', 'a'], [])).toThrow('the previous members must be distinct and ascending (see sortedMembers); at 1: "b" then "a"');
    expect(() => diffSortedMembers([], ['a', 'a'])).toThrow('the next members must be distinct and ascending');
  });

  it('makes a new version only when the members changed, and one event per user', () => {
    expect(membershipChange('s1', { version: 4, members: ['a', 'b'] }, ['a', 'b'])).toBeNull();
    const change = membershipChange('s1', { version: 4, members: ['a', 'b'] }, ['b', 'c'])!;
    expect(change).toEqual({ segmentId: 's1', previousVersion: 4, version: 5, entered: ['c'], left: ['a'] });
    expect(membershipEvents(change)).toEqual([
      { segmentId: 's1', userId: 'c', change: 'entered', version: 5 },
      { segmentId: 's1', userId: 'a', change: 'left', version: 5 },
    ]);
    expect(membershipChange('s1', { version: 0, members: [] }, ['x'])).toMatchObject({ previousVersion: 0, version: 1, entered: ['x'] });
  });
});
