import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SegmentActivities } from '../../activities/segments/segment.activities';
import {
  GroupOutcome,
  Reevaluation,
  REEVALUATE_SEGMENT_SIGNAL,
  SegmentCommit,
  SegmentWorkflowInput,
  SegmentWorkflowResult,
} from '../../libs/domain/segment-workflows';
import { activityOptions, onControlQueue } from '../activity-options';

export const reevaluateSegmentSignal = defineSignal<[Reevaluation]>(REEVALUATE_SEGMENT_SIGNAL);

export interface SegmentWorkflowState {
  segmentId: string;
  step: 'waiting' | 'evaluating';
  lastCommit: SegmentCommit | null;
  pending: Reevaluation[];
}
export const segmentStateQuery = defineQuery<SegmentWorkflowState>('segmentState');

// One partition (at most ~50k users), group by group; the groups settled are heartbeated, so a retry resumes.
const { evaluateSegmentPartition } = proxyActivities<SegmentActivities>(activityOptions.segmentPartition);

/** Evaluations per run before continuing as new (the history stays bounded for a segment that lives for years). */
const MAX_EVALUATIONS_PER_RUN = 25;
const PARALLELISM = 4;

/**
 * One long-lived run per segment (`segment/<segmentId>`), the single writer of its members: waits for a
 * reason to re-evaluate (a signal: created, updated, run now, a rescore, a segment it reads changed;
 * or its refresh timer for segments that move with time or ingested data), then evaluates every
 * partition and commits a new version when members changed. Signals that arrive meanwhile are
 * served by one next evaluation. Ends when the segment is deleted.
 */
export async function segmentMembership(input: SegmentWorkflowInput): Promise<SegmentWorkflowResult> {
  const { planSegmentEvaluation, commitSegmentVersion } = proxyActivities<SegmentActivities>(onControlQueue(activityOptions.batch));
  const { segmentId } = input;
  const pending: Reevaluation[] = [...(input.pending ?? [])];
  let step: SegmentWorkflowState['step'] = 'waiting';
  let lastCommit: SegmentCommit | null = null;
  let refreshMinutes: number | null = input.refreshMinutes ?? null;
  setHandler(reevaluateSegmentSignal, (why) => void pending.push(why));
  setHandler(segmentStateQuery, () => ({ segmentId, step, lastCommit, pending: [...pending] }));

  for (let evaluations = 0; ; evaluations++) {
    if (pending.length === 0) {
      step = 'waiting';
      setCurrentDetails(
        `**Waiting** for a reason to re-evaluate segment ${segmentId}${refreshMinutes ? ` (refresh every ${refreshMinutes} min)` : ''}` +
          (lastCommit ? `; version ${lastCommit.version}, ${lastCommit.size} members` : ''),
      );
      if (evaluations >= MAX_EVALUATIONS_PER_RUN || workflowInfo().continueAsNewSuggested) await continueAsNew<typeof segmentMembership>({ segmentId, pending, refreshMinutes });
      const signalled = refreshMinutes === null ? (await condition(() => pending.length > 0), true) : await condition(() => pending.length > 0, refreshMinutes * 60_000);
      if (!signalled) pending.push({ reason: 'clock' });
    }
    const reasons = pending.splice(0);
    step = 'evaluating';
    setCurrentDetails(`**Evaluating** segment ${segmentId} because of: ${[...new Set(reasons.map((r) => r.reason))].join(', ')}`);
    const plan = await planSegmentEvaluation({ segmentId, now: Date.now() });
    const context = plan.context;
    if (!context) {
      setCurrentDetails(`**Ended**: segment ${segmentId} was deleted (last version ${plan.previous.version})`);
      return { segmentId, ended: 'deleted', version: plan.previous.version };
    }
    refreshMinutes = plan.refreshMinutes;
    const version = plan.previous.version + 1;
    const groups: GroupOutcome[] = [];
    let next = 0;
    const runOne = async (): Promise<void> => {
      while (next < plan.partitions.length) {
        const partition = plan.partitions[next++];
        groups.push(...(await evaluateSegmentPartition({ context, version, previousGroups: plan.previous.groups, partition, recheckStored: plan.recheckStored })).groups);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLELISM, plan.partitions.length) }, runOne));
    lastCommit = await commitSegmentVersion({ context, previous: plan.previous, groups, reasons });
    setCurrentDetails(
      `**Evaluated** segment ${segmentId}: ${lastCommit.changed ? `version ${lastCommit.version}, ${lastCommit.entered} entered, ${lastCommit.left} left` : `unchanged at version ${lastCommit.version}`}, ${lastCommit.size} members`,
    );
  }
}
