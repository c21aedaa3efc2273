import { Collection, MongoBulkWriteError } from 'mongodb';

const DUPLICATE_KEY = 11000;

export interface InsertNewResult {
  inserted: number;
  /** Documents whose _id was already stored, or repeated within the input. */
  duplicates: number;
}

/**
 * Inserts the documents whose _id is not stored yet: the idempotent write behind every retried
 * request and re-run batch. One unordered insertMany: MongoDB and FerretDB v1 alike store every new
 * document and report each duplicate _id as a write error (FerretDB retries a failed batch one
 * document at a time), so nothing is ever looked up; on FerretDB v1/SQLite any query, even by _id,
 * scans the whole collection.
 */
export async function insertNew<T extends { _id: string }>(collection: Collection, docs: readonly T[]): Promise<InsertNewResult> {
  const unique = new Map<string, T>();
  for (const d of docs) if (!unique.has(d._id)) unique.set(d._id, d);
  let inserted = unique.size;
  if (inserted > 0) {
    try {
      await collection.insertMany([...unique.values()] as never[], { ordered: false });
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) throw err;
      const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      if (writeErrors.some((w) => w.code !== DUPLICATE_KEY)) throw err;
      inserted = err.result.insertedCount;
    }
  }
  return { inserted, duplicates: docs.length - inserted };
}
