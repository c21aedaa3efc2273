/**
 * bench:ingest — bulk event ingestion into FerretDB (or MONGODB_URI): N synthetic events POSTed to
 * /v1/events (validation, one insert-only record per user and request) against the floor, the same
 * records written by a direct insertMany with the same batch size and concurrency. Usage:
 *   node dist/bench/ingest.bench.js [--events 1000000] [--batch 5000] [--concurrency 4]
 * Each side gets a fresh database (bench_ingest_api, bench_ingest_floor), dropped afterwards.
 */
import 'reflect-metadata';
import { AddressInfo } from 'net';
import mongoose from 'mongoose';
import { createApi } from '../apps/api/main';
import { loadConfig } from '../libs/config/config';
import { EventInput } from '../libs/domain/event';
import { eventsRecord } from '../libs/persistence/user-records/user-record';
import { userRecordSchema } from '../libs/persistence/user-records/user-record.schema';
import { SplitMix64 } from '../libs/ml/random';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 1_000_000);
const BATCH = arg('batch', 5000);
const CONCURRENCY = arg('concurrency', 4);
const USERS = Math.max(1, Math.round(EVENTS / 20));
const TYPES = ['session', 'session', 'session', 'email_sent', 'email_open', 'email_click', 'purchase'];
const T0 = Date.UTC(2025, 0, 1);

/** Batch k of the synthetic stream, as the API takes it (deterministic, so both sides see the same). */
function batch(k: number) {
  const rng = new SplitMix64(BigInt(1000 + k));
  const out = [];
  for (let i = k * BATCH; i < Math.min(EVENTS, (k + 1) * BATCH); i++) {
    const type = TYPES[rng.nextInt(TYPES.length)];
    const e: Record<string, unknown> = {
      eventId: `e${i}`,
      userId: `u${rng.nextInt(USERS)}`,
      type,
      ts: new Date(T0 + Math.floor(rng.nextDouble() * 365 * 86_400_000)).toISOString(),
    };
    if (type === 'purchase') e.amount = rng.nextInt(20000) / 100;
    out.push(e);
  }
  return out;
}

/** Runs the batches with `CONCURRENCY` in flight; returns events/s. */
async function run(send: (k: number) => Promise<void>): Promise<number> {
  const batches = Math.ceil(EVENTS / BATCH);
  let next = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches) await send(next++);
    }),
  );
  return EVENTS / (Number(process.hrtime.bigint() - t) / 1e9);
}

/** The indexes the app's schema declares, so both sides write to the same collection shape. */
async function createRecordIndexes(db: mongoose.Connection): Promise<void> {
  for (const [keys, options] of userRecordSchema.indexes()) await db.collection('user_records').createIndex(keys as never, options as never);
}

async function storedEvents(db: mongoose.Connection): Promise<number> {
  let n = 0;
  for await (const r of db.collection('user_records').find({}, { projection: { n: 1 } })) n += r.n as number;
  return n;
}

function databaseUri(name: string): string {
  const uri = new URL(loadConfig().MONGODB_URI);
  uri.pathname = `/${name}`;
  return uri.toString();
}

async function throughApi(): Promise<number> {
  Object.assign(process.env, { MONGODB_URI: databaseUri('bench_ingest_api'), LOG_LEVEL: 'warn' });
  const db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  await db.dropDatabase();
  const app = await createApi();
  await app.listen(0, '127.0.0.1');
  await createRecordIndexes(db); // before timing, rather than by mongoose in the background while timed
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/v1/events`;
  const rate = await run(async (k) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: batch(k) }) });
    const body = (await res.json()) as { accepted: number; rejected: unknown[] };
    if (!res.ok || body.rejected.length) throw new Error(`batch ${k}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  });
  const stored = await storedEvents(db);
  if (stored !== EVENTS) throw new Error(`API stored ${stored} of ${EVENTS} events`);
  await app.close();
  await db.dropDatabase();
  await db.close();
  return rate;
}

async function floor(): Promise<number> {
  const db = await mongoose.createConnection(databaseUri('bench_ingest_floor')).asPromise();
  await db.dropDatabase();
  const records = db.collection('user_records');
  await createRecordIndexes(db);
  const receivedAt = new Date();
  const rate = await run(async (k) => {
    const byUser = new Map<string, EventInput[]>();
    for (const e of batch(k)) {
      const input = { ...e, ts: new Date(e.ts as string) } as EventInput;
      byUser.set(input.userId, [...(byUser.get(input.userId) ?? []), input]);
    }
    await records.insertMany([...byUser].map(([userId, evs]) => eventsRecord(userId, evs, receivedAt)) as never[], { ordered: false });
  });
  if ((await storedEvents(db)) !== EVENTS) throw new Error('floor stored a different number of events');
  await db.dropDatabase();
  await db.close();
  return rate;
}

async function main() {
  console.log(`ingesting ${EVENTS} events of ${USERS} users, batches of ${BATCH}, ${CONCURRENCY} in flight, into ${new URL(loadConfig().MONGODB_URI).host}`);
  const api = await throughApi();
  const direct = await floor();
  console.table([
    {
      events: EVENTS,
      'API events/s (POST /v1/events)': Math.round(api),
      'floor events/s (insertMany of the same records)': Math.round(direct),
      'ratio (API/floor)': Number((api / direct).toFixed(2)),
    },
  ]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
