import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Schema } from 'mongoose';
import type { BucketRef } from '../segments/retention';
import { insertNew } from './insert-new';

/**
 * A segment's members of one slot group at one version (`<segmentId>:v<version>:g<group>`, ids
 * ascending), insert-only: a version rewrites only the groups whose members changed, and the head
 * (segment-heads) says which version holds each group. Every read is by `_id`. At 1M members a group
 * holds about 16k ids (~300 KB), far below the 16 MB document limit up to tens of millions of users.
 */
export interface SegmentMemberBucketDoc {
  _id: string;
  segmentId: string;
  version: number;
  group: number;
  count: number;
  ids: string[];
}

export const SEGMENT_MEMBER_BUCKET_MODEL = 'SegmentMemberBucket';

export const segmentMemberBucketSchema = new Schema<SegmentMemberBucketDoc>(
  {
    _id: { type: String, required: true },
    segmentId: { type: String, required: true },
    version: { type: Number, required: true },
    group: { type: Number, required: true },
    count: { type: Number, required: true },
    ids: { type: [String], required: true },
  },
  { collection: 'segment_member_buckets', versionKey: false, minimize: false },
);

const DELETE_CHUNK = 100;

export const memberBucketId = (segmentId: string, version: number, group: number) => `${segmentId}:v${version}:g${group}`;

@Injectable()
export class SegmentMemberBucketsRepository {
  constructor(@InjectModel(SEGMENT_MEMBER_BUCKET_MODEL) private readonly buckets: Model<SegmentMemberBucketDoc>) {}

  /** The members of group g at a head's version for it (empty when the head says 0). */
  async members(segmentId: string, version: number, group: number): Promise<string[]> {
    if (version === 0) return [];
    const doc = await this.buckets.collection.findOne<SegmentMemberBucketDoc>({ _id: memberBucketId(segmentId, version, group) as never });
    if (!doc) throw new Error(`segment ${segmentId}: the bucket of group ${group} at version ${version} is missing`);
    return doc.ids;
  }

  /**
   * Stores the group's members under a new version, unless an earlier attempt of the same evaluation
   * already did: then the stored members are returned, and they are what the version holds.
   */
  async store(segmentId: string, version: number, group: number, ids: string[]): Promise<string[]> {
    const doc: SegmentMemberBucketDoc = { _id: memberBucketId(segmentId, version, group), segmentId, version, group, count: ids.length, ids };
    const { duplicateIds } = await insertNew(this.buckets.collection, [doc]);
    return duplicateIds.size > 0 ? this.members(segmentId, version, group) : ids;
  }

  /**
   * Deletes buckets by `_id` (only the segment's workflow, once no head names them and the grace
   * period has passed); a bucket already gone is no error. One short bulk per chunk: FerretDB v1
   * stalls on bulks of more than ~100 operations.
   */
  async delete(segmentId: string, buckets: readonly BucketRef[]): Promise<void> {
    for (let i = 0; i < buckets.length; i += DELETE_CHUNK) {
      const ops = buckets.slice(i, i + DELETE_CHUNK).map((b) => ({ deleteOne: { filter: { _id: memberBucketId(segmentId, b.version, b.group) } } }));
      await this.buckets.collection.bulkWrite(ops as never, { ordered: false });
    }
  }

  /** A bucket stored for a version not committed yet (an earlier attempt of the same evaluation); null if none. */
  async find(segmentId: string, version: number, group: number): Promise<string[] | null> {
    const doc = await this.buckets.collection.findOne<SegmentMemberBucketDoc>({ _id: memberBucketId(segmentId, version, group) as never });
    return doc?.ids ?? null;
  }
}
