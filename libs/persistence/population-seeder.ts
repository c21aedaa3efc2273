import mongoose from 'mongoose';
import { generateUsers, SimulatedUser } from '../ml/simulation';

export interface SeededPopulation {
  now: number;
  users: number;
  events: number;
}

/**
 * Writes a simulated population (profiles + events strictly before `now`) straight through the
 * driver with insertMany, the fast path on FerretDB. `now` defaults to the present, since the
 * workflows train and score as of their own clock.
 */
export async function seedPopulation(
  db: mongoose.Connection,
  opts: { users: number; seed?: number; historyDays?: number; now?: number; mutate?: (u: SimulatedUser) => void },
): Promise<SeededPopulation> {
  const now = opts.now ?? Math.floor(Date.now() / 60_000) * 60_000;
  const users = db.collection('users');
  const events = db.collection('events');
  let userDocs: Record<string, unknown>[] = [];
  let eventDocs: Record<string, unknown>[] = [];
  let total = 0;
  const flush = async (force: boolean) => {
    if (userDocs.length && (force || userDocs.length >= 5000)) {
      await users.insertMany(userDocs as never[], { ordered: false });
      userDocs = [];
    }
    if (eventDocs.length && (force || eventDocs.length >= 10000)) {
      await events.insertMany(eventDocs as never[], { ordered: false });
      eventDocs = [];
    }
  };
  const receivedAt = new Date(now);
  for (const u of generateUsers({ seed: opts.seed ?? 7, users: opts.users, now, historyDays: opts.historyDays ?? 120 })) {
    opts.mutate?.(u);
    const h = u.history;
    userDocs.push({
      _id: h.userId,
      timezone: h.timezone,
      attributes: h.attributes,
      subscription: { email: 'subscribed' },
      createdAt: new Date(h.createdAt ?? now),
      updatedAt: receivedAt,
    });
    h.events.forEach((e, k) => {
      const d: Record<string, unknown> = { _id: `${h.userId}:${k}`, userId: h.userId, type: e.type, ts: new Date(e.ts), receivedAt };
      if (e.amount !== undefined) d.amount = e.amount;
      eventDocs.push(d);
    });
    total += h.events.length;
    await flush(false);
  }
  await flush(true);
  return { now, users: opts.users, events: total };
}
