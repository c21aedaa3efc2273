/**
 * Every workflow ID and schedule ID Propensity uses, from one builder. IDs say what a run is and
 * make duplicates impossible: starting the same work twice hits the same ID, which Temporal refuses
 * (or attaches to) while the first run is open.
 *
 * IDs are unique per namespace. A deployment that shares a namespace with others (test runs,
 * tenants) sets TASK_QUEUE_PREFIX, and every ID it makes (workflows, schedules and the runs those
 * schedules start) carries that prefix, so deployments never collide. Pure and import-free: the
 * workflows use it too (a retrain names the rescore it starts, in the scope its input gives).
 */
export type ScheduleKind = 'retrain' | 'rescore';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['retrain', 'rescore'];

export interface WorkflowIds {
  /** An import, by file content hash: one file is never imported twice at once. */
  importEvents(importId: string): string;
  /** The rescore a promotion starts for the version it promoted. */
  rescore(predictionId: string, modelVersion: number): string;
  /** A prediction's retrain or rescore schedule. */
  schedule(kind: ScheduleKind, predictionId: string): string;
  /** The runs a schedule starts ("run now" included): Temporal appends the scheduled time, `-<time>`. */
  scheduledRun(kind: ScheduleKind, predictionId: string): string;
  /** The kind and prediction of a schedule ID of this scope; null for any other ID (another scope's included). */
  parseSchedule(scheduleId: string): { kind: ScheduleKind; predictionId: string } | null;
  /** The one schedule of optimizeSendTimes per deployment. */
  sendTimesSchedule(): string;
  /** Runs of the send-time schedule (Temporal appends the scheduled time), or one started by hand. */
  optimizeSendTimes(): string;
}

export function workflowIds(scope: string): WorkflowIds {
  const head = scope ? `${scope}/` : '';
  const scoped = (id: string) => head + id;
  return {
    importEvents: (importId) => scoped(`import/${importId}`),
    rescore: (predictionId, modelVersion) => scoped(`rescore/${predictionId}/v${modelVersion}`),
    schedule: (kind, predictionId) => scoped(`${kind}:${predictionId}`),
    scheduledRun: (kind, predictionId) => scoped(`${kind}/${predictionId}`),
    parseSchedule: (scheduleId) => {
      if (!scheduleId.startsWith(head)) return null;
      // No slash in the rest: an unscoped deployment does not read a scoped ID as its own.
      const m = /^(retrain|rescore):([^/]+)$/.exec(scheduleId.slice(head.length));
      return m ? { kind: m[1] as ScheduleKind, predictionId: m[2] } : null;
    },
    sendTimesSchedule: () => scoped('send-times'),
    optimizeSendTimes: () => scoped('send-times/optimize'),
  };
}

/** The builder of a deployment: its scope is TASK_QUEUE_PREFIX. */
export function deploymentIds(cfg: { TASK_QUEUE_PREFIX: string }): WorkflowIds {
  return workflowIds(cfg.TASK_QUEUE_PREFIX);
}
