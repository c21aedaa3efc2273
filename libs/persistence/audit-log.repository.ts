import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AUDIT_ENTRY_MODEL, AuditEntryDoc } from './audit-entry.schema';

export interface AuditFilter {
  action?: string;
  resourceType?: string;
  resourceId?: string;
  keyId?: string;
  /** Only entries older than this entry id (the cursor of the previous page). */
  before?: string;
}

/** The audit log: entries are inserted, never updated or deleted. */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectModel(AUDIT_ENTRY_MODEL) private readonly entries: Model<AuditEntryDoc>) {}

  async insert(doc: AuditEntryDoc): Promise<void> {
    await this.entries.collection.insertOne(doc as never);
  }

  /** Newest first. The query is built from the whitelisted fields only, never from request JSON. */
  list(filter: AuditFilter, limit: number): Promise<AuditEntryDoc[]> {
    const query: Record<string, unknown> = {};
    if (filter.action !== undefined) query.action = filter.action;
    if (filter.resourceType !== undefined) query.resourceType = filter.resourceType;
    if (filter.resourceId !== undefined) query.resourceId = filter.resourceId;
    if (filter.keyId !== undefined) query['actor.keyId'] = filter.keyId;
    if (filter.before !== undefined) query._id = { $lt: filter.before };
    return this.entries.find(query).sort({ _id: -1 }).limit(limit).lean<AuditEntryDoc[]>().exec();
  }
}
