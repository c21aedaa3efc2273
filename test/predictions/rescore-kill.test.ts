import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import mongoose from 'mongoose';
import { taskQueue } from '../../libs/config/config';
import { RescoreResult } from '../../libs/domain/prediction-workflows';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { rescoreProgressQuery } from '../../workflows/predictions/rescore-users.workflow';
import { seedPopulation } from '../../scripts/population-seeder';
import { activeScores } from '../support/stored-data';
import { trainedPrediction } from '../support/trained-prediction';
import { eventually } from '../support/eventually';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

const USERS = 20_000;

describe('rescoreUsers survives kill -9 of its worker (real Temporal, real FerretDB)', () => {
  const { env, cfg } = testEnv('rescore-kill');
  // Small chunks, so a partition's checkpoint moves several times before it is done, and heartbeats
  // that reach the server as they are made (not throttled to one in 24 s).
  const workerEnv = { ...env, RESCORE_CHUNK_USERS: '1000', WORKER_HEARTBEAT_THROTTLE_SECONDS: '1' };
  let client: Client;
  let db: mongoose.Connection;
  const workers: WorkerProcess[] = [];
  const killed = new Set<WorkerProcess>();

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    const [, w] = await Promise.all([seedPopulation(db, { users: USERS, historyDays: 30, seed: 21 }), WorkerProcess.start(workerEnv)]);
    workers.push(w);
  });
  afterAll(async () => {
    for (const w of workers) if (!killed.has(w)) await w.stop().catch(() => undefined);
    await client?.connection.close();
    await dropDb(db);
  });

  it('every user ends with exactly one score from the new model version', async () => {
    const predictionId = 'p_00000000kill';
    const opts = { taskQueue: taskQueue(cfg, 'ml'), typedSearchAttributes: [{ key: PredictionIdKey, value: predictionId }] };
    const trained = await trainedPrediction(db, client, cfg, predictionId);
    expect(trained).toMatchObject({ promoted: true, version: 1 });

    const handle = await client.workflow.start('rescoreUsers', {
      ...opts,
      workflowId: `${env.TASK_QUEUE_PREFIX}/rescore/${predictionId}/v1`,
      // Four partitions, all in flight at once.
      args: [{ predictionId, modelVersion: 1, partitionUsers: USERS / 4, parallelism: 4 }],
    });
    // Kill the worker once the server holds a checkpoint past some written chunks of a partition that
    // is not done: its next attempt resumes there with the counts so far, which must add up exactly.
    const written = await eventually(
      async () => {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        const resumable = pending.some((a) => {
          const details = a.activityType?.name === 'scorePartition' ? a.heartbeatDetails?.payloads?.[0] : undefined;
          return details !== undefined && (defaultPayloadConverter.fromPayload<{ stats?: { users: number } }>(details).stats?.users ?? 0) > 0;
        });
        if (!resumable) return undefined;
        const set = await db.collection('score_sets').findOne({ predictionId });
        return set ? db.collection(set.collectionName as string).countDocuments() : 0;
      },
      300_000,
      'a checkpoint past written scores',
    );
    expect(written).toBeLessThan(USERS);
    await workers[0].kill9();
    killed.add(workers[0]);
    workers.push(await WorkerProcess.start(workerEnv));

    const result: RescoreResult = await handle.result();
    expect(result).toMatchObject({ modelVersion: 1, users: USERS, scored: USERS, superseded: false });
    // Exactly one score per user, in the run's score set, which readers now use.
    const active = await activeScores(db, predictionId);
    expect(active?.key).toBe(result.scoreSet);
    expect(active!.scores.length).toBe(USERS);
    expect(new Set(active!.scores.map((s) => s._id)).size).toBe(USERS);
    expect(result.scoreSet).toMatch(/^v1@/);
    const p = await db.collection('predictions').findOne({ _id: predictionId as never });
    expect(p).toMatchObject({ activeModelVersion: 1 });
    const set = await db.collection('score_sets').findOne({ _id: `${predictionId}:${result.scoreSet}` as never });
    expect(set?.users).toBe(USERS);
    // After completion the progress query reports everything done.
    const progress = await handle.query(rescoreProgressQuery);
    expect(progress).toMatchObject({ usersDone: USERS, usersTotal: USERS });
    expect(progress.partitionsDone).toBe(progress.partitionsTotal);
    expect(progress.partitionsTotal).toBeGreaterThanOrEqual(4);
    console.log(`rescore of ${USERS} users with a kill -9 after ${written} scores: ${result.seconds.toFixed(1)} s, stats ${JSON.stringify(result.stats)}`);
  });
});
