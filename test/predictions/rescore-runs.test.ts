import { INestApplication } from '@nestjs/common';
import { Client, WorkflowHandle } from '@temporalio/client';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { taskQueue } from '../../libs/config/config';
import { RescoreResult } from '../../libs/domain/prediction-workflows';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { deploymentIds } from '../../libs/temporal/workflow-ids';
import { seedPopulation } from '../../scripts/population-seeder';
import { createKey, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { activeScores } from '../support/stored-data';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { trainedPrediction } from '../support/trained-prediction';
import { WorkerProcess } from '../support/worker-process';

const USERS = 3000;

/** Statuses of every run of a workflow, first to last (continue-as-new makes a chain of runs). */
async function runStatuses(client: Client, handle: WorkflowHandle): Promise<string[]> {
  const statuses: string[] = [];
  let runId: string | undefined;
  for (;;) {
    const h = client.workflow.getHandle(handle.workflowId, runId);
    statuses.unshift((await h.describe()).status.name);
    runId = (await h.fetchHistory()).events![0].workflowExecutionStartedEventAttributes!.continuedExecutionRunId ?? undefined;
    if (!runId) return statuses;
  }
}

describe('rescore runs: continue-as-new and scheduled runs found by version (real Temporal, real FerretDB)', () => {
  const { env, cfg } = testEnv('rescore-runs');
  let client: Client;
  let db: mongoose.Connection;
  let worker: WorkerProcess;
  let app: INestApplication;
  let key: string;
  const api = () => withKey(app.getHttpServer(), key);

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    app = await createApi();
    await app.init();
    key = await createKey(app, 'manager');
    const [, w] = await Promise.all([seedPopulation(db, { users: USERS, historyDays: 120, seed: 11 }), WorkerProcess.start(env)]);
    worker = w;
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await client?.connection.close();
    await dropDb(db);
  });

  it('continues as new every two partitions and scores every user exactly once', async () => {
    const predictionId = 'p_00000000ca01';
    expect(await trainedPrediction(db, client, cfg, predictionId)).toMatchObject({ promoted: true, version: 1 });
    const handle = await client.workflow.start('rescoreUsers', {
      workflowId: deploymentIds(cfg).rescore(predictionId, 1),
      taskQueue: taskQueue(cfg, 'ml'),
      typedSearchAttributes: [{ key: PredictionIdKey, value: predictionId }],
      args: [{ predictionId, modelVersion: 1, partitionUsers: 500, partitionsPerRun: 2, parallelism: 2 }],
    });
    const result: RescoreResult = await handle.result();
    expect(result).toMatchObject({ modelVersion: 1, users: USERS, scored: USERS, superseded: false });
    const statuses = await runStatuses(client, handle);
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(statuses.slice(0, -1).every((s) => s === 'CONTINUED_AS_NEW')).toBe(true);
    expect(statuses.at(-1)).toBe('COMPLETED');

    const active = await activeScores(db, predictionId);
    expect(active!.key).toBe(result.scoreSet);
    expect(active!.scores).toHaveLength(USERS);
    expect(new Set(active!.scores.map((s) => s._id)).size).toBe(USERS);
    expect(result.categories.Low + result.categories.Medium + result.categories.High).toBe(USERS);

    const progress = await api().get(`/v1/predictions/${predictionId}/rescores/1`).expect(200);
    expect(progress.body).toMatchObject({ status: 'COMPLETED', modelVersion: 1, users: USERS, scoreSet: result.scoreSet });
  });

  it('finds a rescore its schedule started by the model version it scored with', async () => {
    const predictionId = 'p_00000000ca02';
    expect(await trainedPrediction(db, client, cfg, predictionId)).toMatchObject({ promoted: true, version: 1, rescoreWorkflowId: null });
    await api().get(`/v1/predictions/${predictionId}/rescores/1`).expect(404);

    const run = await api().post(`/v1/predictions/${predictionId}/run`).send({ kind: 'rescore' }).expect(202);
    expect(run.body.scheduleId).toBe(`${env.TASK_QUEUE_PREFIX}/rescore:${predictionId}`);
    const progress = await eventually(
      async () => {
        const res = await api().get(`/v1/predictions/${predictionId}/rescores/1`);
        return res.status === 200 && res.body.status === 'COMPLETED' ? res.body : undefined;
      },
      120_000,
      'the scheduled rescore to complete',
    );
    expect(progress).toMatchObject({ modelVersion: 1, users: USERS, scored: USERS });
    // The run the schedule started is scoped like every other ID of this deployment.
    const fired = (await client.schedule.getHandle(run.body.scheduleId).describe()).info.recentActions;
    expect(fired).toHaveLength(1);
    expect(fired[0].action.workflow.workflowId).toMatch(new RegExp(`^${env.TASK_QUEUE_PREFIX}/rescore/${predictionId}-`));
    await api().get(`/v1/predictions/${predictionId}/rescores/2`).expect(404);

    await api().delete(`/v1/predictions/${predictionId}`).expect(200);
    await api().delete(`/v1/predictions/p_00000000ca01`).expect(200);
  });
});
