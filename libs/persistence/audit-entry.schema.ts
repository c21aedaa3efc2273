import { Schema } from 'mongoose';
import type { Actor } from '../domain/access';

/**
 * One configuration change, insert-only. `_id` sorts by time (zero-padded epoch ms, then random), so
 * newest-first paging needs no other field. Before/after are JSON text: any resource's keys can be
 * stored, whatever characters they hold.
 */
export interface AuditEntryDoc {
  _id: string;
  at: Date;
  actor: Actor;
  action: string;
  resourceType: string;
  resourceId: string;
  before: string | null;
  after: string | null;
}

export const AUDIT_ENTRY_MODEL = 'AuditEntry';

export const auditEntrySchema = new Schema<AuditEntryDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    action: { type: String, required: true },
    resourceType: { type: String, required: true },
    resourceId: { type: String, required: true },
    before: { type: String, default: null },
    after: { type: String, default: null },
  },
  { collection: 'audit_log', versionKey: false },
);
auditEntrySchema.index({ resourceType: 1, resourceId: 1 });
