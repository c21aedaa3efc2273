import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApplicationFailure, Client, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import mongoose from 'mongoose';
import { TRAINING_SET_MAX_AGE_HOURS } from '../../activities/predictions/training-sets.activities';
import { ACTIVITIES_BY_QUEUE, WorkerModule } from '../../apps/worker/worker.module';
import { bindActivities } from '../../libs/temporal/activity.decorator';
import { connectionOptions } from '../../libs/temporal/connection-options';
import { taskQueue } from '../../libs/config/config';
import { controlQueue } from '../../libs/temporal/control-queue';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { queueWorkers } from '../../libs/temporal/worker-factory';
import { bundleFile } from '../../libs/temporal/workflow-bundles';
import { seedPopulation } from '../../scripts/population-seeder';
import { TEST_BUNDLE_DIR } from '../support/global-setup';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { trainedPrediction } from '../support/trained-prediction';

/**
 * Training sets live only while a retrain needs them: dropped when it fails as when it succeeds, and
 * what a crashed retrain left is swept by the next one (FerretDB v1 has no TTL index to do it).
 */
describe('training sets never outlive their retrain (real Temporal, real FerretDB)', () => {
  const { cfg } = testEnv('training-sets');
  let client: Client;
  let db: mongoose.Connection;
  let app: INestApplicationContext;
  let connection: NativeConnection;
  const sets = () => db.collection('training_sets');

  /** The ml queue's workers in this process with the real activities, some of them replaced: runs `until` with them. */
  async function withWorkers<T>(until: () => Promise<T>, replace: Record<string, (...args: never[]) => Promise<unknown>> = {}): Promise<T> {
    const activities = Object.assign({}, ...ACTIVITIES_BY_QUEUE.ml.map((p) => bindActivities(app.get(p))), replace);
    const [ml, control] = await queueWorkers(cfg, { connection, queue: 'ml', workflowBundle: { codePath: bundleFile(TEST_BUNDLE_DIR, 'ml') }, activities });
    return control.runUntil(ml.runUntil(until));
  }

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    app = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    connection = await NativeConnection.connect(connectionOptions(cfg));
    await seedPopulation(db, { users: 3000, historyDays: 120, seed: 11 });
  });
  afterAll(async () => {
    await connection?.close();
    await app?.close();
    await client?.connection.close();
    await dropDb(db);
  });

  it('drops the set of a retrain that fails after building it', async () => {
    const predictionId = 'p_0000failtrain';
    let storedWhenTraining = 0;
    await withWorkers(
      async () => {
        // trainedPrediction stores the prediction and runs the retrain: here it fails.
        const err = await trainedPrediction(db, client, cfg, predictionId).then(() => null, (e) => e);
        expect(err).toBeInstanceOf(WorkflowFailedError);
        expect(err.cause.cause).toMatchObject({ type: 'DegenerateTrainingData', message: 'training failed on purpose (test)' });
      },
      {
        // The training step fails for good, after the set was built and stored.
        trainCandidate: async (input: { retrainId: string }) => {
          storedWhenTraining = await sets().countDocuments({ retrainId: input.retrainId });
          throw ApplicationFailure.nonRetryable('training failed on purpose (test)', 'DegenerateTrainingData');
        },
      },
    );
    const retrainId = `${cfg.TASK_QUEUE_PREFIX}/retrain/${predictionId}/test`;
    expect(storedWhenTraining).toBeGreaterThan(1); // header and rows were there while training
    expect(await sets().countDocuments({ retrainId })).toBe(0);
  });

  it('sweeps sets older than the limit at the start of a retrain, and keeps younger ones', async () => {
    const old = new Date(Date.now() - (TRAINING_SET_MAX_AGE_HOURS + 1) * 3600_000);
    const young = new Date(Date.now() - (TRAINING_SET_MAX_AGE_HOURS - 1) * 3600_000);
    await sets().insertMany([
      { _id: 'crashed/retrain/a#-1' as never, retrainId: 'crashed/retrain/a', k: -1, n: 10, p: 2, header: {}, createdAt: old },
      { _id: 'crashed/retrain/a#0' as never, retrainId: 'crashed/retrain/a', k: 0, n: 10, p: 2, createdAt: old },
      // Rows without a header (a crash between inserts) are swept too.
      { _id: 'crashed/retrain/b#3' as never, retrainId: 'crashed/retrain/b', k: 3, n: 10, p: 2, createdAt: old },
      { _id: 'running/retrain/c#-1' as never, retrainId: 'running/retrain/c', k: -1, n: 10, p: 2, header: {}, createdAt: young },
    ]);
    const result = await withWorkers(() => trainedPrediction(db, client, cfg, 'p_0000sweeping'));
    expect(result).toMatchObject({ promoted: true, version: 1 });
    expect(await sets().find({}, { projection: { _id: 1 } }).toArray()).toEqual([{ _id: 'running/retrain/c#-1' }]);
    expect((await client.workflow.getHandle(result.retrainId).describe()).typedSearchAttributes.get(PredictionIdKey)).toBe('p_0000sweeping');
    // Only the heavy steps take the ml queue's few slots; the steps around them run on its control queue.
    const scheduled = ((await client.workflow.getHandle(result.retrainId).fetchHistory()).events ?? []).flatMap((e) => {
      const a = e.activityTaskScheduledEventAttributes;
      return a ? [[a.activityType?.name, a.taskQueue?.name]] : [];
    });
    const ml = taskQueue(cfg, 'ml');
    expect(Object.fromEntries(scheduled)).toEqual({
      sweepTrainingSets: controlQueue(ml),
      buildTrainingSet: ml,
      trainCandidate: ml,
      decideQualityGate: controlQueue(ml),
      promoteModel: controlQueue(ml),
      dropTrainingSet: controlQueue(ml),
    });
  });
});
