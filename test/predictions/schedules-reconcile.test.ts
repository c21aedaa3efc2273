import { INestApplication } from '@nestjs/common';
import { Client, ScheduleNotFoundError } from '@temporalio/client';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApi } from '../../apps/api/main';
import { PredictionsReconciler } from '../../apps/api/predictions/predictions-reconciler.service';
import { PredictionsService } from '../../apps/api/predictions/predictions.service';
import { taskQueue } from '../../libs/config/config';
import { deploymentMarker } from '../../libs/predictions/prediction-schedules';
import { deploymentIds } from '../../libs/temporal/workflow-ids';
import { createKey, withKey } from '../support/api-keys';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';

/**
 * A prediction's schedules follow its stored state whatever races change it, and the reconciler
 * deletes only schedules this deployment created. No worker: nothing here runs a workflow.
 */
describe('schedules agree with the stored predictions (real Temporal, real FerretDB)', () => {
  const { cfg } = testEnv('sched-reconcile');
  const ids = deploymentIds(cfg);
  let client: Client;
  let db: mongoose.Connection;
  // Two API processes' worth of writers: each app has its own schedule writer.
  let a: INestApplication;
  let b: INestApplication;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    [a, b] = await Promise.all([createApi(), createApi()]);
    await Promise.all([a.init(), b.init()]);
    [keyA, keyB] = await Promise.all([createKey(a, 'manager'), createKey(b, 'manager')]);
    // Each app's first Temporal call opens its connection (seconds on a server that just started):
    // made here, so the race below measures the schedules, not the connection set-up.
    await Promise.all([a, b].map((app) => request(app.getHttpServer()).get('/health').expect(200)));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await client?.connection.close();
    await dropDb(db);
  });

  const paused = async (predictionId: string) =>
    Promise.all((['retrain', 'rescore'] as const).map(async (k) => (await client.schedule.getHandle(ids.schedule(k, predictionId)).describe()).state.paused));

  it('ends with the schedules matching the stored archived flag after racing archives and unarchives', async () => {
    const created = await withKey(a.getHttpServer(), keyA).post('/v1/predictions').send({ name: 'Race', type: 'purchase', definition: { windowDays: 7 } }).expect(201);
    const id = created.body.prediction.id as string;
    expect(await paused(id)).toEqual([false, false]);
    for (let round = 0; round < 10; round++) {
      // Both processes, both directions, at once; which write lands last is up to the race.
      const calls = [
        () => withKey(a.getHttpServer(), keyA).post(`/v1/predictions/${id}/archive`),
        () => withKey(b.getHttpServer(), keyB).post(`/v1/predictions/${id}/unarchive`),
        () => withKey(b.getHttpServer(), keyB).post(`/v1/predictions/${id}/archive`),
        () => withKey(a.getHttpServer(), keyA).post(`/v1/predictions/${id}/unarchive`),
      ];
      // As the API asks of its clients: a 503 (Temporal slower than API_TEMPORAL_TIMEOUT_MS on a loaded
      // machine, seen once in CI) is retried; the schedules must still end as the stored flag says.
      const send = async (call: () => ReturnType<(typeof calls)[number]>) => {
        const first = await call();
        if (first.status !== 503) return first;
        await new Promise((r) => setTimeout(r, 1000));
        return call();
      };
      const answers = await Promise.all((round % 2 ? calls.reverse() : calls).map(send));
      // An answer other than 200 shows its body (its stack is in the API's log).
      expect(answers.map((r) => (r.status === 200 ? 200 : `${r.status} ${JSON.stringify(r.body)}`))).toEqual([200, 200, 200, 200]);
      const stored = await db.collection('predictions').findOne({ _id: id as never });
      expect(await paused(id)).toEqual([stored!.archived, stored!.archived]);
    }
    await withKey(a.getHttpServer(), keyA).delete(`/v1/predictions/${id}`).expect(200);
  });

  it('deletes only its own schedules of predictions that are gone: a schedule of another deployment survives', async () => {
    const spec = { intervals: [{ every: '1 day' as const }] };
    const action = { type: 'startWorkflow' as const, workflowType: 'rescoreUsers', args: [{ predictionId: 'p_00000000f0e1' }], taskQueue: taskQueue(cfg, 'ml') };
    // Ours (this deployment's marker) for a prediction not in our database: deleted.
    await client.schedule.create({ scheduleId: ids.schedule('rescore', 'p_00000000f0e1'), spec, action, state: { paused: true }, memo: { deployment: deploymentMarker(cfg) } });
    // Same scope and task queue, another deployment's marker (it shares the namespace and prefix, not the database): kept.
    await client.schedule.create({ scheduleId: ids.schedule('retrain', 'p_00000000f0e1'), spec, action, state: { paused: true }, memo: { deployment: `${cfg.TASK_QUEUE_PREFIX}@another_db` } });
    // Made by hand, no marker: kept.
    await client.schedule.create({ scheduleId: ids.schedule('rescore', 'p_00000000f0e2'), spec, action, state: { paused: true } });

    const report = await a.get(PredictionsReconciler).reconcile();
    expect(report.errors).toEqual([]);
    expect(report.changes).toEqual([{ scheduleId: ids.schedule('rescore', 'p_00000000f0e1'), change: 'deleted', detail: 'prediction deleted' }]);
    await expect(client.schedule.getHandle(ids.schedule('rescore', 'p_00000000f0e1')).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    for (const kept of [ids.schedule('retrain', 'p_00000000f0e1'), ids.schedule('rescore', 'p_00000000f0e2')]) {
      expect((await client.schedule.getHandle(kept).describe()).scheduleId).toBe(kept);
      await client.schedule.getHandle(kept).delete();
    }
  });

  it('marks the schedules it creates as this deployment\'s', async () => {
    const created = await withKey(a.getHttpServer(), keyA).post('/v1/predictions').send({ name: 'Marked', type: 'purchase', definition: { windowDays: 7 } }).expect(201);
    const id = created.body.prediction.id as string;
    const d = await client.schedule.getHandle(ids.schedule('retrain', id)).describe();
    expect(d.memo).toMatchObject({ predictionId: id, deployment: deploymentMarker(cfg) });
    expect(await a.get(PredictionsService).schedules.listOwnedPredictionIds()).toEqual(new Set([id]));
    await withKey(a.getHttpServer(), keyA).delete(`/v1/predictions/${id}`).expect(200);
  });
});
