import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { AppConfig, loadConfig, taskQueue } from '../../libs/config/config';
import { RetrainResult } from '../../libs/domain/prediction-workflows';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { seedPopulation } from '../../scripts/population-seeder';
import { PrivateFerretDb } from '../support/private-ferretdb';
import { temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

/** Longer than the old retry policies of the retrain's activities rode out (about two minutes). */
const OUTAGE_MS = 150_000;

/**
 * The database goes away for minutes while a retrain runs (a private FerretDB process, stopped and
 * started again): the retrain waits it out and completes, it does not fail.
 */
describe('a retrain rides out a database outage of minutes (private FerretDB; real Temporal, real worker)', () => {
  const { env } = testEnv('retrain-outage');
  let store: PrivateFerretDb;
  let client: Client;
  let db: mongoose.Connection;
  let worker: WorkerProcess;
  let cfg: AppConfig;

  beforeAll(async () => {
    store = await PrivateFerretDb.start();
    Object.assign(env, { MONGODB_URI: store.uri('retrain_outage') });
    Object.assign(process.env, env);
    cfg = loadConfig();
    client = await temporalClient(cfg);
    db = await mongoose.createConnection(cfg.MONGODB_URI).asPromise();
    const now = new Date();
    await Promise.all([
      seedPopulation(db, { users: 2000, historyDays: 120, seed: 11 }),
      db.collection('predictions').insertOne({
        _id: 'p_0000000outage' as never,
        name: 'Outage',
        type: 'purchase',
        definition: { windowDays: 7 },
        audience: {},
        modelParams: { rounds: 60, learningRate: 0.15, maxDepth: 3, maxLeaves: 8 },
        qualityGate: {},
        retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' },
        rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
        status: 'active',
        archived: false,
        activeModelVersion: null,
        createdAt: now,
        updatedAt: now,
      }),
    ]);
    worker = await WorkerProcess.start(env);
  });
  afterAll(async () => {
    await worker?.stop();
    await db?.close();
    await client?.connection.close();
    await store?.dispose();
  });

  it('completes once the database is back, after retrying through the outage', async () => {
    await store.stop('SIGKILL');
    const handle = await client.workflow.start('retrainModel', {
      workflowId: `${env.TASK_QUEUE_PREFIX}/retrain/p_0000000outage/outage`,
      taskQueue: taskQueue(cfg, 'ml'),
      args: [{ predictionId: 'p_0000000outage', trigger: 'test', rescore: false }],
      typedSearchAttributes: [{ key: PredictionIdKey, value: 'p_0000000outage' }],
    });
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const during = await handle.describe();
    expect(during.status.name).toBe('RUNNING');
    await store.startAgain();

    const result: RetrainResult = await handle.result();
    expect(result).toMatchObject({ predictionId: 'p_0000000outage', version: 1, promoted: true });
    // The outage was met: the first activity failed attempt after attempt, then succeeded.
    const attempts = (await handle.fetchHistory()).events!.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
    expect(Math.max(...attempts)).toBeGreaterThan(3);
  });
});
