import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { taskQueue } from '../../libs/config/config';
import { RescoreResult } from '../../libs/domain/prediction-workflows';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { seedPopulation } from '../../scripts/population-seeder';
import { activeScores } from '../support/stored-data';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { trainedPrediction } from '../support/trained-prediction';
import { WorkerProcess } from '../support/worker-process';

const USERS = 3000;

describe('two rescores of one prediction at once (real Temporal, real FerretDB)', () => {
  const { env, cfg } = testEnv('rescore-race');
  let client: Client;
  let db: mongoose.Connection;
  let worker: WorkerProcess;

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    // No grace period: a replaced set is dropped as soon as the newer one completes.
    const [, w] = await Promise.all([seedPopulation(db, { users: USERS, historyDays: 120, seed: 11 }), WorkerProcess.start({ ...env, SCORE_SET_GRACE_SECONDS: '0' })]);
    worker = w;
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
    await dropDb(db);
  });

  it('ends with exactly one active score set, no other set left, every user scored once', async () => {
    const predictionId = 'p_00000000race';
    expect(await trainedPrediction(db, client, cfg, predictionId)).toMatchObject({ promoted: true, version: 1 });
    const start = (tag: string) =>
      client.workflow.start('rescoreUsers', {
        taskQueue: taskQueue(cfg, 'ml'),
        workflowId: `${env.TASK_QUEUE_PREFIX}/rescore/${predictionId}/${tag}`,
        typedSearchAttributes: [{ key: PredictionIdKey, value: predictionId }],
        // Small partitions, so the two runs interleave partition by partition.
        args: [{ predictionId, modelVersion: 1, partitionUsers: 500, parallelism: 2 }],
      });
    const [a, b] = await Promise.all([start('a'), start('b')]);
    const results: RescoreResult[] = await Promise.all([a.result(), b.result()]);
    expect(results.map((r) => r.users)).toEqual([USERS, USERS]);

    const sets = await db.collection('score_sets').find({ predictionId }).toArray();
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ state: 'complete', users: USERS });
    const active = await activeScores(db, predictionId);
    expect(active!.key).toBe(sets[0].key);
    expect(active!.scores).toHaveLength(USERS);
    expect(new Set(active!.scores.map((s) => s._id)).size).toBe(USERS);
    // No orphaned score collection of this prediction.
    const collections = (await db.db!.listCollections().toArray()).map((c) => c.name).filter((n) => n.startsWith(`scores_${predictionId}_`));
    expect(collections).toEqual([sets[0].collectionName]);
    // The run whose set was replaced or never used says so; exactly one says neither.
    const winners = results.filter((r) => r.scoreSet === sets[0].key);
    expect(winners.length).toBeGreaterThanOrEqual(1);
  });
});
