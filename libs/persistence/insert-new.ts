import { Collection, MongoBulkWriteError } from 'mongodb';

const DUPLICATE_KEY = 11000;

/**
 * True when every document was either inserted or refused as a duplicate _id. Anything else (the
 * server unreachable mid-batch, which the driver reports as a bulk error with no write errors, a
 * write concern error, any other write error) is a failure: nothing may be counted as stored.
 */
function onlyDuplicates(err: unknown, documents: number): err is MongoBulkWriteError {
  if (!(err instanceof MongoBulkWriteError) || err.err !== undefined) return false;
  const writeErrors = err.writeErrors === undefined ? [] : Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  return (
    writeErrors.length > 0 &&
    writeErrors.every((w) => w.code === DUPLICATE_KEY) &&
    err.result.insertedCount + writeErrors.length === documents
  );
}

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
      if (!onlyDuplicates(err, unique.size)) throw err;
      inserted = err.result.insertedCount;
    }
  }
  return { inserted, duplicates: docs.length - inserted };
}
