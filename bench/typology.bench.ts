/**
 * bench:typology — decide-and-reserve throughput and latency: 64 concurrent callers (one worker
 * process, one decider, as a journeys worker runs them) deciding messages for users drawn at random
 * from a population, with a typical typology: filtering (address, subscription, a suppression list),
 * fatigue (a score read from an active prediction), quiet hours, a pressure cap of 3 a week and a
 * daily capacity pool every decision shares. Next to it, three floors on the same server and callers:
 * the two round trips a reservation needs done one caller at a time (an `_id` read and an insert);
 * the two writes every send makes, batched as the decider batches them (a ledger version, then a
 * decision record; no reads, no rules): no decider that stores both in turn can be faster here; and
 * the same two writes at once, the bound of a decider with nothing to read and no conflict to wait
 * for (a single writer holding everything in memory).
 * Runs against the server MONGODB_URI points to, in the database `bench_typology_<users>u`
 * (recreated each run). Usage:
 *   node dist/bench/typology.bench.js [users] [decisions] [concurrency]   (default 100000 20000 64)
 */
import { performance } from 'perf_hooks';
import mongoose from 'mongoose';
import { loadConfig } from '../libs/config/config';
import { Decision, TypologyUser, typologySchema, windowMs } from '../libs/domain/typology';
import { InsertBatcher } from '../libs/persistence/insert-batcher';
import type { SendLedgerDoc } from '../libs/persistence/send-ledger.schema';
import { DecisionLog } from '../libs/typology/decision-log';
import { standaloneTypology } from '../libs/typology/standalone-decider';
import { userLedgerKey } from '../libs/typology/typology-decider';
import { UserLedgerState } from '../libs/typology/user-ledger';
import { slotGroup, userSlot } from '../libs/domain/user-slots';
import { SplitMix64 } from '../libs/ml/random';

const ZONES = ['America/New_York', 'Europe/Paris', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Sydney'];
const PREDICTION = 'p_bench_unsubscribe';
const START = Date.UTC(2030, 0, 14, 9);
/** Simulated time advances this much per decision, so pressure windows roll during the run. */
const STEP_MS = 20_000;

const TYPOLOGY = typologySchema.parse({
  id: 'bench',
  name: 'Benchmark marketing typology',
  rules: [
    { type: 'filtering', name: 'hygiene', suppressionLists: ['bounces'] },
    { type: 'fatigue', name: 'tired', predictionId: PREDICTION, signal: 'unsubscribe_risk', threshold: 95 },
    { type: 'quiet_hours', name: 'night', start: '22:00', end: '07:00' },
    { type: 'pressure', name: 'weekly', maxMessages: 3, window: { amount: 7, unit: 'days' }, whenCapped: 'defer' },
    { type: 'capacity', name: 'provider', channel: 'email', maxPerDay: 10_000_000 },
  ],
});

function userAt(i: number): TypologyUser {
  const id = `b${String(i).padStart(7, '0')}`;
  return {
    id,
    timezone: ZONES[i % ZONES.length],
    addresses: { email: i % 97 === 0 ? 'not-an-address' : `${id}@example.test` },
    subscriptions: { email: i % 53 === 0 ? 'unsubscribed' : 'subscribed' },
  };
}

async function seed(db: mongoose.Connection, users: number): Promise<void> {
  await db.dropDatabase();
  const t = standaloneTypology(db);
  await t.typologies.create(TYPOLOGY);
  const created = new Date();
  await db.collection('predictions').insertOne({
    _id: PREDICTION as never, name: 'bench', type: 'unsubscribe', definition: { windowDays: 30 }, audience: {}, modelParams: {}, qualityGate: {},
    retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' }, rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
    status: 'active', archived: false, activeModelVersion: 1, createdAt: created, updatedAt: created,
  });
  const rng = new SplitMix64(7);
  const set = await t.scoreSets.register(PREDICTION, 1, created.getTime());
  for (let from = 0; from < users; from += 5000) {
    const scores = [];
    for (let i = from; i < Math.min(users, from + 5000); i++) {
      const score = Math.floor(100 * rng.nextDouble() ** 3);
      const s = userSlot(userAt(i).id);
      scores.push({ _id: userAt(i).id, s, g: slotGroup(s), probability: score / 100, score, category: score > 60 ? 'High' : score > 30 ? 'Medium' : 'Low' } as const);
    }
    await t.scoreSets.writeScores(set, scores);
  }
  await t.scoreSets.complete(set, { users, histogram: [], categories: { Low: 0, Medium: 0, High: 0 }, scoreCounts: [], percentiles: [], seconds: 0, usersPerSecond: 0 });
  await t.suppressionLists.add('bounces', Array.from({ length: Math.ceil(users / 200) }, (_, k) => ({ address: `${userAt(k * 200 + 1).id}@example.test` })));
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Runs `count` tasks with `concurrency` in flight; returns each task's latency (ms) and the wall time. */
async function closedLoop(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - t0) / 1000 };
}

