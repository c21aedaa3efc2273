/**
 * bench:segments — the time to (re)compute a score-based segment over N users, next to the floor: the
 * time to read those scores once, with the same reads (one equality read per slot group, 4 partitions
 * at a time, as the segment workflow runs them). Steps, each with the evaluation code the workflow's
 * activities run (SegmentEvaluator: plan, every partition, commit), in-process against the store
 * MONGODB_URI points to, database `bench_segments_<users>u` (recreated each run):
 *   - first evaluation: every member enters (buckets and one change event per member written);
 *   - after a rescore that moved 1% of the scores: only changed groups rewritten, changes emitted;
 *   - again with nothing changed: reads and compares only.
 * Usage: node dist/bench/segments.bench.js [--users N]   (default 1000000)
 */
import 'reflect-metadata';
import { performance } from 'perf_hooks';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import mongoose from 'mongoose';
import { SegmentEvaluator } from '../activities/segments/segment-evaluator';
import { SegmentPopulation } from '../activities/segments/segment-population';
import { ConfigModule } from '../libs/config/config.module';
import { loadConfig } from '../libs/config/config';
import { GroupOutcome, SlotPartition } from '../libs/domain/segment-workflows';
import { slotGroup, userSlot } from '../libs/domain/user-slots';
import { SplitMix64 } from '../libs/ml/random';
import { PersistenceModule } from '../libs/persistence/persistence.module';
import { ScoreDoc } from '../libs/persistence/score-set.schema';
import { ScoreSetsRepository } from '../libs/persistence/score-sets.repository';
import { SegmentDefinitionsRepository } from '../libs/persistence/segment-definitions.repository';
import { groupsOf } from '../libs/segments/segment-evaluation';
import { SAMPLE_REASONS } from './sample-reasons';

const PID = 'p_00000000benc';
const SEGMENT = 's_00000000benc';
const PARALLELISM = 4;

function argUsers(): number {
  const k = process.argv.indexOf('--users');
  const n = k >= 0 ? Number(process.argv[k + 1]) : 1_000_000;
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`--users must be a positive whole number, got ${process.argv[k + 1]}`);
  return n;
}

@Module({ imports: [ConfigModule, PersistenceModule], providers: [SegmentEvaluator, SegmentPopulation] })
class BenchModule {}

/** Runs `work` over the items with PARALLELISM in flight, as the workflow runs partitions. */
async function bounded<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(PARALLELISM, items.length) }, async () => {
    while (next < items.length) results.push(await work(items[next++]));
  }));
  return results;
}

async function main(): Promise<void> {
  const users = argUsers();
  const base = loadConfig();
  const uri = new URL(base.MONGODB_URI);
  uri.pathname = `/bench_segments_${users}u`;
  process.env.MONGODB_URI = uri.toString();
  const db = await mongoose.createConnection(uri.toString()).asPromise();
  await db.dropDatabase();
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const scoreSets = app.get(ScoreSetsRepository);
  const evaluator = app.get(SegmentEvaluator);
  const now = Date.now();

  await db.collection('predictions').insertOne({
    _id: PID as never, name: 'bench', type: 'churn', definition: { windowDays: 30 }, audience: {}, modelParams: {}, qualityGate: {},
    retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' }, rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
    status: 'active', archived: false, activeModelVersion: 1, createdAt: new Date(now), updatedAt: new Date(now),
  });
  await app.get(SegmentDefinitionsRepository).insertRevision(
    { segmentId: SEGMENT, revision: 1, name: 'score 70+', description: null, definition: { type: 'predictionScore', predictionId: PID, min: 70, max: 100 }, deleted: false, at: new Date(now) },
    { keyId: null, name: 'bench', role: 'admin' },
  );

  const rng = new SplitMix64(17);
  const base0 = Array.from({ length: users }, () => Math.floor(101 * rng.nextDouble()));
  /** Writes a complete score set (as a finished rescore leaves it) in which `moved` of the users got a new score. */
  const writeSet = async (asOf: number, moved: number) => {
    const t = performance.now();
    const set = await scoreSets.register(PID, 1, asOf);
    for (let i = 0; i < moved; i++) base0[Math.floor(rng.nextDouble() * users)] = Math.floor(101 * rng.nextDouble());
    for (let from = 0; from < users; from += 10_000) {
      const docs: ScoreDoc[] = [];
      for (let i = from; i < Math.min(users, from + 10_000); i++) {
        const id = `u${String(i).padStart(7, '0')}`;
        const s = userSlot(id);
        docs.push({ _id: id, s, g: slotGroup(s), probability: base0[i] / 100, score: base0[i], category: base0[i] >= 66 ? 'High' : base0[i] >= 33 ? 'Medium' : 'Low', reasons: SAMPLE_REASONS });
      }
      await scoreSets.writeScores(set, docs);
    }
    await scoreSets.complete(set, { users, histogram: [], categories: { Low: 0, Medium: 0, High: 0 }, scoreCounts: [], percentiles: [], seconds: 0, usersPerSecond: 0 });
    console.log(`  wrote score set ${set.key} (${users} users, ${moved} moved) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return set;
  };

  const rows: { step: string; seconds: number; note: string }[] = [];
  const evaluate = async (step: string) => {
    const t = performance.now();
    const plan = await evaluator.plan(SEGMENT, Date.now());
    const ctx = plan.context!;
    const outcomes = await bounded(plan.partitions, (partition) =>
      evaluator.evaluatePartition({ context: ctx, version: plan.previous.version + 1, previousGroups: plan.previous.groups, partition, recheckStored: plan.recheckStored }, new Map<number, GroupOutcome>()),
    );
    const { commit } = await evaluator.commit({ context: ctx, previous: plan.previous, groups: outcomes.flatMap((o) => o.groups), reasons: [] });
    const seconds = (performance.now() - t) / 1000;
    const groupsWritten = outcomes.flatMap((o) => o.groups).filter((g) => g.changed).length;
    rows.push({ step, seconds, note: `v${commit.version}, ${commit.size} members, ${commit.entered} entered, ${commit.left} left, ${groupsWritten}/64 groups written` });
    return plan.partitions;
  };
  const floor = async (partitions: SlotPartition[], collectionName: string) => {
    const t = performance.now();
    let read = 0;
    await bounded(partitions, async (p) => {
      if (p.read === 'whole') for await (const _ of scoreSets.streamScores({ collectionName })) read++;
      else
        for (const g of groupsOf(p)) {
          const scores = await scoreSets.scoresOf({ collectionName }, { g });
          read += scores.length;
        }
    });
    rows.push({ step: 'floor: read the score set once', seconds: (performance.now() - t) / 1000, note: `${read} scores, the same reads` });
  };

  console.log(`bench:segments — ${users} users, segment "score 70-100" on one prediction`);
  const first = await writeSet(now - 60_000, 0);
  const partitions = await evaluate('first evaluation (every member enters)');
  await floor(partitions, first.collectionName);
  await writeSet(now, Math.round(users / 100));
  await evaluate('after a rescore moving 1% of scores');
  await evaluate('again, nothing changed');

  const floorSeconds = rows.find((r) => r.step.startsWith('floor'))!.seconds;
  console.log(`\n| step | seconds | users/s | × floor | |\n|---|---:|---:|---:|---|`);
  for (const r of rows) console.log(`| ${r.step} | ${r.seconds.toFixed(2)} | ${Math.round(users / r.seconds)} | ${(r.seconds / floorSeconds).toFixed(2)} | ${r.note} |`);
  await app.close();
  await db.dropDatabase();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
