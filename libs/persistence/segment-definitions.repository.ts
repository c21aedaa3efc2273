import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Schema } from 'mongoose';
import { Actor } from '../domain/access';
import { ConflictError } from '../domain/errors';
import { SegmentDefinition } from '../domain/segment-definition';
import { insertNew } from './insert-new';

/**
 * Segment definitions, insert-only: every change (create, update, delete) is a new revision
 * `<segmentId>:r<n>`. Two concurrent edits of one revision race on the same `_id`: one insert wins, the
 * other is a conflict (FerretDB makes an insert under a unique `_id` atomic, not an update).
 */
export interface SegmentRevisionDoc {
  _id: string;
  segmentId: string;
  revision: number;
  name: string;
  description: string | null;
  /** null on the revision that deletes the segment. */
  definition: SegmentDefinition | null;
  deleted: boolean;
  at: Date;
  by: { keyId: string | null; name: string; role: string };
}

export const SEGMENT_REVISION_MODEL = 'SegmentRevision';

export const segmentRevisionSchema = new Schema<SegmentRevisionDoc>(
  {
    _id: { type: String, required: true },
    segmentId: { type: String, required: true },
    revision: { type: Number, required: true },
    name: { type: String, required: true },
    description: { type: String, default: null },
    definition: { type: Schema.Types.Mixed, default: null },
    deleted: { type: Boolean, required: true },
    at: { type: Date, required: true },
    by: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'segment_definitions', versionKey: false, minimize: false },
);
segmentRevisionSchema.index({ segmentId: 1 });

export const segmentRevisionId = (segmentId: string, revision: number) => `${segmentId}:r${revision}`;

const latestPerSegment = (docs: SegmentRevisionDoc[]): SegmentRevisionDoc[] => {
  const latest = new Map<string, SegmentRevisionDoc>();
  for (const d of docs) if ((latest.get(d.segmentId)?.revision ?? -1) < d.revision) latest.set(d.segmentId, d);
  return [...latest.values()].sort((a, b) => (a.segmentId < b.segmentId ? -1 : 1));
};

@Injectable()
export class SegmentDefinitionsRepository {
  constructor(@InjectModel(SEGMENT_REVISION_MODEL) private readonly revisions: Model<SegmentRevisionDoc>) {}

  /** Stores a new revision; a revision someone else stored first is a conflict. */
  async insertRevision(doc: Omit<SegmentRevisionDoc, '_id' | 'by'>, actor: Actor): Promise<SegmentRevisionDoc> {
    const stored: SegmentRevisionDoc = { ...doc, _id: segmentRevisionId(doc.segmentId, doc.revision), by: { keyId: actor.keyId, name: actor.name, role: actor.role } };
    const { duplicateIds } = await insertNew(this.revisions.collection, [stored]);
    if (duplicateIds.size > 0) throw new ConflictError(`segment ${doc.segmentId} was changed by someone else at the same time (revision ${doc.revision}): read it again and retry`);
    return stored;
  }

  /** The current revision (deleted or not); null if the segment never existed. */
  async current(segmentId: string): Promise<SegmentRevisionDoc | null> {
    const docs = await this.revisions.find({ segmentId }).lean<SegmentRevisionDoc[]>().exec();
    return latestPerSegment(docs)[0] ?? null;
  }

  revision(segmentId: string, revision: number): Promise<SegmentRevisionDoc | null> {
    return this.revisions.findById(segmentRevisionId(segmentId, revision)).lean<SegmentRevisionDoc>().exec();
  }

  /** Every segment not deleted, at its current revision (one read of a small collection). */
  async live(): Promise<SegmentRevisionDoc[]> {
    const docs = await this.revisions.find({}).lean<SegmentRevisionDoc[]>().exec();
    return latestPerSegment(docs).filter((d) => !d.deleted);
  }
}
