import type { Collection } from 'mongodb';
import { GroupCommit } from './group-commit';
import { insertNew } from './insert-new';

const byId = (a: { _id: string }, b: { _id: string }) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/**
 * `insertNew` for many concurrent callers: the documents callers give while an insert is under way go
 * in one unordered insertMany, and each caller learns which of its `_id`s were already stored. The
 * batch is in `_id` order, so two processes' batches lock the same rows in the same order (no
 * deadlock between them on PostgreSQL). An `_id` given by two callers of one batch is stored once:
 * the first caller stored it, for the others it was already stored.
 */
export class InsertBatcher<T extends { _id: string }> {
  private readonly batches: GroupCommit<readonly T[], Set<string>>;

  constructor(collection: Collection) {
    this.batches = new GroupCommit(async (groups) => {
      const { duplicateIds } = await insertNew(collection, groups.flat().sort(byId));
      const owner = new Map<string, number>();
      groups.forEach((docs, g) => docs.forEach((d) => owner.has(d._id) || owner.set(d._id, g)));
      return groups.map((docs, g) => new Set(docs.filter((d) => duplicateIds.has(d._id) || owner.get(d._id) !== g).map((d) => d._id)));
    }, 64);
  }

  /** Inserts the documents not stored yet; returns the `_id`s that were already stored. */
  insert(docs: readonly T[]): Promise<Set<string>> {
    return this.batches.submit(docs);
  }
}
