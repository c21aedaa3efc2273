import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Schema } from 'mongoose';
import { SegmentMembershipEvent } from '../domain/segment-membership';
import { insertNew } from './insert-new';

/**
 * Who entered or left a segment, per version (`<segmentId>:v<version>:<userId>`), insert-only: a
 * retried evaluation writes the same `_id`s, so each change is stored (and emitted) once per user.
 * Subscribers (journeys) read a version's changes by the indexed `sv` (`<segmentId>:v<version>`).
 */
export interface SegmentChangeDoc extends SegmentMembershipEvent {
  _id: string;
  sv: string;
  at: Date;
}

export const SEGMENT_CHANGE_MODEL = 'SegmentChange';

export const segmentChangeSchema = new Schema<SegmentChangeDoc>(
  {
    _id: { type: String, required: true },
    sv: { type: String, required: true },
    segmentId: { type: String, required: true },
    userId: { type: String, required: true },
    change: { type: String, enum: ['entered', 'left'], required: true },
    version: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'segment_changes', versionKey: false },
);
segmentChangeSchema.index({ sv: 1 });

const versionKey = (segmentId: string, version: number) => `${segmentId}:v${version}`;

@Injectable()
export class SegmentChangesRepository {
  constructor(@InjectModel(SEGMENT_CHANGE_MODEL) private readonly changes: Model<SegmentChangeDoc>) {}

  /** Returns how many were new (a retry's are already there). */
  async record(events: readonly SegmentMembershipEvent[], at: Date): Promise<number> {
    const docs = events.map((e) => ({ _id: `${versionKey(e.segmentId, e.version)}:${e.userId}`, sv: versionKey(e.segmentId, e.version), ...e, at }));
    return docs.length === 0 ? 0 : (await insertNew(this.changes.collection, docs)).inserted;
  }

  /** Deletes a version's changes (retention; only the segment's workflow), by the indexed `sv`. */
  async deleteVersion(segmentId: string, version: number): Promise<number> {
    return (await this.changes.collection.deleteMany({ sv: versionKey(segmentId, version) })).deletedCount;
  }

  /** A version's changes, by user id. */
  async ofVersion(segmentId: string, version: number): Promise<SegmentMembershipEvent[]> {
    const docs = await this.changes.collection.find<SegmentChangeDoc>({ sv: versionKey(segmentId, version) }).toArray();
    return docs.map(({ segmentId: s, userId, change, version: v }) => ({ segmentId: s, userId, change, version: v })).sort((a, b) => (a.userId < b.userId ? -1 : 1));
  }
}
