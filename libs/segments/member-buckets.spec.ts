import { diffPacked, memberBucket, packMembers, packedMembershipChange, unpackMembers } from './member-buckets';
import { diffSortedMembers, sortedMembers } from './membership-diff';

const ids = Array.from({ length: 5000 }, (_, i) => `user-${i}`);

describe('member buckets', () => {
  it('splits members by a stable hash into ascending lists, evenly', () => {
    const packed = packMembers(ids, 16);
    expect(packed.map((b) => b.bucket)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    for (const b of packed) {
      expect(b.ids).toEqual(sortedMembers(b.ids));
      expect(b.count).toBe(b.ids.length);
      expect(b.of).toBe(16);
      for (const id of b.ids) expect(memberBucket(id, 16)).toBe(b.bucket);
      // 312.5 expected per bucket, sd ~17: 5 sd.
      expect(Math.abs(b.count - 312.5)).toBeLessThan(90);
    }
    expect(unpackMembers(packed)).toEqual(sortedMembers(ids));
  });

  it('is deterministic: same members in any order, same buckets and digests', () => {
    expect(packMembers([...ids].reverse(), 16)).toEqual(packMembers(ids, 16));
    expect(memberBucket('user-1', 64)).toBe(memberBucket('user-1', 64));
  });

  it('changes the digest of exactly the buckets whose members changed', () => {
    const before = packMembers(ids, 16);
    const after = packMembers([...ids.slice(1), 'newcomer'], 16);
    const changed = before.filter((b, i) => b.digest !== after[i].digest).map((b) => b.bucket);
    expect(changed.sort()).toEqual([...new Set([memberBucket('user-0', 16), memberBucket('newcomer', 16)])].sort());
  });

  it('diffs like the flat lists do, skipping equal buckets', () => {
    const prev = ids.filter((_, i) => i % 3 !== 0);
    const next = [...ids.filter((_, i) => i % 5 !== 0), 'late-1', 'late-2'];
    const flat = diffSortedMembers(sortedMembers(prev), sortedMembers(next));
    expect(diffPacked(packMembers(prev, 32), packMembers(next, 32))).toEqual(flat);
    expect(diffPacked([], packMembers(next, 32))).toEqual({ entered: sortedMembers(next), left: [] });
    expect(packedMembershipChange('s', { version: 2, buckets: packMembers(prev, 32) }, packMembers(next, 32))).toMatchObject({ version: 3, ...flat });
    expect(packedMembershipChange('s', { version: 2, buckets: packMembers(prev, 32) }, packMembers([...prev].reverse(), 32))).toBeNull();
  });

  it('refuses to compare different bucket counts and absurd ones', () => {
    expect(() => diffPacked(packMembers(ids, 16), packMembers(ids, 32))).toThrow('both sides must use the same bucket count, got 16 and 32');
    expect(() => packMembers(ids, 0)).toThrow('bucket count must be 1-65536');
  });
});
