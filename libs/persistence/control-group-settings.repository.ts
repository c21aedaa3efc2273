import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Schema } from 'mongoose';
import { Actor } from '../domain/access';
import { ControlGroupSettings } from '../domain/control-group';
import { ConflictError } from '../domain/errors';
import { insertNew } from './insert-new';

/**
 * The global control group's settings, insert-only by revision (`control-group:r<n>`), each holding the
 * whole history of assignments (closed ones kept for reporting). Two admins changing it at once race on
 * the same `_id`: one wins, the other gets a conflict.
 */
export interface ControlGroupRevisionDoc extends ControlGroupSettings {
  _id: string;
  revision: number;
  at: Date;
  by: { keyId: string | null; name: string; role: string };
}

export const CONTROL_GROUP_REVISION_MODEL = 'ControlGroupRevision';

export const controlGroupRevisionSchema = new Schema<ControlGroupRevisionDoc>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    assignments: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
    by: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'control_group_settings', versionKey: false, minimize: false },
);

const revive = (d: ControlGroupRevisionDoc): ControlGroupRevisionDoc => ({
  ...d,
  assignments: d.assignments.map((a) => ({ ...a, from: new Date(a.from), to: a.to === null ? null : new Date(a.to) })),
});

@Injectable()
export class ControlGroupSettingsRepository {
  constructor(@InjectModel(CONTROL_GROUP_REVISION_MODEL) private readonly revisions: Model<ControlGroupRevisionDoc>) {}

  /** The current settings with their revision; null before the control group was ever set up. */
  async current(): Promise<ControlGroupRevisionDoc | null> {
    const docs = await this.revisions.find({}).lean<ControlGroupRevisionDoc[]>().exec();
    const latest = docs.reduce<ControlGroupRevisionDoc | null>((best, d) => (best === null || d.revision > best.revision ? d : best), null);
    return latest && revive(latest);
  }

  async insert(revision: number, settings: ControlGroupSettings, actor: Actor, at: Date): Promise<ControlGroupRevisionDoc> {
    const doc: ControlGroupRevisionDoc = { _id: `control-group:r${revision}`, revision, assignments: settings.assignments, at, by: { keyId: actor.keyId, name: actor.name, role: actor.role } };
    const { duplicateIds } = await insertNew(this.revisions.collection, [doc]);
    if (duplicateIds.size > 0) throw new ConflictError('the control group settings were changed by someone else at the same time: read them again and retry');
    return doc;
  }
}
