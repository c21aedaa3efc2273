import { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { taskQueue } from '../../libs/config/config';
import { Role } from '../../libs/domain/access';
import { RescoreResult } from '../../libs/domain/prediction-workflows';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { seedPopulation } from '../../scripts/population-seeder';
import { keysByRole, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { activeScores } from '../support/stored-data';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { trainedPrediction } from '../support/trained-prediction';
import { WorkerProcess } from '../support/worker-process';

const USERS = 1500;

/**
 * The rescore hook end to end: a real retrain and rescore; when the rescore completes its score set,
 * `notifyDependants` signals the segment reading the prediction, which re-evaluates on the new set.
 */
describe('a segment follows a real rescore of the prediction it reads (real Temporal, real FerretDB)', () => {
  const { env, cfg } = testEnv('segment-rescore');
  let app: INestApplication;
  let db: mongoose.Connection;
  let client: Client;
  let worker: WorkerProcess;
  let keys: Record<Role, string>;
  const as = (role: Role) => withKey(app.getHttpServer(), keys[role]);

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    app = await createApi();
    await app.init();
    const started = await Promise.all([keysByRole(app), WorkerProcess.start(env), seedPopulation(db, { users: USERS, historyDays: 120, seed: 5 })]);
    keys = started[0];
    worker = started[1];
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await client?.connection.close();
    await dropDb(db);
  });

  const rescore = (predictionId: string, tag: string): Promise<RescoreResult> =>
    client.workflow.execute('rescoreUsers', {
      taskQueue: taskQueue(cfg, 'ml'),
      workflowId: `${env.TASK_QUEUE_PREFIX}/rescore/${predictionId}/${tag}`,
      typedSearchAttributes: [{ key: PredictionIdKey, value: predictionId }],
      args: [{ predictionId, modelVersion: 1 }],
    });

  it('re-evaluates on the new score set once the rescore completes', async () => {
    const predictionId = 'p_00000000cc01';
    // The gate at its lowest floors: this test is about the segment following the rescore. The
    // model's holdout AUC on these 1,500 users moves with the time of day of the run (0.55-0.65).
    const gate = { minAuc: 0.5, minLiftQuality: 0 };
    expect(await trainedPrediction(db, client, cfg, predictionId, { qualityGate: gate })).toMatchObject({ promoted: true, version: 1 });
    const id = (await as('manager').post('/v1/segments/from-prediction').send({ predictionId, percentile: { min: 80, max: 100 } }).expect(201)).body.segment.id;
    const head = () => db.collection('segment_heads').findOne({ _id: id as never });
    // No score set yet: evaluated, nobody is a member.
    const v0 = await eventually(async () => (await head()) ?? undefined, 60_000, 'the first evaluation');
    expect(v0).toMatchObject({ version: 0, size: 0 });

    // Nobody asks the segment again: the rescore's completion alone makes it evaluate on the new set.
    const first = await rescore(predictionId, 'a');
    const v1 = await eventually(async () => ((await head())?.version === 1 ? head() : undefined), 120_000, 'version 1 after the rescore');
    const set1 = await activeScores(db, predictionId);
    expect(set1!.key).toBe(first.scoreSet);
    const sorted = set1!.scores.map((s) => s.probability).sort((a, b) => a - b);
    const rank = (p: number) => (100 * sorted.filter((q) => q < p).length) / sorted.length;
    const topFifth = set1!.scores.filter((s) => rank(s.probability) >= 80).length;
    // The percentile comes from the set's 101 cut points: within a point of the exact rank.
    expect(Math.abs(v1!.size - topFifth)).toBeLessThanOrEqual(Math.ceil(sorted.length / 100) + 1);
    expect(v1!.size).toBeGreaterThan(0);
    const changes1 = await db.collection('segment_changes').find({ segmentId: id }).toArray();
    expect(changes1).toHaveLength(v1!.size);

    const second = await rescore(predictionId, 'b');
    expect(second.superseded).toBe(false);
    await eventually(async () => ((await head())!.evaluatedAt > v1!.evaluatedAt ? true : undefined), 120_000, 'the evaluation after the second rescore');
    const changes = await db.collection('segment_changes').find({ segmentId: id }).toArray();
    expect(new Set(changes.map((c) => `${c.version}:${c.userId}`)).size).toBe(changes.length);
    const described = await client.workflow.getHandle(`${env.TASK_QUEUE_PREFIX}/segment/${id}`).describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.searchAttributes.SegmentId).toEqual([id]);
  });
});
