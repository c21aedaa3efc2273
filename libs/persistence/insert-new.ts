import { Collection, MongoBulkWriteError } from 'mongodb';

const DUPLICATE_KEY = 11000;

export interface InsertNewResult {
  inserted: number;
  /** Documents whose _id was already stored, or repeated within the input. */
  duplicates: number;
  /** The _ids that were already stored. */
  duplicateIds: Set<string>;
}

/**
 * Inserts the documents whose _id is not stored yet: the idempotent write behind every retried
 * request and re-run batch. One unordered insertMany: MongoDB and FerretDB v1 alike store every new
 * document and report each duplicate _id as a write error, so nothing is looked up first. Only a
 * duplicate-key error means "already there": any other failure (the store down, a write concern
 * error, a document refused) is thrown, so the caller never reports as stored what was not.
 */
export async function insertNew<T extends { _id: string }>(collection: Collection, docs: readonly T[]): Promise<InsertNewResult> {
  const unique = new Map<string, T>();
  for (const d of docs) if (!unique.has(d._id)) unique.set(d._id, d);
  const batch = [...unique.values()];
  const duplicateIds = new Set<string>();
  if (batch.length > 0) {
    try {
      await collection.insertMany(batch as never[], { ordered: false });
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) throw err;
      const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      const allDuplicates = writeErrors.length > 0 && writeErrors.every((w) => w.code === DUPLICATE_KEY);
      if (!allDuplicates || err.result.getWriteConcernError() !== undefined || err.result.insertedCount + writeErrors.length !== batch.length) throw err;
      for (const w of writeErrors) duplicateIds.add(batch[w.index]._id);
    }
  }
  const inserted = batch.length - duplicateIds.size;
  return { inserted, duplicates: docs.length - inserted, duplicateIds };
}
