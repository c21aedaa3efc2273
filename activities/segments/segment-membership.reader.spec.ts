import { slotGroup, userSlot } from '../../libs/domain/user-slots';
import { SegmentHeadDoc, SegmentHeadsRepository } from '../../libs/persistence/segment-heads.repository';
import { SegmentMemberBucketsRepository } from '../../libs/persistence/segment-member-buckets.repository';
import { StoredSegmentMembership } from './segment-membership.reader';

describe('StoredSegmentMembership', () => {
  it('reads the head again when the cached one names a bucket retention deleted since', async () => {
    const g = slotGroup(userSlot('u-1'));
    const headAt = (version: number) => ({ _id: 's_a', version, groups: Object.assign(new Array<number>(64).fill(0), { [g]: version }) }) as unknown as SegmentHeadDoc;
    let current = headAt(1);
    const stored = new Map<string, string[]>([[`1:${g}`, []]]);
    const heads = { get: async () => current } as unknown as SegmentHeadsRepository;
    const buckets = {
      members: async (_s: string, version: number, group: number) => {
        const ids = stored.get(`${version}:${group}`);
        if (!ids) throw new Error(`the bucket of group ${group} at version ${version} is missing`);
        return ids;
      },
    } as unknown as SegmentMemberBucketsRepository;
    const membership = new StoredSegmentMembership(heads, buckets);
    // A user of another group: the head (version 1) is read and cached, no bucket is.
    const other = Array.from({ length: 1000 }, (_, i) => `o-${i}`).find((u) => slotGroup(userSlot(u)) !== g)!;
    expect(await membership.memberOf(other, ['s_a'])).toEqual(new Set());

    // Version 2 adds u-1 and its commit deletes the version-1 bucket (no grace); the cached head still names it.
    current = headAt(2);
    stored.set(`2:${g}`, ['u-1']);
    stored.delete(`1:${g}`);
    expect(await membership.memberOf('u-1', ['s_a'])).toEqual(new Set(['s_a']));
  });
});
