import { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { taskQueue } from '../../libs/config/config';
import { OptimizeSendTimesResult, StoredSendTimeProfile } from '../../libs/domain/send-time-profile';
import { ensureSendTimeSchedule } from '../../libs/temporal/send-time-schedule';
import { deploymentIds } from '../../libs/temporal/workflow-ids';
import { nextBestMoment } from '../../libs/typology/next-best-moment';
import { seedPopulation } from '../../scripts/population-seeder';
import { keysByRole, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

const USERS = 600;
const withinAnHour = (a: number, b: number) => Math.min((a - b + 24) % 24, (b - a + 24) % 24) <= 1;

/**
 * optimizeSendTimes for real: its Temporal Schedule (ensured idempotently), a run over a simulated
 * population with known preferred hours, cut into several partitions on a worker process, the
 * profiles stored by user id, and the API answering from them.
 */
describe('optimizeSendTimes: schedule, run, stored profiles, API (real Temporal, real FerretDB)', () => {
  const { cfg, env } = testEnv('typology-send-times');
  const scheduleId = deploymentIds(cfg).sendTimesSchedule();
  const truth = new Map<string, { hour: number; timezone?: string }>();
  let db: mongoose.Connection;
  let client: Client;
  let worker: WorkerProcess;

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    await seedPopulation(db, { users: USERS, seed: 3, historyDays: 120, mutate: (u) => void truth.set(u.history.userId, { hour: u.profile.preferredHour, timezone: u.history.timezone }) });
    worker = await WorkerProcess.start(env);
  });

  afterAll(async () => {
    await client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
    await worker?.stop();
    await client?.connection.close();
    await dropDb(db);
  });

  it('ensures one daily schedule as configured, idempotently, and removes it when off', async () => {
    expect(await ensureSendTimeSchedule(client, { ...cfg, SEND_TIME_OPTIMIZE_AT: '03:15' })).toBe('created');
    expect(await ensureSendTimeSchedule(client, { ...cfg, SEND_TIME_OPTIMIZE_AT: '03:15' })).toBe('unchanged');
    expect(await ensureSendTimeSchedule(client, { ...cfg, SEND_TIME_OPTIMIZE_AT: '04:00' })).toBe('updated');
    const desc = await client.schedule.getHandle(scheduleId).describe();
    expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'optimizeSendTimes', taskQueue: taskQueue(cfg, 'ml') });
    expect(desc.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 4, end: 4, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
    expect(await ensureSendTimeSchedule(client, { ...cfg, SEND_TIME_OPTIMIZE_AT: 'off' })).toBe('deleted');
    expect(await ensureSendTimeSchedule(client, { ...cfg, SEND_TIME_OPTIMIZE_AT: 'off' })).toBe('unchanged');
  });

  it('a run over several partitions (continuing as new) stores every user’s profile, close to their true hour', async () => {
    const handle = await client.workflow.start('optimizeSendTimes', {
      taskQueue: taskQueue(cfg, 'ml'),
      workflowId: `${deploymentIds(cfg).optimizeSendTimes()}/partitions`,
      args: [{ partitionUsers: 150, parallelism: 2, partitionsPerRun: 2 }],
    });
    const result = (await handle.result()) as OptimizeSendTimesResult;
    expect(result.partitions).toBeGreaterThan(1);
    expect(result).toMatchObject({ profiles: USERS, priorSampleUsers: USERS });
    const profiles = await db.collection<StoredSendTimeProfile & { _id: string }>('send_time_profiles').find({}).toArray();
    expect(profiles.map((p) => p._id).sort()).toEqual([...truth.keys()].sort());
    // Two partitions a run: the first run continued as new, carrying its count and the plan.
    const first = await client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
    expect(first.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();

    const engaged = profiles.filter((p) => p.events >= 5);
    expect(engaged.length).toBeGreaterThan(50);
    const right = engaged.filter((p) => withinAnHour(p.bestHour, truth.get(p._id)!.hour)).length;
    expect(right / engaged.length).toBeGreaterThan(0.8);
  });

  it('the scheduled run stores profiles too, and the API answers the best hours and the next best moment from them', async () => {
    expect(await ensureSendTimeSchedule(client, { ...cfg, SEND_TIME_OPTIMIZE_AT: '04:00' })).toBe('created');
    const schedule = client.schedule.getHandle(scheduleId);
    const before = Date.now();
    await schedule.trigger();
    const runId = await eventually(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId, 30_000, 'the triggered run');
    expect(runId.startsWith(deploymentIds(cfg).optimizeSendTimes())).toBe(true);
    const result = (await client.workflow.getHandle(runId).result()) as OptimizeSendTimesResult;
    expect(result.profiles).toBe(USERS);
    const stored = await db.collection<StoredSendTimeProfile & { _id: string }>('send_time_profiles').findOne({ events: { $gte: 5 } });
    expect(stored!.computedAt).toBeGreaterThanOrEqual(before - 60_000);

    const app: INestApplication = await createApi();
    await app.init();
    try {
      const keys = await keysByRole(app);
      const after = '2030-06-05T10:00:00.000Z';
      const res = await withKey(app.getHttpServer(), keys.viewer).get(`/v1/users/${stored!._id}/send-time?after=${after}`).expect(200);
      const { timezone } = truth.get(stored!._id)!;
      expect(res.body).toEqual({
        userId: stored!._id,
        timezone: timezone ?? null,
        nextBestMoment: new Date(nextBestMoment(stored!, timezone, Date.parse(after))).toISOString(),
        profile: { bestHour: stored!.bestHour, bestHourByWeekday: stored!.bestHourByWeekday, confidence: stored!.confidence, events: stored!.events, computedAt: new Date(stored!.computedAt).toISOString() },
      });
      const next = Date.parse(res.body.nextBestMoment);
      expect(next).toBeGreaterThanOrEqual(Date.parse(after));
      expect(next).toBeLessThan(Date.parse(after) + 24 * 3_600_000);
    } finally {
      await app.close();
    }
  });
});
