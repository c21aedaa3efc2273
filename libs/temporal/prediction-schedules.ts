import { createHash } from 'crypto';
import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleDescription,
  ScheduleNotFoundError,
  ScheduleOptions,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import { AppConfig, taskQueue } from '../config/config';
import { Cadence, cadenceToScheduleSpec, describeCadence } from '../domain/cadence';
import { RescoreInput, RetrainInput } from '../domain/prediction-workflows';
import { PredictionIdKey } from './search-attributes';

export type ScheduleKind = 'retrain' | 'rescore';
export const SCHEDULE_KINDS: ScheduleKind[] = ['retrain', 'rescore'];

export const scheduleIds = {
  retrain: (predictionId: string) => `retrain:${predictionId}`,
  rescore: (predictionId: string) => `rescore:${predictionId}`,
} as const;

/** What a prediction's schedules must look like: derived from its configuration alone. */
export interface ScheduledPrediction {
  id: string;
  name: string;
  retrainCadence: Cadence;
  rescoreCadence: Cadence;
  archived: boolean;
}

export interface ScheduleChange {
  scheduleId: string;
  change: 'created' | 'updated' | 'paused' | 'unpaused' | 'deleted';
  detail: string;
}

export interface ScheduleState {
  scheduleId: string;
  exists: boolean;
  paused?: boolean;
  cadence?: string;
  nextRuns?: Date[];
  lastRun?: { scheduledAt: Date; workflowId: string; status?: string } | null;
  runs?: number;
}

/** Bump when the shape of the schedules changes, so the reconciler rewrites every one once. */
const SCHEDULE_CODE_VERSION = 1;
/** Missed runs (server or workers down) still start if the server is back within this window. */
const CATCHUP_WINDOW = '1 hour';

/**
 * Keeps a prediction's two Temporal Schedules in step with its configuration. Every operation is
 * idempotent: `sync` creates what is missing, updates what drifted (compared by a fingerprint kept
 * in the scheduled action's memo) and pauses or unpauses to match the archived flag.
 */
export class PredictionSchedules {
  constructor(
    private readonly client: Client,
    private readonly cfg: Pick<AppConfig, 'TASK_QUEUE_PREFIX'>,
  ) {}

