import { Collection, MongoBulkWriteError } from 'mongodb';

const DUPLICATE_KEY = 11000;

export interface InsertNewResult {
  inserted: number;
  /** Documents whose _id was already stored, or repeated within the input. */
  duplicates: number;
}

/**
 * Inserts the documents whose _id is not stored yet: the idempotent write behind every retried
 * request and re-run batch. The common case is one unordered insertMany. On duplicate keys the two
 * servers differ: MongoDB stores the rest and reports the duplicates, FerretDB rejects the whole
 * batch and reports every document. So the documents reported as failed are looked up and only
 * the truly new ones are inserted again; both servers end in the same state with the same counts.
 */
export async function insertNew<T extends { _id: string }>(collection: Collection, docs: readonly T[]): Promise<InsertNewResult> {
  const unique = new Map<string, T>();
  for (const d of docs) if (!unique.has(d._id)) unique.set(d._id, d);
  let pending = [...unique.values()];
  let inserted = 0;
  for (let attempt = 0; pending.length > 0; attempt++) {
    try {
      await collection.insertMany(pending as never[], { ordered: false });
      inserted += pending.length;
      break;
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError) || attempt >= 4) throw err;
      const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      if (writeErrors.some((w) => w.code !== DUPLICATE_KEY)) throw err;
      inserted += err.result.insertedCount;
      const failed = writeErrors.map((w) => pending[w.index]);
      const stored = await storedIds(collection, failed.map((d) => d._id));
      pending = failed.filter((d) => !stored.has(d._id));
    }
  }
  return { inserted, duplicates: docs.length - inserted };
}

const LOOKUPS_IN_FLIGHT = 16;

/**
 * Which of the ids are stored, one exact-_id query each: the only filter FerretDB v1 answers from
 * its index (an `$in` scans the whole collection, seconds on a large one), and an index lookup on
 * MongoDB too. The cost follows the batch, not the collection.
 */
async function storedIds(collection: Collection, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(LOOKUPS_IN_FLIGHT, ids.length) }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        if (await collection.findOne({ _id: id } as never, { projection: { _id: 1 } })) found.add(id);
      }
    }),
  );
  return found;
}
