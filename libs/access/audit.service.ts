import { randomBytes } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Actor, AuditChange, AuditEntry, AuditQuery } from '../domain/access';
import { AuditEntryDoc } from '../persistence/audit-entry.schema';
import { AuditLogRepository } from '../persistence/audit-log.repository';

/** Sorts by time as text: 15 digits of epoch ms last until the year 33658. */
export function auditEntryId(at: Date): string {
  return `a_${String(at.getTime()).padStart(15, '0')}_${randomBytes(4).toString('hex')}`;
}

const asJson = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const fromJson = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

export function toAuditEntry(d: AuditEntryDoc): AuditEntry {
  return { id: d._id, at: d.at, actor: d.actor, action: d.action, resourceType: d.resourceType, resourceId: d.resourceId, before: fromJson(d.before), after: fromJson(d.after) };
}

/**
 * Who changed which configuration, when, from what to what. Every service that changes configuration
 * (predictions, keys; later segments, typologies, journeys) records here after the change is stored.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(AuditLogRepository) private readonly log: AuditLogRepository) {}

  async record(actor: Actor, change: AuditChange, at = new Date()): Promise<void> {
    await this.log.insert({
      _id: auditEntryId(at),
      at,
      actor: { keyId: actor.keyId, name: actor.name, role: actor.role },
      action: change.action,
      resourceType: change.resourceType,
      resourceId: change.resourceId,
      before: asJson(change.before),
      after: asJson(change.after),
    });
  }

  /** A page, newest first; `next` is the cursor of the following page (null on the last one). */
  async list(query: AuditQuery): Promise<{ entries: AuditEntry[]; next: string | null }> {
    const { limit, ...filter } = query;
    const docs = await this.log.list(filter, limit);
    return { entries: docs.map(toAuditEntry), next: docs.length === limit ? docs[docs.length - 1]._id : null };
  }
}
