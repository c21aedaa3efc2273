/**
 * bench:rescore — end-to-end rescoring throughput on FerretDB through Temporal (one in-process
 * worker, 4 key ranges in parallel), with the split between reading histories, computing
 * features + predicting, and writing scores; and the floor: the same number of score documents
 * written by a bare bulkWrite(insertOne) loop. Usage:
 *   node -r @swc-node/register bench/rescore.bench.ts [users ...]     (default 100000 1000000)
 * Each size uses its own database `bench_rescore_<users>` (seeded once with 30 days of simulated
 * events per user, reused by later runs).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { WorkerModule, ACTIVITIES_BY_QUEUE } from '../apps/worker/worker.module';
import { loadConfig, taskQueue } from '../libs/config/config';
import { RescoreResult } from '../libs/domain/prediction-workflows';
import { buildTrainingSet } from '../libs/ml/datasets/training-set';
import { predictMargins, serializeModel, trainGbdt } from '../libs/ml/gbdt';
import { generateUsers } from '../libs/ml/simulation';
import { fitPlatt } from '../libs/ml/scores';
import { connectionOptions } from '../libs/temporal/connection-options';
import { PredictionIdKey } from '../libs/temporal/search-attributes';
import { createWorkers } from '../libs/temporal/worker-factory';
import { seedPopulation } from '../libs/persistence/population-seeder';

const HISTORY_DAYS = 30;
const PID = 'p_00000000bench';

async function prepare(db: mongoose.Connection, users: number): Promise<number> {
  const have = await db.collection('users').estimatedDocumentCount();
  const meta = await db.collection('bench_meta').findOne({ _id: 'population' as never });
  if (have === users && meta) return meta.now as number;
  await db.dropDatabase();
  const t = Date.now();
  const seeded = await seedPopulation(db, { users, historyDays: HISTORY_DAYS, seed: 99 });
  await db.collection('bench_meta').insertOne({ _id: 'population' as never, now: seeded.now, events: seeded.events });
  console.log(`seeded ${users} users, ${seeded.events} events in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  return seeded.now;
}

/** A purchase model trained in-process on 5,000 simulated users (training is not what is measured). */
async function storeModel(db: mongoose.Connection, now: number): Promise<void> {
  const def = { type: 'purchase' as const, windowDays: 7 };
  const hist = [...generateUsers({ seed: 5, users: 5000, now, historyDays: HISTORY_DAYS })].map((u) => u.history);
  const set = buildTrainingSet(hist, def, now - 7 * 86_400_000);
  const model = trainGbdt({ x: set.X, y: set.y, n: set.n, featureNames: set.schema.features.map((f) => f.name) }, { rounds: 100, maxDepth: 5, learningRate: 0.1 });
  const calibrator = fitPlatt(set.y, predictMargins(model, set.X, set.n));
  const created = new Date();
  await db.collection('predictions').deleteMany({});
  await db.collection('models').deleteMany({});
  await db.collection('scores').deleteMany({});
  await db.collection('score_snapshots').deleteMany({});
  await db.collection('predictions').insertOne({
    _id: PID as never, name: 'bench', type: 'purchase', definition: { windowDays: 7 }, audience: {}, modelParams: {}, qualityGate: {},
    retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' }, rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
    status: 'active', archived: false, activeModelVersion: 1, activeScoreSet: null, scoreSets: [], createdAt: created, updatedAt: created,
  });
  await db.collection('models').insertOne({
    _id: `${PID}:v1` as never, predictionId: PID, version: 1, status: 'active', reasons: [], retrainId: 'bench', cutoff: created, createdAt: created,
    params: model.params, metrics: {}, thresholds: [], importance: [], featureNames: model.featureNames, trees: model.trees.length,
    modelJson: serializeModel(model), featureSchema: set.schema, calibrator,
  });
}

async function floor(db: mongoose.Connection, users: number): Promise<number> {
  const coll = db.collection('bench_floor');
  await coll.drop().catch(() => undefined);
  const t = Date.now();
  for (let i = 0; i < users; i += 2000) {
    const ops = [];
    for (let k = i; k < Math.min(users, i + 2000); k++) {
      const userId = `u${String(k + 1).padStart(7, '0')}`;
      ops.push({ insertOne: { document: { _id: `${PID}:v1@x:${userId}`, predictionId: PID, scoreSet: 'v1@x', modelVersion: 1, userId, probability: 0.1234, score: 12, category: 'Low' } } });
    }
    await coll.bulkWrite(ops as never, { ordered: false });
  }
  const s = (Date.now() - t) / 1000;
  await coll.drop();
  return users / s;
}

async function benchOne(users: number) {
  const base = loadConfig();
  const uri = new URL(base.MONGODB_URI);
  uri.pathname = `/bench_rescore_${users}`;
  Object.assign(process.env, { MONGODB_URI: uri.toString(), TASK_QUEUE_PREFIX: 'bench-rescore', LOG_LEVEL: 'warn' });
  const cfg = loadConfig();
  const db = await mongoose.createConnection(cfg.MONGODB_URI).asPromise();
  const now = await prepare(db, users);
  await storeModel(db, now);

  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  const { connection, workers } = await createWorkers(app, cfg, ACTIVITIES_BY_QUEUE);
  const running = Promise.all(workers.map((w) => w.run()));
  const client = new Client({ connection: await Connection.connect(connectionOptions(cfg)), namespace: cfg.TEMPORAL_NAMESPACE });
  const t = Date.now();
  const result: RescoreResult = await client.workflow.execute('rescoreUsers', {
    workflowId: `bench/rescore/${users}/${t}`,
    taskQueue: taskQueue(cfg, 'ml'),
    args: [{ predictionId: PID, modelVersion: 1, partitions: 4, parallelism: 4 }],
    typedSearchAttributes: [{ key: PredictionIdKey, value: PID }],
  });
  const seconds = (Date.now() - t) / 1000;
  workers.forEach((w) => w.shutdown());
  await running;
  await connection.close();
  await app.close();
  await client.connection.close();

  const floorRate = await floor(db, result.scored);
  await db.close();
  const s = result.stats;
  const busy = s.readMs + s.predictMs + s.writeMs;
  const pct = (x: number) => `${((100 * x) / busy).toFixed(0)}%`;
  return {
    users,
    scored: result.scored,
    seconds: seconds.toFixed(1),
    'users/s': (users / seconds).toFixed(0),
    read: pct(s.readMs),
    'features+predict': pct(s.predictMs),
    write: pct(s.writeMs),
    'floor bulkWrite docs/s': floorRate.toFixed(0),
    'ratio (ours/floor)': (result.scored / seconds / floorRate).toFixed(2),
  };
}

async function main() {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const rows = [];
  for (const n of sizes.length ? sizes : [100_000, 1_000_000]) {
    rows.push(await benchOne(n));
    console.table(rows);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
