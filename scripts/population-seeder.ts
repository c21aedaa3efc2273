import mongoose from 'mongoose';
import { EventInput } from '../libs/domain/event';
import { generateUsers, SimulatedUser, SimulationConfig } from '../libs/ml/simulation';
import { insertNew } from '../libs/persistence/insert-new';
import { initialRecord, UserRecordDoc } from '../libs/persistence/user-records/user-record';
import { userRecordSchema } from '../libs/persistence/user-records/user-record.schema';

export interface SeededPopulation {
  now: number;
  users: number;
  events: number;
}

/**
 * Writes a simulated population (profiles + events strictly before `now`), one record per user,
 * straight through the driver. Safe to run again after an interruption: records already written
 * are left as they are. `now` defaults to the present, since the workflows train and score as of
 * their own clock.
 */
export async function seedPopulation(
  db: mongoose.Connection,
  opts: {
    users: number;
    seed?: number;
    historyDays?: number;
    now?: number;
    /** A catalogue with known tastes (purchases carry productId and category), and paid-plan billing events. */
    products?: SimulationConfig['products'];
    subscriptions?: boolean;
    mutate?: (u: SimulatedUser) => void;
    onProgress?: (users: number) => void;
  },
): Promise<SeededPopulation> {
  const now = opts.now ?? Math.floor(Date.now() / 60_000) * 60_000;
  const records = db.collection('user_records');
  const at = new Date(now);
  let batch: UserRecordDoc[] = [];
  let users = 0;
  let events = 0;
  const flush = async () => {
    await insertNew(records as never, batch);
    batch = [];
    opts.onProgress?.(users);
  };
  for (const u of generateUsers({ seed: opts.seed ?? 7, users: opts.users, now, historyDays: opts.historyDays ?? 120, products: opts.products, subscriptions: opts.subscriptions })) {
    opts.mutate?.(u);
    const h = u.history;
    const evs: EventInput[] = h.events.map((e, k) => ({ eventId: `${h.userId}:${k}`, userId: h.userId, type: e.type, ts: new Date(e.ts), ...(e.amount !== undefined ? { amount: e.amount } : {}), ...(e.properties ? { properties: e.properties } : {}) }));
    batch.push(initialRecord(h.userId, { timezone: h.timezone, attributes: h.attributes, subscription: { email: 'subscribed' }, createdAt: new Date(h.createdAt ?? now) }, evs, at));
    users++;
    events += evs.length;
    if (batch.length >= 2000) await flush();
  }
  if (batch.length) await flush();
  // The seed writes past mongoose, and its caller may have dropped the database after mongoose built
  // the indexes (measured: without `u`, a profile read scanned 1M records, seconds each). Built after
  // the load, which is also the cheaper order for GIN indexes.
  for (const [key, options] of userRecordSchema.indexes()) await records.createIndex(key as never, options as never);
  return { now, users, events };
}
