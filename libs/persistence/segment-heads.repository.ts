import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Schema } from 'mongoose';
import { SLOT_GROUPS } from '../domain/user-slots';
import type { ChangeMark, RetiredBuckets } from '../segments/retention';

/**
 * The current materialised version of each segment (`_id` = segment id): which stored version holds
 * each slot group's members (0: none) and how many. Written only by the segment's own workflow (one
 * run per segment id), by `_id`: the single writer FerretDB needs for an update.
 */
export interface SegmentHeadDoc {
  _id: string;
  version: number;
  /** groups[g] = the version whose bucket `<segmentId>:v<groups[g]>:g<g>` holds group g's members; 0 = empty. */
  groups: number[];
  counts: number[];
  size: number;
  definitionRevision: number;
  evaluatedAt: Date;
  changedAt: Date | null;
  lastChange: { version: number; entered: number; left: number } | null;
  /**
   * The version an evaluation is building, from its plan until its commit (null otherwise): a plan
   * that finds its own version here knows an earlier build of it may have stored buckets.
   */
  planned?: number | null;
  /** Retention (libs/segments retentionPlan): replaced buckets not deleted yet, commit-time marks, changes pruned. */
  retired?: RetiredBuckets[];
  marks?: ChangeMark[];
  changesPrunedThrough?: number;
}

export const SEGMENT_HEAD_MODEL = 'SegmentHead';

export const segmentHeadSchema = new Schema<SegmentHeadDoc>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    groups: { type: [Number], required: true },
    counts: { type: [Number], required: true },
    size: { type: Number, required: true },
    definitionRevision: { type: Number, required: true },
    evaluatedAt: { type: Date, required: true },
    changedAt: { type: Date, default: null },
    lastChange: { type: Schema.Types.Mixed, default: null },
    planned: { type: Number, default: null },
    retired: { type: Schema.Types.Mixed, default: [] },
    marks: { type: Schema.Types.Mixed, default: [] },
    changesPrunedThrough: { type: Number, default: 0 },
  },
  { collection: 'segment_heads', versionKey: false, minimize: false },
);

/** Before the first evaluation: version 0, no members. */
export const emptyHead = () => ({ version: 0, groups: new Array<number>(SLOT_GROUPS).fill(0), counts: new Array<number>(SLOT_GROUPS).fill(0) });

@Injectable()
export class SegmentHeadsRepository {
  constructor(@InjectModel(SEGMENT_HEAD_MODEL) private readonly heads: Model<SegmentHeadDoc>) {}

  get(segmentId: string): Promise<SegmentHeadDoc | null> {
    return this.heads.findById(segmentId).lean<SegmentHeadDoc>().exec();
  }

  /** Only the segment's workflow calls this (single writer per `_id`). */
  async markPlanned(segmentId: string, version: number): Promise<void> {
    await this.heads.updateOne({ _id: segmentId }, { $set: { planned: version } }).exec();
  }

  /** Only the segment's workflow calls this (single writer per `_id`). */
  async put(doc: SegmentHeadDoc): Promise<void> {
    await this.heads.replaceOne({ _id: doc._id }, doc, { upsert: true }).exec();
  }
}
