import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { slotGroup, userSlot } from '../../libs/domain/user-slots';
import { SegmentHeadDoc, SegmentHeadsRepository } from '../../libs/persistence/segment-heads.repository';
import { SegmentMemberBucketsRepository } from '../../libs/persistence/segment-member-buckets.repository';
import { SEGMENT_MEMBERSHIP, SegmentMembership } from '../../libs/typology/typology-facts';

/** How long a segment's head (its current version) is trusted; buckets never change, so they are cached by id. */
const HEAD_TTL_MS = 30_000;
/** Buckets kept as Sets (at 1M members a bucket holds ~16k ids): about 64 segments' worth of one group each. */
const MAX_BUCKETS = 64;

/**
 * "Is this user in these segments?" for typology filtering rules (`SEGMENT_MEMBERSHIP`): the user's slot
 * group names the one bucket per segment to read (an `_id` lookup), at the segment's current version.
 * Heads are re-read every HEAD_TTL_MS; a bucket is immutable, so its Set is reused until evicted.
 */
@Injectable()
export class StoredSegmentMembership implements SegmentMembership {
  private readonly heads = new Map<string, { head: SegmentHeadDoc | null; at: number }>();
  private readonly buckets = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    @Inject(SegmentHeadsRepository) private readonly headsRepo: SegmentHeadsRepository,
    @Inject(SegmentMemberBucketsRepository) private readonly bucketsRepo: SegmentMemberBucketsRepository,
  ) {}

  async memberOf(userId: string, segmentIds: readonly string[]): Promise<ReadonlySet<string>> {
    const g = slotGroup(userSlot(userId));
    const found = new Set<string>();
    await Promise.all(
      segmentIds.map(async (id) => {
        if (await this.isMember(id, userId, g)) found.add(id);
      }),
    );
    return found;
  }

  private async isMember(segmentId: string, userId: string, group: number, retry = true): Promise<boolean> {
    const head = await this.head(segmentId);
    if (!head || head.groups[group] === 0) return false;
    try {
      return (await this.bucket(segmentId, head.groups[group], group)).has(userId);
    } catch (err) {
      // A cached head may name a bucket retention deleted since (a grace period shorter than HEAD_TTL_MS): read the head again, once.
      if (!retry) throw err;
      this.heads.delete(segmentId);
      return this.isMember(segmentId, userId, group, false);
    }
  }

  private async head(segmentId: string): Promise<SegmentHeadDoc | null> {
    const cached = this.heads.get(segmentId);
    if (cached && Date.now() - cached.at < HEAD_TTL_MS) return cached.head;
    const head = await this.headsRepo.get(segmentId);
    this.heads.set(segmentId, { head, at: Date.now() });
    return head;
  }

  private bucket(segmentId: string, version: number, group: number): Promise<ReadonlySet<string>> {
    const key = `${segmentId}:v${version}:g${group}`;
    let set = this.buckets.get(key);
    if (!set) {
      set = this.bucketsRepo.members(segmentId, version, group).then((ids) => new Set(ids));
      set.catch(() => this.buckets.delete(key));
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
      this.buckets.set(key, set);
    }
    return set;
  }
}

/** Binds SEGMENT_MEMBERSHIP for the typology decider wherever it runs (API and worker). */
@Global()
@Module({
  providers: [{ provide: SEGMENT_MEMBERSHIP, useClass: StoredSegmentMembership }],
  exports: [SEGMENT_MEMBERSHIP],
})
export class SegmentMembershipModule {}
