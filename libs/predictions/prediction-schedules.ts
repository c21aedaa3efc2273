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
import { PredictionIdKey } from '../temporal/search-attributes';
import { deploymentIds, SCHEDULE_KINDS, ScheduleKind, WorkflowIds } from '../temporal/workflow-ids';

export { ScheduleKind } from '../temporal/workflow-ids';

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
const SCHEDULE_CODE_VERSION = 2;
/** Rounds of "apply, read the stored state again" before giving up on a prediction that keeps changing. */
const MAX_SYNC_ROUNDS = 10;

/**
 * What marks a schedule as created by this deployment (its task-queue prefix and database): the
 * reconciler deletes only schedules carrying it, never those of another deployment sharing the
 * namespace, nor ones made by hand.
 */
export function deploymentMarker(cfg: Pick<AppConfig, 'TASK_QUEUE_PREFIX' | 'MONGODB_URI'>): string {
  // A URI without a database means the driver's default one, `test`.
  return `${cfg.TASK_QUEUE_PREFIX}@${new URL(cfg.MONGODB_URI).pathname.replace(/^\//, '') || 'test'}`;
}
/** Missed runs (server or workers down) still start if the server is back within this window. */
const CATCHUP_WINDOW = '1 hour';

/**
 * Keeps a prediction's two Temporal Schedules in step with its stored configuration. Every operation
 * is idempotent: `sync` creates what is missing, updates what drifted (compared by a fingerprint kept
 * in the scheduled action's memo) and pauses or unpauses to match the archived flag.
 */