function summary(name: string, r: { latencies: number[]; seconds: number }) {
  return {
    what: name,
    'per s': (r.latencies.length / r.seconds).toFixed(0),
    'p50 ms': quantile(r.latencies, 0.5).toFixed(1),
    'p99 ms': quantile(r.latencies, 0.99).toFixed(1),
    'max ms': r.latencies[r.latencies.length - 1].toFixed(1),
  };
}

async function main(): Promise<void> {
  const [users = 100_000, decisions = 20_000, concurrency = 64] = process.argv.slice(2).map(Number);
  const uri = new URL(loadConfig().MONGODB_URI);
  uri.pathname = `/bench_typology_${users}u`;
  const db = await mongoose.createConnection(uri.toString(), { maxPoolSize: concurrency + 8 }).asPromise();
  let t = Date.now();
  await seed(db, users);
  console.log(`seeded ${users} scores, a prediction, a suppression list and the typology in ${((Date.now() - t) / 1000).toFixed(1)} s on ${uri.host}`);

  const { decider, ledger, decisions: decisionsRepository } = standaloneTypology(db);
  const rng = new SplitMix64(11);
  const picks = Array.from({ length: decisions }, () => rng.nextInt(users));
  const outcomes = new Map<string, number>();
  t = Date.now();
  const run = await closedLoop(decisions, concurrency, async (i) => {
    const d: Decision = await decider.decide({ id: `m${i}`, typologyId: 'bench', channel: 'email' }, userAt(picks[i]), START + i * STEP_MS);
    const key = d.outcome === 'send' ? 'send' : `${d.outcome} (${d.rule})`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  });
  await ledger.flush();

  // Floor: what any reservation costs at least, one `_id` read and one insert, same callers and server.
  const scratch = db.collection('bench_floor');
  const versionIds = (await db.collection('send_ledger').find({}, { projection: { _id: 1 }, limit: 5000 }).toArray()).map((d) => d._id);
  const floor = await closedLoop(Math.min(decisions, 5000), concurrency, async (i) => {
    await db.collection('send_ledger').findOne({ _id: versionIds[i % versionIds.length] });
    await scratch.insertOne({ _id: `f${i}` as never, i });
  });
  const versions = new InsertBatcher<SendLedgerDoc>(db.collection('send_ledger'));
  const records = new DecisionLog(decisionsRepository);
  const sendWrites = (tag: string, i: number) => {
    const at = START + i * STEP_MS;
    const state = { entries: [{ m: `${tag}${i}`, c: 'email', w: 1, p: 0, at }], bumped: [] };
    return [
      () => versions.insert([{ _id: `floor/${tag}${i}#0`, k: `floor/${tag}${i}`, v: 0, s: JSON.stringify(state), t: new Date() }]),
      () => records.record({ userId: `${tag}${i}`, messageId: `${tag}${i}`, typologyId: 'bench', channel: 'email', outcome: 'send', rule: null, ruleType: null, reason: 'reserved', until: null, at }),
    ] as const;
  };
  const writes = await closedLoop(decisions, concurrency, async (i) => {
    const [version, record] = sendWrites('w', i);
    await version();
    await record();
  });
  // What a decider with no read on its path could do at best (a single writer holding its users'
  // ledgers and every fact in memory, whose version cannot conflict): both writes in one stage.
  const oneStage = await closedLoop(decisions, concurrency, async (i) => {
    const [version, record] = sendWrites('o', i);
    await Promise.all([version(), record()]);
  });

  // The caps held: no sampled user has more than 3 sends in any 7-day window of the run.
  const weekly = windowMs({ amount: 7, unit: 'days' });
  let worst = 0;
  for (const i of new Set(picks.slice(0, 300))) {
    const entries = (await ledger.state<UserLedgerState>(userLedgerKey(userAt(i).id)))?.entries ?? [];
    for (const e of entries) worst = Math.max(worst, entries.filter((o) => o.at > e.at - weekly && o.at <= e.at).length);
  }
  const docs = await db.collection('send_ledger').countDocuments({ k: { $regex: '^user/' } });
  console.log(`bench:typology — ${decisions} decisions, ${concurrency} concurrent callers, ${users} users, ${docs} ledger versions at the end`);
  console.table([summary('decide-and-reserve (ours)', run), summary('floor: _id read + insert', floor), summary('floor: version + record, batched', writes), summary('floor: version ∥ record, one stage', oneStage)]);
  console.log('outcomes', Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])));
  const s = ledger.stats;
  console.log(`per decision: ${(s.reads / decisions).toFixed(2)} ledger reads, ${(s.inserts / decisions).toFixed(2)} version inserts, ${(s.conflicts / decisions).toFixed(3)} conflicts; most sends to one user in 7 days (sample): ${worst} (cap 3)`);
  console.log(`p99 target < 20 ms: ${quantile(run.latencies, 0.99) < 20 ? 'met' : 'not met'} (run took ${((Date.now() - t) / 1000).toFixed(0)} s)`);
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
