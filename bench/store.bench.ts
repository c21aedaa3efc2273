/**
 * bench:store — the per-user operations the product uses and one population pass, on the embedded
 * default store (or MONGODB_URI), at 1M users and about 12M events:
 *   - p50/p99 of profile by id, a user's events of the last 90 days, a user's current scores, append an
 *     event, record a send — each with 16 concurrent callers, next to a bare `_id` lookup on the same
 *     store and the same callers (the floor);
 *   - the population pass (every user's history read once, merged, partition by partition) next to a
 *     bare streamed read of the same collection.
 * Usage: node dist/bench/store.bench.js [--users 1000000] [--callers 16] [--ops 4000]
 * The population is bench/population.ts's (shared with bench:rescore, seeded once and reused).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import mongoose from 'mongoose';
import { WorkerModule } from '../apps/worker/worker.module';
import { loadConfig } from '../libs/config/config';
import { RESCORE_PARTITION_USERS } from '../libs/domain/prediction-workflows';
import { slotGroup, slotPartitions, userSlot } from '../libs/domain/user-slots';
import { ScoreSetsRepository } from '../libs/persistence/score-sets.repository';
import { SendReservationsRepository } from '../libs/persistence/send-reservations.repository';
import { UserRecordsRepository } from '../libs/persistence/user-records/user-records.repository';
import { populationUri, preparePopulation } from './population';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const USERS = arg('users', 1_000_000);
const CALLERS = arg('callers', 16);
const OPS = arg('ops', 4000);
const PREDICTIONS = ['p_000000bench1', 'p_000000bench2'];
const DAY = 86_400_000;

const userId = (k: number) => `u${String(k + 1).padStart(7, '0')}`;

/** The shared population, and two predictions' active score sets (so "a user's current scores" reads two sets). */
async function prepare(db: mongoose.Connection, scoreSets: ScoreSetsRepository): Promise<number> {
  const { now } = await preparePopulation(db, USERS);
  if (await db.collection('bench_meta').findOne({ _id: 'store-scores' as never, now })) return now;
  const t = Date.now();
  for (const [i, predictionId] of PREDICTIONS.entries()) {
    const set = await scoreSets.register(predictionId, 1, now - i);
    for (let k = 0; k < USERS; k += 5000) {
      const docs = [];
      for (let j = k; j < Math.min(USERS, k + 5000); j++) docs.push({ _id: userId(j), s: userSlot(userId(j)), g: slotGroup(userSlot(userId(j))), probability: (j % 100) / 100, score: j % 100, category: 'Low' as const });
      await scoreSets.writeScores(set, docs);
    }
    await scoreSets.complete(set, { users: USERS, histogram: [], categories: { Low: USERS, Medium: 0, High: 0 }, scoreCounts: [], percentiles: [], seconds: 0, usersPerSecond: 0 });
  }
  console.log(`wrote ${PREDICTIONS.length} score sets of ${USERS} scores in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  await db.collection('bench_meta').insertOne({ _id: 'store-scores' as never, now });
  return now;
}

/** Runs `op` OPS times over CALLERS concurrent callers; returns p50/p99 in ms. */
async function latency(op: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number; opsPerSecond: number }> {
  const times: number[] = [];
  let next = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < OPS) {
        const i = next++;
        const s = process.hrtime.bigint();
        await op(i);
        times.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: q(0.5), p99: q(0.99), opsPerSecond: OPS / seconds };
}

async function main() {
  const uri = new URL(populationUri(loadConfig().MONGODB_URI, USERS));
  Object.assign(process.env, { MONGODB_URI: uri.toString(), LOG_LEVEL: 'warn' });
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  const records = app.get(UserRecordsRepository);
  const scoreSets = app.get(ScoreSetsRepository);
  const sends = app.get(SendReservationsRepository);
  const db = await mongoose.createConnection(uri.toString()).asPromise();
  const now = await prepare(db, scoreSets);
  console.log(`store: ${uri.host}, ${USERS} users, ${CALLERS} concurrent callers, ${OPS} operations each`);

  // Random users, the same sequence for every operation.
  const pick = (i: number) => userId(Math.floor(((i * 2654435761) % 4294967296) / 4294967296 * USERS));
  const sets = await Promise.all(PREDICTIONS.map((p) => scoreSets.active(p)));
  const rows: Record<string, unknown>[] = [];
  const row = async (name: string, op: (i: number) => Promise<unknown>, floor: { p50: number; p99: number }) => {
    const r = await latency(op);
    rows.push({ operation: name, 'p50 ms': r.p50.toFixed(2), 'p99 ms': r.p99.toFixed(2), 'ops/s': Math.round(r.opsPerSecond), 'floor p50 ms': floor.p50.toFixed(2), 'floor p99 ms': floor.p99.toFixed(2), 'target p99': '≤ 20 ms', met: r.p99 <= 20 ? 'yes' : 'no' });
  };
  const bare = db.collection('user_records');
  const floorOp = (i: number) => bare.findOne({ _id: `${pick(i)}|none` as never });
  const floor = await latency(floorOp);
  rows.push({ operation: 'bare _id lookup (floor)', 'p50 ms': floor.p50.toFixed(2), 'p99 ms': floor.p99.toFixed(2), 'ops/s': Math.round(floor.opsPerSecond) });
  await row('profile by id', (i) => records.read(pick(i)), floor);
  await row("a user's events of the last 90 days", async (i) => (await records.read(pick(i)))?.events.filter((e) => e.ts >= now - 90 * DAY), floor);
  await row("a user's current scores (2 predictions)", (i) => Promise.all(sets.map((s) => scoreSets.findScore(s!, pick(i)))), floor);
  await row('append an event', (i) => records.appendEvents([{ eventId: `bench-${Date.now()}-${i}`, userId: pick(i), type: 'session', ts: new Date() }]), floor);
  // The record the decisions API stores for each send (its reservation, by a unique id).
  const sendAt = Date.now();
  await row('record a send', (i) => sends.remember({ userId: pick(i), messageId: `bench-${sendAt}-${i}`, typologyId: 'bench', channel: 'email', weight: 1, capacityKeys: [], heldAt: sendAt }), floor);
  console.table(rows);

  // The population pass beside one bare streamed read of the same collection.
  let t = Date.now();
  let docs = 0;
  for await (const d of bare.find({}, { batchSize: 5000 })) if (d) docs++;
  const bareS = (Date.now() - t) / 1000;
  t = Date.now();
  let users = 0;
  let events = 0;
  for await (const batch of records.population(RESCORE_PARTITION_USERS)) {
    users += batch.length;
    for (const u of batch) events += u.events.length;
  }
  const passS = (Date.now() - t) / 1000;
  console.table([
    {
      pass: 'every user read once, merged',
      users,
      events,
      partitions: slotPartitions(await records.estimatedUsers(), RESCORE_PARTITION_USERS).length,
      seconds: passS.toFixed(1),
      'floor s (bare streamed read)': `${bareS.toFixed(1)} (${docs} records)`,
      'ratio (floor/ours)': (bareS / passS).toFixed(2),
    },
  ]);
  await db.close();
  await app.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
