import type { Collection, Document } from 'mongodb';
import { GroupCommit } from './group-commit';

/**
 * `findOne({ _id })` for many concurrent callers at once: the ids asked for while a read is under
 * way are read together with one `_id: { $in }` (served by the `_id` index on MongoDB and on the
 * patched FerretDB, see scripts/ferretdb-*.patch), a lone id with a plain `findOne`.
 */
export class IdBatchReader<T extends Document> {
  private readonly batches: GroupCommit<string, T | null>;

  constructor(collection: Collection, maxBatch = 256) {
    this.batches = new GroupCommit(async (ids) => {
      if (ids.length === 1) return [(await collection.findOne({ _id: ids[0] as never })) as T | null];
      const docs = await collection.find({ _id: { $in: [...new Set(ids)] } as never }).toArray();
      const byId = new Map(docs.map((d) => [String(d._id), d as unknown as T]));
      return ids.map((id) => byId.get(id) ?? null);
    }, maxBatch);
  }

  findById(id: string): Promise<T | null> {
    return this.batches.submit(id);
  }
}
