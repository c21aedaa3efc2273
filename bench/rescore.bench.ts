/**
 * bench:rescore — end-to-end rescoring throughput on the embedded store through Temporal (one
 * in-process worker, partitions of RESCORE_PARTITION_USERS in parallel), with the split between
 * reading users, computing features + predicting, and writing scores; and the floor, measured in
 * the same run: one bare streamed read of every user record (what rescoring must read) plus the
 * same number of score documents written by bare insertMany calls (what it must write). Usage:
 *   node dist/bench/rescore.bench.js [users ...]     (default 100000 1000000)
 * Each size uses the population of bench/population.ts (shared with bench:store: seeded once with 30
 * days of simulated events, about 12 a user, and reused).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { DefaultLogger } from '@temporalio/worker';
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
import { populationUri, POPULATION_HISTORY_DAYS, preparePopulation } from './population';
import { SAMPLE_REASONS } from './sample-reasons';

const PID = 'p_00000000bench';

/** A purchase model trained in-process on 5,000 simulated users (training is not what is measured). */
async function storeModel(db: mongoose.Connection, now: number): Promise<void> {
  const def = { type: 'purchase' as const, windowDays: 7 };
  const hist = [...generateUsers({ seed: 5, users: 5000, now, historyDays: POPULATION_HISTORY_DAYS })].map((u) => u.history);
  const set = buildTrainingSet(hist, def, now - 7 * 86_400_000);
  const model = trainGbdt({ x: set.X, y: set.y, n: set.n, featureNames: set.schema.features.map((f) => f.name) }, { rounds: 100, maxDepth: 5, learningRate: 0.1 });
  const calibrator = fitPlatt(set.y, predictMargins(model, set.X, set.n));
  const created = new Date();
  // Only this benchmark's prediction: the population's database also holds bench:store's score sets.
  await db.collection('predictions').deleteMany({ _id: PID as never });
  await db.collection('models').deleteMany({ predictionId: PID });
  for (const s of await db.collection('score_sets').find({ predictionId: PID }).toArray()) await db.dropCollection(s.collectionName as string).catch(() => undefined);
  await db.collection('score_sets').deleteMany({ predictionId: PID });
  await db.collection('predictions').insertOne({
    _id: PID as never, name: 'bench', type: 'purchase', definition: { windowDays: 7 }, audience: {}, modelParams: {}, qualityGate: {},
    retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' }, rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
    status: 'active', archived: false, activeModelVersion: 1, createdAt: created, updatedAt: created,
  });
  await db.collection('models').insertOne({
    _id: `${PID}:v1` as never, predictionId: PID, version: 1, status: 'active', reasons: [], retrainId: 'bench', cutoff: created, createdAt: created,
    params: model.params, metrics: {}, thresholds: [], importance: [], featureNames: model.featureNames, trees: model.trees.length,
    modelJson: serializeModel(model), featureSchema: set.schema, calibrator,
  });
}


/** The floor: one bare streamed read of every user record, then `scores` bare score inserts (same shape, batches of 5,000). */
async function floor(db: mongoose.Connection, scores: number): Promise<{ readS: number; writeS: number }> {
  let t = Date.now();
  let records = 0;
  for await (const r of db.collection('user_records').find({}, { batchSize: 5000 })) if (r) records++;
  const readS = (Date.now() - t) / 1000;
  const coll = db.collection('bench_floor');
  await coll.drop().catch(() => undefined);
  await coll.createIndex({ g: 1 }); // as a score set's collection has
  await coll.createIndex({ s: 1 });
  t = Date.now();
  for (let i = 0; i < scores; i += 5000) {
    const docs = [];
    for (let k = i; k < Math.min(scores, i + 5000); k++) docs.push({ _id: `u${String(k + 1).padStart(7, '0')}`, s: k % 1024, g: (k % 1024) >> 4, probability: 0.1234, score: 12, category: 'Low', reasons: SAMPLE_REASONS });
    await coll.insertMany(docs as never[], { ordered: false });
  }
  const writeS = (Date.now() - t) / 1000;
  await coll.drop();
  return { readS, writeS };
}

async function benchOne(users: number) {
  Object.assign(process.env, { MONGODB_URI: populationUri(loadConfig().MONGODB_URI, users), TASK_QUEUE_PREFIX: 'bench-rescore', LOG_LEVEL: 'warn' });
  const cfg = loadConfig();
  const db = await mongoose.createConnection(cfg.MONGODB_URI).asPromise();
  const { now, events } = await preparePopulation(db, users);
  await storeModel(db, now);

  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  const { connection, workers } = await createWorkers(app, cfg, ACTIVITIES_BY_QUEUE, new DefaultLogger('WARN'));
  const running = Promise.all(workers.map((w) => w.run()));
  const client = new Client({ connection: await Connection.connect(connectionOptions(cfg)), namespace: cfg.TEMPORAL_NAMESPACE });
  const t = Date.now();
  const result: RescoreResult = await client.workflow.execute('rescoreUsers', {
    workflowId: `bench/rescore/${users}/${t}`,
    taskQueue: taskQueue(cfg, 'ml'),
    args: [{ predictionId: PID, modelVersion: 1, parallelism: cfg.RESCORE_PARALLELISM }], // as the product's schedules start it
    typedSearchAttributes: [{ key: PredictionIdKey, value: PID }],
  });
  const seconds = (Date.now() - t) / 1000;
  workers.forEach((w) => w.shutdown());
  await running;
  await connection.close();
  await app.close();
  await client.connection.close();

  const f = await floor(db, result.scored);
  await db.close();
  const st = result.stats;
  const busy = st.readMs + st.predictMs + st.writeMs;
  const pct = (x: number) => `${((100 * x) / busy).toFixed(0)}%`;
  const floorS = f.readS + f.writeS;
  return {
    users,
    events,
    scored: result.scored,
    seconds: Number(seconds.toFixed(1)),
    'users/s': Math.round(users / seconds),
    read: pct(st.readMs),
    'features+predict': pct(st.predictMs),
    write: pct(st.writeMs),
    'floor s (read + write)': `${floorS.toFixed(1)} (${f.readS.toFixed(1)} + ${f.writeS.toFixed(1)})`,
    'ratio (floor/ours)': Number((floorS / seconds).toFixed(2)),
    'target': '≥ 0.5 of floor; 1M users < 300 s',
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
