import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { ROOT } from '../support/global-setup';
import { createKey, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';

/**
 * Restarts the Temporal dev server (same SQLite file) that infra.sh started. Test files run one at a
 * time (--runInBand), so no other file is affected; set SKIP_TEMPORAL_RESTART=1 while something else
 * (the demo) uses the server. Skipped when TEMPORAL_ADDRESS points at a server this project did not start.
 */
const localTemporal = fs.existsSync(path.join(ROOT, '.data', 'temporal.pid'));
const maybe = localTemporal && process.env.SKIP_TEMPORAL_RESTART !== '1' ? describe : describe.skip;

maybe('prediction schedules survive a Temporal dev server restart', () => {
  const { cfg } = testEnv('sched-restart');
  let app: INestApplication;
  let db: mongoose.Connection;
  let managerKey: string;

  beforeAll(async () => {
    db = await openDb(cfg);
    app = await createApi();
    await app.init();
    managerKey = await createKey(app, 'manager');
  });
  afterAll(async () => {
    await app?.close();
    await dropDb(db);
  });

  it('keeps the schedules and they still fire', async () => {
    // The next whole minute at least 75 s away: time to restart before it, and it still fires after.
    const fire = new Date(Date.now() + 75_000 + 60_000 - ((Date.now() + 75_000) % 60_000));
    const at = `${String(fire.getUTCHours()).padStart(2, '0')}:${String(fire.getUTCMinutes()).padStart(2, '0')}`;
    const res = await withKey(app.getHttpServer(), managerKey)
      .post('/v1/predictions')
      .send({ name: 'Restart', type: 'purchase', definition: { windowDays: 7 }, rescoreCadence: { every: 'daily', at } })
      .expect(201);
    const id = res.body.prediction.id as string;

    const pidFile = path.join(ROOT, '.data', 'temporal.pid');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    process.kill(pid, 'SIGTERM');
    await eventually(async () => { try { process.kill(pid, 0); return undefined; } catch { return true; } }, 30_000, 'Temporal to stop');
    fs.rmSync(pidFile, { force: true });
    execFileSync('bash', [path.join(ROOT, 'scripts', 'infra.sh'), 'up'], { cwd: ROOT, stdio: 'inherit' });
    const restartedAt = Date.now();

    const client: Client = await temporalClient(cfg);
    try {
      const schedule = client.schedule.getHandle(`${cfg.TASK_QUEUE_PREFIX}/rescore:${id}`);
      expect((await schedule.describe()).state.paused).toBe(false);
      expect((await client.schedule.getHandle(`${cfg.TASK_QUEUE_PREFIX}/retrain:${id}`).describe()).spec.calendars?.length).toBe(1);
      // What matters is that the schedule, created before the restart, fires after it.
      const fired = await eventually(async () => {
        const d = await schedule.describe();
        return d.info.recentActions.length > 0 ? d.info.recentActions[0] : undefined;
      }, 240_000, 'the schedule to fire');
      expect(fired.action.workflow.workflowId).toMatch(new RegExp(`^${cfg.TASK_QUEUE_PREFIX}/rescore/${id}-`));
      expect(fired.takenAt.getTime()).toBeGreaterThan(restartedAt);
      // No worker polls this test's queue: end the started run so nothing is left open.
      await client.workflow.getHandle(fired.action.workflow.workflowId).terminate('test done');
      await withKey(app.getHttpServer(), managerKey).delete(`/v1/predictions/${id}`).expect(200);
    } finally {
      await client.connection.close();
    }
  });
});
