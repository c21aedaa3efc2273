import { inflateRawSync } from 'zlib';
import mongoose from 'mongoose';

export interface StoredEvent {
  eventId: string;
  userId: string;
  type: string;
  ts: number;
  amount: number | null;
  properties: Record<string, unknown> | null;
}

/**
 * What is really stored, read straight from the collections and decoded here (not through the
 * code under test): every event once by id, across however many records hold it, and the users.
 */
export async function storedEvents(db: mongoose.Connection): Promise<{ events: Map<string, StoredEvent>; users: Set<string>; records: number }> {
  const events = new Map<string, StoredEvent>();
  const users = new Set<string>();
  let records = 0;
  for await (const r of db.collection('user_records').find({})) {
    records++;
    users.add(r.u as string);
    const bytes = Buffer.from((r.b as { buffer: Uint8Array }).buffer);
    // A body is deflated JSON behind a 0x01 byte, or plain JSON.
    const json = (bytes[0] === 0x01 ? inflateRawSync(bytes.subarray(1)) : bytes).toString('utf8');
    const body = JSON.parse(json) as { e?: [string, string, number, number | null, Record<string, unknown> | null][] };
    for (const [eventId, type, ts, amount, properties] of body.e ?? []) {
      if (!events.has(eventId)) events.set(eventId, { eventId, userId: r.u as string, type, ts, amount, properties });
    }
  }
  return { events, users, records };
}

/** The scores of a prediction's complete set with the latest as-of time (the one readers use). */
export async function activeScores(db: mongoose.Connection, predictionId: string): Promise<{ key: string; scores: { _id: string; probability: number; score: number; category: string }[] } | null> {
  const sets = await db.collection('score_sets').find({ predictionId, state: 'complete' }).toArray();
  if (sets.length === 0) return null;
  sets.sort((a, b) => (a.asOf as Date).getTime() - (b.asOf as Date).getTime() || String(a.key).localeCompare(String(b.key)));
  const set = sets[sets.length - 1];
  const scores = await db.collection(set.collectionName as string).find({}).toArray();
  return { key: set.key as string, scores: scores as never };
}