export class PredictionSchedules {
  private readonly ids: WorkflowIds;
  private readonly marker: string;
  /** One writer per prediction in this process: its syncs run one after the other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: Client,
    private readonly cfg: Pick<AppConfig, 'TASK_QUEUE_PREFIX' | 'MONGODB_URI' | 'RESCORE_PARALLELISM'>,
  ) {
    this.ids = deploymentIds(cfg);
    this.marker = deploymentMarker(cfg);
  }

  scheduleId(kind: ScheduleKind, predictionId: string): string {
    return this.ids.schedule(kind, predictionId);
  }

  /**
   * Makes a prediction's schedules match what is stored, whatever else changes it at the same time:
   * reads the stored prediction, applies it, and reads it again, until what it applied is still what
   * is stored (absent: the schedules this deployment created are removed). Syncs of one prediction run
   * one at a time in this process; across processes the re-read makes the last one to act apply the
   * last stored state (a sync that acted on a stale state sees the change on its re-read and acts again).
   */
  syncStored(predictionId: string, load: (id: string) => Promise<ScheduledPrediction | null>): Promise<ScheduleChange[]> {
    const run = (this.queues.get(predictionId) ?? Promise.resolve()).catch(() => undefined).then(async () => {
      const changes: ScheduleChange[] = [];
      let p = await load(predictionId);
      for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
        changes.push(...(p ? await this.sync(p) : await this.remove(predictionId, { onlyOurs: true })));
        const now = await load(predictionId);
        if (sameSchedules(p, now)) return changes;
        p = now;
      }
      throw new Error(`prediction ${predictionId} kept changing while its schedules were synced (${MAX_SYNC_ROUNDS} rounds)`);
    });
    this.queues.set(predictionId, run);
    void run.finally(() => this.queues.get(predictionId) === run && this.queues.delete(predictionId)).catch(() => undefined);
    return run;
  }

  private options(p: ScheduledPrediction, kind: ScheduleKind): ScheduleOptions & { fingerprint: string } {
    const cadence = kind === 'retrain' ? p.retrainCadence : p.rescoreCadence;
    const queue = taskQueue(this.cfg, 'ml');
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ v: SCHEDULE_CODE_VERSION, cadence: cadenceToScheduleSpec(cadence), queue, name: p.name, parallelism: this.cfg.RESCORE_PARALLELISM }))
      .digest('hex')
      .slice(0, 16);
    const retrainArgs: RetrainInput = { predictionId: p.id, trigger: 'schedule', scope: this.cfg.TASK_QUEUE_PREFIX, rescoreParallelism: this.cfg.RESCORE_PARALLELISM };
    const rescoreArgs: RescoreInput = { predictionId: p.id, parallelism: this.cfg.RESCORE_PARALLELISM };
    const words = kind === 'retrain' ? 'Retrain' : 'Rescore';
    return {
      fingerprint,
      scheduleId: this.ids.schedule(kind, p.id),
      spec: cadenceToScheduleSpec(cadence),
      action: {
        type: 'startWorkflow',
        workflowType: kind === 'retrain' ? 'retrainModel' : 'rescoreUsers',
        args: [kind === 'retrain' ? retrainArgs : rescoreArgs],
        taskQueue: queue,
        // Temporal appends the scheduled time: retrain/<id>-<time>, one run per firing.
        workflowId: this.ids.scheduledRun(kind, p.id),
        typedSearchAttributes: [{ key: PredictionIdKey, value: p.id }],
        memo: {
          purpose:
            kind === 'retrain'
              ? `Scheduled retraining of prediction "${p.name}": train, gate against the active model, rescore if promoted`
              : `Scheduled rescoring of every user for prediction "${p.name}" with its active model`,
          fingerprint,
        },
        staticSummary: `${words} prediction ${p.name} (${p.id}) — scheduled ${describeCadence(cadence)}`,
        staticDetails: `Started by schedule ${this.ids.schedule(kind, p.id)}.`,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
      state: { paused: p.archived, note: p.archived ? 'prediction archived' : `${words.toLowerCase()} ${describeCadence(cadence)}` },
      memo: { predictionId: p.id, purpose: `${words} schedule of prediction ${p.name}`, deployment: this.marker },
      typedSearchAttributes: [{ key: PredictionIdKey, value: p.id }],
    } as ScheduleOptions & { fingerprint: string };
  }

  /**
   * Makes both schedules match the prediction as given; returns what it changed (nothing when in
   * step). Callers that act on a change of stored state use syncStored.
   */
  async sync(p: ScheduledPrediction): Promise<ScheduleChange[]> {
    const changes: ScheduleChange[] = [];
    for (const kind of SCHEDULE_KINDS) changes.push(...(await this.syncOne(p, kind)));
    return changes;
  }

  private async syncOne(p: ScheduledPrediction, kind: ScheduleKind): Promise<ScheduleChange[]> {
    const changes: ScheduleChange[] = [];
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
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        // Created concurrently, maybe from another state: compare it with this one.
        return this.syncOne(p, kind);
      }
      return changes;
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
    return changes;
  }

  /**
   * Deletes both schedules (missing ones are fine); with onlyOurs, only those carrying this
   * deployment's marker (a prediction missing from our database may be another deployment's).
   */
  async remove(predictionId: string, { onlyOurs = false } = {}): Promise<ScheduleChange[]> {
    const changes: ScheduleChange[] = [];
    for (const kind of SCHEDULE_KINDS) {
      const id = this.ids.schedule(kind, predictionId);
      try {
        const handle = this.client.schedule.getHandle(id);
        if (onlyOurs && (await handle.describe()).memo?.deployment !== this.marker) continue;
        await handle.delete();
        changes.push({ scheduleId: id, change: 'deleted', detail: 'prediction deleted' });
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
    return changes;
  }

  /** "Run now": the schedule starts its action immediately (skipped if a run is still open). */
  async trigger(predictionId: string, kind: ScheduleKind): Promise<void> {
    await this.client.schedule.getHandle(this.ids.schedule(kind, predictionId)).trigger(ScheduleOverlapPolicy.SKIP);
  }

  async describe(predictionId: string, kind: ScheduleKind): Promise<ScheduleState> {
    const scheduleId = this.ids.schedule(kind, predictionId);
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

  /**
   * Predictions that have a schedule this deployment created (its scope's IDs carrying its marker),
   * for the reconciler. Schedules of other deployments sharing the namespace, or made by hand, are
   * never listed, so never deleted.
   */
  async listOwnedPredictionIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const s of this.client.schedule.list()) {
      const parsed = this.ids.parseSchedule(s.scheduleId);
      if (parsed && (s.memo as { deployment?: string } | undefined)?.deployment === this.marker) ids.add(parsed.predictionId);
    }
    return ids;
  }
}

/** Whether two stored states of a prediction ask for the same schedules. */
function sameSchedules(a: ScheduledPrediction | null, b: ScheduledPrediction | null): boolean {
  const view = (p: ScheduledPrediction | null) =>
    p && JSON.stringify([p.name, p.archived, cadenceToScheduleSpec(p.retrainCadence), cadenceToScheduleSpec(p.rescoreCadence)]);
  return view(a) === view(b);
}
