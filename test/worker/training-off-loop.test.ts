import { writeFileSync } from 'fs';
import { hostname, tmpdir } from 'os';
import { join } from 'path';
import { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import mongoose from 'mongoose';
import { taskQueue } from '../../libs/config/config';
import { importSpecSchema } from '../../libs/domain/import-spec';
import { RescoreResult, RetrainInput, RetrainResult } from '../../libs/domain/prediction-workflows';
import { startImport } from '../../libs/ingestion/import-starter';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { seedPopulation } from '../../scripts/population-seeder';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Far below the 2 minutes of production, so a modest training outlasts it many times over. */
const HEARTBEAT_TIMEOUT_MS = 3000;
/** Many deep rounds without early stopping on a few thousand users: tens of seconds of CPU, no giant data. */
const SLOW_MODEL = { rounds: 2500, learningRate: 0.01, maxDepth: 6, maxLeaves: 48, earlyStoppingRounds: 0, seed: 3 };

describe('training runs off the worker event loop (real Temporal, real FerretDB, real worker processes)', () => {
  const { env, cfg } = testEnv('train-thread');
  // One training thread each, and a short grace so SIGTERM ends a training soon.
  const workerEnv = { ...env, WORKER_QUEUES: 'ml', ML_THREADS: '1', WORKER_SHUTDOWN_GRACE_SECONDS: '1' };
  let client: Client;
  let db: mongoose.Connection;
  const workers: WorkerProcess[] = [];
  let metricsPort: number;

  beforeAll(async () => {
    client = await temporalClient(cfg);
    db = await openDb(cfg);
    metricsPort = await freePort();
    const [, w] = await Promise.all([
      seedPopulation(db, { users: 4000, historyDays: 60, seed: 8 }),
      WorkerProcess.start({ ...workerEnv, WORKER_METRICS_PORT: String(metricsPort) }),
    ]);
    workers.push(w);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await client?.connection.close();
    await dropDb(db);
  });

  async function startRetrain(predictionId: string): Promise<WorkflowHandle> {
    const now = new Date();
    await db.collection('predictions').insertOne({
      _id: predictionId as never,
      name: `Purchase (${predictionId})`,
      type: 'purchase',
      definition: { windowDays: 7 },
      audience: {},
      modelParams: SLOW_MODEL,
      qualityGate: {},
      retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' },
      rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
      status: 'active',
      archived: false,
      activeModelVersion: null,
      createdAt: now,
      updatedAt: now,
    });
    const input: RetrainInput = { predictionId, trigger: 'test', rescore: false, trainingHeartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS };
    return client.workflow.start('retrainModel', {
      taskQueue: taskQueue(cfg, 'ml'),
      typedSearchAttributes: [{ key: PredictionIdKey, value: predictionId }],
      workflowId: `${env.TASK_QUEUE_PREFIX}/retrain/${predictionId}/test`,
      args: [input],
    });
  }

  /** The running training attempt: its attempt number and the worker that took it. */
  async function runningTraining(handle: WorkflowHandle) {
    const { raw } = await handle.describe();
    const a = (raw.pendingActivities ?? []).find((p) => p.activityType?.name === 'trainCandidate');
    return a && a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED ? { attempt: a.attempt!, worker: a.lastWorkerIdentity! } : undefined;
  }

  const events = async (handle: WorkflowHandle): Promise<HistoryEvent[]> => (await handle.fetchHistory()).events ?? [];
  /** Started events of an activity type (a retried activity records only its last attempt's start). */
  function starts(history: HistoryEvent[], type: string): temporal.api.history.v1.IActivityTaskStartedEventAttributes[] {
    const scheduled = new Set(history.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).map((e) => String(e.eventId)));
    return history.flatMap((e) => (e.activityTaskStartedEventAttributes && scheduled.has(String(e.activityTaskStartedEventAttributes.scheduledEventId)) ? [e.activityTaskStartedEventAttributes] : []));
  }
  const ms = (e: HistoryEvent) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6);

  it('a training longer than its heartbeat timeout completes on attempt 1 while an import on the same process runs to the end', async () => {
    const retrain = await startRetrain('p_0000longtrain');
    const training = await eventually(() => runningTraining(retrain), 300_000, 'the training to start');
    expect(training.attempt).toBe(1);

    // An import started after the training began, on the same (only) worker process.
    const file = join(tmpdir(), `during-training-${Date.now()}.ndjson`);
    writeFileSync(file, Array.from({ length: 300 }, (_, i) => JSON.stringify({ eventId: `tt-${i}`, userId: `tt-user-${i % 40}`, type: 'session', ts: '2024-03-01T10:00:00Z' })).join('\n'));
    const imported = await startImport(client, cfg, file, importSpecSchema.parse({ format: 'ndjson' }));
    const importResult = await imported.handle.result();
    expect(importResult.counts).toMatchObject({ rows: 300, inserted: 300 });
    // The import ran to its end while the training still computes: the event loop was free.
    expect(await runningTraining(retrain)).toEqual({ attempt: 1, worker: training.worker });
    for (const s of starts(await events(imported.handle), 'importChunk')) expect(s.attempt).toBe(1);
    // Our counter on the worker's /metrics, beside the SDK's.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^propensity_events_imported\\{[^}]*taskQueue="${taskQueue(cfg, 'ml')}"[^}]*\\} 300$`, 'm'));

    const result: RetrainResult = await retrain.result();
    expect(result.version).toBe(1);
    const history = await events(retrain);
    const [started] = starts(history, 'trainCandidate');
    // One attempt, never timed out, although it ran longer than its heartbeat timeout.
    expect(started).toMatchObject({ attempt: 1, identity: training.worker });
    const startedEvent = history.find((e) => e.activityTaskStartedEventAttributes === started)!;
    const completed = history.find((e) => e.activityTaskCompletedEventAttributes && String(e.activityTaskCompletedEventAttributes.startedEventId) === String(startedEvent.eventId))!;
    expect(completed).toBeDefined();
    // The premise, not a speed claim: the training lasted longer than the timeout it had to heartbeat within.
    expect(ms(completed) - ms(startedEvent)).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS);
  });

  it('counts the scores a rescore writes on the worker\'s /metrics', async () => {
    const rescore: RescoreResult = await client.workflow.execute('rescoreUsers', {
      taskQueue: taskQueue(cfg, 'ml'),
      typedSearchAttributes: [{ key: PredictionIdKey, value: 'p_0000longtrain' }],
      workflowId: `${env.TASK_QUEUE_PREFIX}/rescore/p_0000longtrain/v1`,
      args: [{ predictionId: 'p_0000longtrain', modelVersion: 1 }],
    });
    expect(rescore.stats.inserted).toBeGreaterThan(0);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const written = metrics.split('\n').filter((l) => l.startsWith('propensity_scores_written{'));
    expect(written.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)).toBe(rescore.stats.inserted);
  });

  it('SIGTERM during a training stops the worker (the training thread ends) and the training resumes on another worker', async () => {
    workers.push(await WorkerProcess.start(workerEnv));
    const retrain = await startRetrain('p_00000sigterm');
    const training = await eventually(() => runningTraining(retrain), 300_000, 'the training to start');
    const victim = workers.find((w) => training.worker === `${w.pid}@${hostname()}`)!;
    const survivor = workers.find((w) => w !== victim)!;
    expect(victim).toBeDefined();

    // Graceful stop: the grace period passes, the training is cancelled (its thread terminated), the
    // process exits by itself rather than waiting for the training to end.
    expect(await victim.stop()).toBe(0);
    expect(victim.log).toContain('"msg":"worker stopped"');

    const result: RetrainResult = await retrain.result();
    expect(result.version).toBe(1);
    const [started] = starts(await events(retrain), 'trainCandidate');
    expect(started).toMatchObject({ attempt: 2, identity: `${survivor.pid}@${hostname()}` });
    // Attempt 1 failed as the worker shut down (reported at once), not by a missed heartbeat.
    expect(started.lastFailure?.applicationFailureInfo?.type).toBe('WorkerShutdown');
  });
});
