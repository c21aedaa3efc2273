import { INestApplication } from '@nestjs/common';
import { Client, WorkflowFailedError } from '@temporalio/client';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { analyticsSchema } from '../../apps/api/predictions/predictions.responses';
import { taskQueue } from '../../libs/config/config';
import { RetrainResult } from '../../libs/domain/prediction-workflows';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { seedPopulation } from '../../scripts/population-seeder';
import { createKey, withKey } from '../support/api-keys';
import { activeScores } from '../support/stored-data';
import { eventually } from '../support/eventually';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

/**
 * The population's clock and the retrains' as-of time: a fixed date, so the training data (and the
 * metrics asserted on it) are the same on every run, whatever the time of day.
 */
const AS_OF = Date.UTC(2026, 10, 30);
/** Fast, deterministic model settings so the test trains in seconds on a shared 2-core machine. */
const FAST = { rounds: 150, learningRate: 0.1, maxDepth: 4, maxLeaves: 16, earlyStoppingRounds: 20 };

describe('prediction lifecycle (real Temporal, real FerretDB, real worker process)', () => {
  const { env, cfg } = testEnv('predictions');
  let app: INestApplication;
  let client: Client;
  let db: mongoose.Connection;
  let worker: WorkerProcess;
  let managerKey: string;
  const api = () => withKey(app.getHttpServer(), managerKey);
  const created: string[] = [];

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    app = await createApi();
    await app.init();
    managerKey = await createKey(app, 'manager');
    const [, w] = await Promise.all([seedPopulation(db, { users: 3000, historyDays: 120, seed: 11, now: AS_OF }), WorkerProcess.start(env)]);
    worker = w;
  });
  afterAll(async () => {
    for (const id of created) await api().delete(`/v1/predictions/${id}`);
    await worker?.stop();
    await app?.close();
    await client?.connection.close();
    await dropDb(db);
  });

  async function retrain(predictionId: string, tag: string): Promise<RetrainResult> {
    return client.workflow.execute('retrainModel', {
      workflowId: `${env.TASK_QUEUE_PREFIX}/retrain/${predictionId}/${tag}`,
      taskQueue: taskQueue(cfg, 'ml'),
      args: [{ predictionId, trigger: 'test', scope: env.TASK_QUEUE_PREFIX, partitionUsers: 1500, asOf: AS_OF }],
      typedSearchAttributes: [{ key: PredictionIdKey, value: predictionId }],
    });
  }

  it('refuses bad definitions with clear errors', async () => {
    const res = await api()
      .post('/v1/predictions')
      .send({ name: 'Churn 90', type: 'churn', definition: { windowDays: 90 } })
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'definition.windowDays', reason: 'at most 60 days: longer windows leave too little recent history to learn from' },
    ]);
    const weekly = await api()
      .post('/v1/predictions')
      .send({ name: 'x', type: 'purchase', definition: { windowDays: 14 }, retrainCadence: { every: 'weekly', at: '03:00' } })
      .expect(400);
    expect(weekly.body.errors).toEqual([{ field: 'retrainCadence.dayOfWeek', reason: 'a weekly cadence needs dayOfWeek' }]);
  });

  it('keeps the schedules in step: created, changed by an edit, paused on archive, deleted with the prediction', async () => {
    const res = await api()
      .post('/v1/predictions')
      .send({
        name: 'Sched test',
        type: 'purchase',
        definition: { windowDays: 14 },
        retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00' },
        rescoreCadence: { every: 'daily', at: '05:30', timezone: 'Europe/Paris' },
      })
      .expect(201);
    const id = res.body.prediction.id as string;
    expect(res.body.schedules.map((c: { change: string }) => c.change)).toEqual(['created', 'created']);
    const retrainSchedule = client.schedule.getHandle(`${env.TASK_QUEUE_PREFIX}/retrain:${id}`);
    const d1 = await retrainSchedule.describe();
    expect(d1.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }], dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }] });
    expect(d1.policies.overlap).toBe('SKIP');
    expect(d1.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retrainModel', taskQueue: taskQueue(cfg, 'ml') });
    expect(d1.state.paused).toBe(false);
    expect((await client.schedule.getHandle(`${env.TASK_QUEUE_PREFIX}/rescore:${id}`).describe()).spec.timezone).toBe('Europe/Paris');

    const edit = await api().patch(`/v1/predictions/${id}`).send({ retrainCadence: { every: 'monthly', dayOfMonth: 1, at: '04:45' } }).expect(200);
    expect(edit.body.schedules).toEqual([{ scheduleId: `${env.TASK_QUEUE_PREFIX}/retrain:${id}`, change: 'updated', detail: 'now retrain on day 1 of every month at 04:45 (UTC)' }]);
    const d2 = await retrainSchedule.describe();
    expect(d2.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 4, end: 4, step: 1 }], minute: [{ start: 45, end: 45, step: 1 }], dayOfMonth: [{ start: 1, end: 1, step: 1 }] });

    const archived = await api().post(`/v1/predictions/${id}/archive`).expect(200);
    expect(archived.body.schedules.map((c: { change: string }) => c.change)).toEqual(['paused', 'paused']);
    expect((await retrainSchedule.describe()).state.paused).toBe(true);
    expect((await client.schedule.getHandle(`${env.TASK_QUEUE_PREFIX}/rescore:${id}`).describe()).state.paused).toBe(true);
    await api().post(`/v1/predictions/${id}/run`).send({ kind: 'retrain' }).expect(409);

    // Drift: someone deletes a schedule by hand; the reconciler puts it back and says so.
    await client.schedule.getHandle(`${env.TASK_QUEUE_PREFIX}/rescore:${id}`).delete();
    const rec = await api().post('/v1/predictions/reconcile').expect(200);
    expect(rec.body.changes).toContainEqual({ scheduleId: `${env.TASK_QUEUE_PREFIX}/rescore:${id}`, change: 'created', detail: 'every day at 05:30 (Europe/Paris), paused' });
    expect((await api().post('/v1/predictions/reconcile').expect(200)).body.changes).toEqual([]);

    const del = await api().delete(`/v1/predictions/${id}`).expect(200);
    expect(del.body.schedules.map((c: { change: string }) => c.change)).toEqual(['deleted', 'deleted']);
    await expect(retrainSchedule.describe()).rejects.toThrow(/not found/i);
  });

  it('retrains (promotes a good model, rescores everyone), rejects a deliberately worse one and keeps the active version', async () => {
    const res = await api()
      .post('/v1/predictions')
      .send({ name: 'Purchase 14d', type: 'purchase', definition: { windowDays: 14 }, modelParams: FAST })
      .expect(201);
    const id = res.body.prediction.id as string;
    created.push(id);

    const first = await retrain(id, 'good');
    expect(first).toMatchObject({ promoted: true, version: 1, activeVersion: 1, rescoreWorkflowId: `${env.TASK_QUEUE_PREFIX}/rescore/${id}/v1` });
    expect(first.auc).toBeGreaterThan(0.7);
    const rescore = await client.workflow.getHandle(first.rescoreWorkflowId!).result();
    expect(rescore).toMatchObject({ modelVersion: 1, users: 3000, superseded: false });

    const active = await activeScores(db, id);
    expect(active?.key).toBe(rescore.scoreSet);
    expect(active!.scores.length).toBe(rescore.scored);
    expect(new Set(active!.scores.map((s) => s._id)).size).toBe(active!.scores.length);

    // A deliberately worse model: one stump.
    await api().patch(`/v1/predictions/${id}`).send({ modelParams: { rounds: 1, maxDepth: 1, learningRate: 0.1 } }).expect(200);
    const second = await retrain(id, 'stump');
    expect(second).toMatchObject({ promoted: false, version: 2, activeVersion: 1, rescoreWorkflowId: null });
    expect(second.reasons.join(' ')).toMatch(/worse than the active model/);

    const a = (await api().get(`/v1/predictions/${id}/analytics`).expect(200)).body;
    expect(analyticsSchema.safeParse(a).error?.issues ?? []).toEqual([]); // what the OpenAPI document says it is
    expect(a.prediction).toMatchObject({ activeModelVersion: 1, status: 'preview', usableInSegments: false });
    expect(a.quality).toMatchObject({ modelVersion: 1, modelStatus: 'active' });
    expect(['Poor', 'Fair', 'Good', 'Excellent']).toContain(a.quality.grade);
    expect(a.models.map((m: { version: number; status: string }) => [m.version, m.status])).toEqual([
      [2, 'rejected'],
      [1, 'active'],
    ]);
    expect(a.models[0].reasons[0]).toMatch(/worse than the active model/);
    expect(a.scores.histogram).toHaveLength(20);
    expect(a.scores.histogram.reduce((s: number, b: { users: number }) => s + b.users, 0)).toBe(rescore.scored);
    expect(a.scores.categories.Low + a.scores.categories.Medium + a.scores.categories.High).toBe(rescore.scored);
    expect(a.thresholds).toHaveLength(101);
    expect(a.thresholds[0].audienceSize).toBe(rescore.scored);
    expect(a.topFeatures.length).toBeGreaterThan(0);
    expect(a.schedules.retrain).toMatchObject({ exists: true, paused: false });

    const desc = await client.workflow.getHandle(first.rescoreWorkflowId!).describe();
    expect(desc.typedSearchAttributes.get(PredictionIdKey)).toBe(id);
    expect(await desc.staticSummary()).toBe(`Rescore prediction ${id} with model v1`);
  });

  it('fails degenerate training data with a clear non-retryable error and leaves nothing active', async () => {
    // Nobody in this audience exists: zero users.
    const res = await api()
      .post('/v1/predictions')
      .send({ name: 'Empty audience', type: 'purchase', definition: { windowDays: 14 }, audience: { attributes: { plan: ['platinum'] } }, modelParams: FAST })
      .expect(201);
    const id = res.body.prediction.id as string;
    created.push(id);
    const err = await retrain(id, 'degenerate').catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause?.cause as { message: string; type?: string; nonRetryable?: boolean } | undefined;
    expect(cause?.type).toBe('DegenerateTrainingData');
    expect(cause?.message).toMatch(/too few users to train for prediction p_[0-9a-f]+ at cutoff \d{4}-\d\d-\d\d \(0 users in the audience\): found 0 eligible users, needs at least 200/);
    const p = (await api().get(`/v1/predictions/${id}`).expect(200)).body;
    expect(p.activeModelVersion).toBeNull();
    await eventually(async () => ((await api().get(`/v1/predictions/${id}/analytics`)).body.models.length === 0 ? true : undefined), 5000, 'no model');
  });
});
