import { Collection, MongoBulkWriteError, WriteError } from 'mongodb';

const DUPLICATE_KEY = 11000;

/**
 * The duplicate-key errors of a bulk insert, when every document was either inserted or refused as a
 * duplicate _id; null for anything else (the server unreachable mid-batch, which the driver reports as
 * a bulk error with no write errors, any other write error): then nothing may be counted as stored.
 */
function onlyDuplicates(err: unknown, documents: number): WriteError[] | null {
  if (!(err instanceof MongoBulkWriteError) || err.err !== undefined) return null;
  const writeErrors = err.writeErrors === undefined ? [] : Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  const ok = writeErrors.length > 0 && writeErrors.every((w) => w.code === DUPLICATE_KEY) && err.result.insertedCount + writeErrors.length === documents;
  return ok ? writeErrors : null;
}

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
 * document and report each duplicate _id as a write error (FerretDB retries a failed batch one
 * document at a time), so nothing is looked up first. Only a duplicate-key error means "already
 * there": any other failure is thrown, so the caller never reports as stored what was not.
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
      const duplicates = onlyDuplicates(err, batch.length);
      if (!duplicates) throw err;
      for (const w of duplicates) duplicateIds.add(batch[w.index]._id);
    }
  }
  const inserted = batch.length - duplicateIds.size;
  return { inserted, duplicates: docs.length - inserted, duplicateIds };
}