  private options(p: ScheduledPrediction, kind: ScheduleKind): ScheduleOptions & { fingerprint: string } {
    const cadence = kind === 'retrain' ? p.retrainCadence : p.rescoreCadence;
    const queue = taskQueue(this.cfg, 'ml');
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ v: SCHEDULE_CODE_VERSION, cadence: cadenceToScheduleSpec(cadence), queue, name: p.name }))
      .digest('hex')
      .slice(0, 16);
    const retrainArgs: RetrainInput = { predictionId: p.id, trigger: 'schedule' };
    const rescoreArgs: RescoreInput = { predictionId: p.id };
    const words = kind === 'retrain' ? 'Retrain' : 'Rescore';
    return {
      fingerprint,
      scheduleId: scheduleIds[kind](p.id),
      spec: cadenceToScheduleSpec(cadence),
      action: {
        type: 'startWorkflow',
        workflowType: kind === 'retrain' ? 'retrainModel' : 'rescoreUsers',
        args: [kind === 'retrain' ? retrainArgs : rescoreArgs],
        taskQueue: queue,
        // Temporal appends the scheduled time: retrain/<id>-<time>, one run per firing.
        workflowId: `${kind}/${p.id}`,
        typedSearchAttributes: [{ key: PredictionIdKey, value: p.id }],
        memo: {
          purpose:
            kind === 'retrain'
              ? `Scheduled retraining of prediction "${p.name}": train, gate against the active model, rescore if promoted`
              : `Scheduled rescoring of every user for prediction "${p.name}" with its active model`,
          fingerprint,
        },
        staticSummary: `${words} prediction ${p.name} (${p.id}) — scheduled ${describeCadence(cadence)}`,
        staticDetails: `Started by schedule ${scheduleIds[kind](p.id)}.`,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
      state: { paused: p.archived, note: p.archived ? 'prediction archived' : `${words.toLowerCase()} ${describeCadence(cadence)}` },
      memo: { predictionId: p.id, purpose: `${words} schedule of prediction ${p.name}` },
      typedSearchAttributes: [{ key: PredictionIdKey, value: p.id }],
    } as ScheduleOptions & { fingerprint: string };
  }

  /** Makes both schedules match the prediction; returns what it changed (nothing when in step). */
  async sync(p: ScheduledPrediction): Promise<ScheduleChange[]> {
    const changes: ScheduleChange[] = [];
    for (const kind of SCHEDULE_KINDS) {
      const { fingerprint, ...opts } = this.options(p, kind);
      const handle = this.client.schedule.getHandle(opts.scheduleId);
      let desc: ScheduleDescription | null = null;
      try {
        desc = await handle.describe();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
      if (!desc) {
        try {
          await this.client.schedule.create(opts);
          changes.push({ scheduleId: opts.scheduleId, change: 'created', detail: describeCadence(kind === 'retrain' ? p.retrainCadence : p.rescoreCadence) + (p.archived ? ', paused' : '') });
        } catch (err) {
          if (!(err instanceof ScheduleAlreadyRunning)) throw err; // created concurrently: fine
        }
        continue;
      }
      const stored = desc.action.type === 'startWorkflow' ? (desc.action.memo as { fingerprint?: string } | undefined)?.fingerprint : undefined;
      if (stored !== fingerprint) {
        await handle.update((prev) => ({ ...prev, spec: opts.spec, action: opts.action, policies: opts.policies, state: { ...prev.state, ...opts.state } }));
        changes.push({ scheduleId: opts.scheduleId, change: 'updated', detail: `now ${opts.state?.note}` });
      } else if (desc.state.paused !== p.archived) {
        if (p.archived) await handle.pause('prediction archived');
        else await handle.unpause('prediction unarchived');
        changes.push({ scheduleId: opts.scheduleId, change: p.archived ? 'paused' : 'unpaused', detail: p.archived ? 'prediction archived' : 'prediction unarchived' });
      }
    }
    return changes;
  }

  /** Deletes both schedules (missing ones are fine). */
  async remove(predictionId: string): Promise<ScheduleChange[]> {
    const changes: ScheduleChange[] = [];
    for (const kind of SCHEDULE_KINDS) {
      const id = scheduleIds[kind](predictionId);
      try {
        await this.client.schedule.getHandle(id).delete();
        changes.push({ scheduleId: id, change: 'deleted', detail: 'prediction deleted' });
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
    return changes;
  }

  /** "Run now": the schedule starts its action immediately (skipped if a run is still open). */
  async trigger(predictionId: string, kind: ScheduleKind): Promise<void> {
    await this.client.schedule.getHandle(scheduleIds[kind](predictionId)).trigger(ScheduleOverlapPolicy.SKIP);
  }

  async describe(predictionId: string, kind: ScheduleKind): Promise<ScheduleState> {
    const scheduleId = scheduleIds[kind](predictionId);
    try {
      const d = await this.client.schedule.getHandle(scheduleId).describe();
      const last = d.info.recentActions.at(-1);
      let status: string | undefined;
      if (last) {
        try {
          status = (await this.client.workflow.getHandle(last.action.workflow.workflowId, last.action.workflow.firstExecutionRunId).describe()).status.name;
        } catch {
          status = undefined;
        }
      }
      return {
        scheduleId,
        exists: true,
        paused: d.state.paused,
        cadence: d.spec.calendars?.[0]?.comment,
        nextRuns: d.info.nextActionTimes.slice(0, 3),
        lastRun: last ? { scheduledAt: last.scheduledAt, workflowId: last.action.workflow.workflowId, status } : null,
        runs: d.info.numActionsTaken,
      };
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return { scheduleId, exists: false };
      throw err;
    }
  }

  /** IDs of the prediction schedules this deployment owns (its ml task queue), for the reconciler. */
  async listOwnedPredictionIds(): Promise<Set<string>> {
    const queue = taskQueue(this.cfg, 'ml');
    const ids = new Set<string>();
    for await (const s of this.client.schedule.list()) {
      const m = /^(retrain|rescore):(.+)$/.exec(s.scheduleId);
      if (!m) continue;
      try {
        const d = await this.client.schedule.getHandle(s.scheduleId).describe();
        if (d.action.type === 'startWorkflow' && d.action.taskQueue === queue) ids.add(m[2]);
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
    return ids;
  }
}
