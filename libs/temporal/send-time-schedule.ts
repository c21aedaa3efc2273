import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import { AppConfig, taskQueue } from '../config/config';
import { OptimizeSendTimesInput } from '../domain/send-time-profile';
import { deploymentIds } from './workflow-ids';

export type SendTimeScheduleChange = 'created' | 'updated' | 'deleted' | 'unchanged';

/**
 * Keeps the one optimizeSendTimes schedule of this deployment as configured: daily at
 * SEND_TIME_OPTIMIZE_AT (UTC) on the ml task queue, none when `off`. Idempotent; the API calls it
 * on start-up, and anyone may call it again.
 */
export async function ensureSendTimeSchedule(client: Client, cfg: Pick<AppConfig, 'TASK_QUEUE_PREFIX' | 'SEND_TIME_OPTIMIZE_AT'>): Promise<SendTimeScheduleChange> {
  const scheduleId = deploymentIds(cfg).sendTimesSchedule();
  const handle = client.schedule.getHandle(scheduleId);
  let existing: Awaited<ReturnType<typeof handle.describe>> | null = null;
  try {
    existing = await handle.describe();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  if (cfg.SEND_TIME_OPTIMIZE_AT === 'off') {
    if (!existing) return 'unchanged';
    await handle.delete();
    return 'deleted';
  }
  const [hour, minute] = cfg.SEND_TIME_OPTIMIZE_AT.split(':').map(Number);
  const queue = taskQueue(cfg, 'ml');
  const args: OptimizeSendTimesInput = {};
  const fingerprint = `${cfg.SEND_TIME_OPTIMIZE_AT}|${queue}|v1`;
  const opts: ScheduleOptions = {
    scheduleId,
    spec: { calendars: [{ hour, minute, comment: `every day at ${cfg.SEND_TIME_OPTIMIZE_AT} UTC` }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'optimizeSendTimes',
      args: [args],
      taskQueue: queue,
      workflowId: deploymentIds(cfg).optimizeSendTimes(),
      memo: { fingerprint },
      staticSummary: `Optimize send times — recompute every user's best hours to send, daily at ${cfg.SEND_TIME_OPTIMIZE_AT} UTC`,
      staticDetails: `Started by schedule ${scheduleId}: fits the population's engagement hours, then stores each user's send-time profile by user id.`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour', pauseOnFailure: false },
    state: { note: `send times recomputed daily at ${cfg.SEND_TIME_OPTIMIZE_AT} UTC` },
    memo: { purpose: 'Daily recomputation of every user’s send-time profile' },
  };
  if (!existing) {
    try {
      await client.schedule.create(opts);
      return 'created';
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) return 'unchanged'; // created concurrently by another process
      throw err;
    }
  }
  const stored = existing.action.type === 'startWorkflow' ? (existing.action.memo as { fingerprint?: string } | undefined)?.fingerprint : undefined;
  if (stored === fingerprint) return 'unchanged';
  await handle.update((prev) => ({ ...prev, spec: opts.spec, action: opts.action, policies: opts.policies }));
  return 'updated';
}
