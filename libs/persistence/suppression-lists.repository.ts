import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { IdBatchReader } from './id-batch-reader';
import { insertNew } from './insert-new';
import { SUPPRESSION_ENTRY_MODEL, SuppressionEntryDoc } from './suppression-entry.schema';

/** What a suppression list can hold: a user, or an address (case-insensitive). */
export type SuppressedValue = { userId: string } | { address: string };

const valueOf = (v: SuppressedValue) => ('userId' in v ? `user:${v.userId}` : v.address.trim().toLowerCase());
const entryId = (listId: string, value: string) => `${listId}:${value}`;

@Injectable()
export class SuppressionListsRepository {
  private readonly lookups: IdBatchReader<SuppressionEntryDoc>;

  constructor(@InjectModel(SUPPRESSION_ENTRY_MODEL) private readonly entries: Model<SuppressionEntryDoc>) {
    this.lookups = new IdBatchReader(entries.collection);
  }

  async add(listId: string, values: readonly SuppressedValue[], now = new Date()): Promise<number> {
    const docs = values.map((v) => ({ _id: entryId(listId, valueOf(v)), listId, value: valueOf(v), addedAt: now }));
    return (await insertNew(this.entries.collection, docs)).inserted;
  }

  async remove(listId: string, values: readonly SuppressedValue[]): Promise<number> {
    const ids = values.map((v) => entryId(listId, valueOf(v)));
    return (await this.entries.deleteMany({ _id: { $in: ids } }).exec()).deletedCount;
  }

  /** The lists (of those given) that hold any of the values: an `_id` lookup per list and value, batched with other callers'. */
  async listsHolding(listIds: readonly string[], values: readonly SuppressedValue[]): Promise<Set<string>> {
    const checks = listIds.flatMap((listId) => values.map((v) => ({ listId, id: entryId(listId, valueOf(v)) })));
    const found = await Promise.all(checks.map((c) => this.lookups.findById(c.id)));
    return new Set(checks.filter((_, i) => found[i] !== null).map((c) => c.listId));
  }
}
