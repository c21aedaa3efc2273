import {
  continueAsNew,
  defineQuery,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { ScoringActivities } from '../../activities/predictions/scoring.activities';
import type { SegmentActivities } from '../../activities/segments/segment.activities';
import {
  addRescoreStats,
  RescoreInput,
  RescorePlan,
  RescoreProgress,
  RescoreResult,
  RescoreStats,
  zeroRescoreStats,
} from '../../libs/domain/prediction-workflows';

export const rescoreProgressQuery = defineQuery<RescoreProgress>('rescoreProgress');

const NON_RETRYABLE = ['PredictionNotFound', 'NoActiveModel', 'NoSuchModel', 'NoSuchScoreSet'];

const { planRescore, finishRescore } = proxyActivities<ScoringActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});
const { notifyDependants } = proxyActivities<SegmentActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});
// One partition: slot by slot, read then score and write, heartbeating the next slot to do. A killed
// worker is noticed within the heartbeat timeout and the partition resumes on another worker from there.
const { scorePartition } = proxyActivities<ScoringActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Partitions completed per run before continuing as new (history stays bounded for any user count). */
const MAX_PARTITIONS_PER_RUN = 50;

/**
 * Scores every user with a model version: cuts the user base into partitions of bounded size,
 * scores them with bounded parallelism (more worker processes = more partitions truly at once),
 * then records the distribution (percentile cut points included), which makes the new scores the
 * ones readers use, drops sets nobody reads any more and signals whatever depends on the prediction.
 */
export async function rescoreUsers(input: RescoreInput): Promise<RescoreResult> {
  const startedAt = input.resume?.startedAt ?? Date.now();
  const parallelism = Math.max(1, input.parallelism ?? 4);
  let plan: RescorePlan | null = input.resume?.plan ?? null;
  let stats: RescoreStats = input.resume?.stats ?? zeroRescoreStats();
  let next = input.resume?.next ?? 0;
  let partitionsDone = next;
  let usersDone = stats.users;
  let step = 'planning';

  const progress = (): RescoreProgress => {
    const elapsed = Math.max(0.001, (Date.now() - startedAt) / 1000);
    const rate = usersDone / elapsed;
    // The plan's count is an estimate (it errs high); once every partition is scored the count is exact.
    const total = plan ? (partitionsDone === plan.partitions.length ? usersDone : Math.max(plan.totalUsers, usersDone)) : 0;
    return {
      predictionId: input.predictionId,
      modelVersion: plan?.modelVersion ?? null,
      scoreSet: plan?.scoreSet ?? null,
      partitionsDone,
      partitionsTotal: plan?.partitions.length ?? 0,
      usersDone,
      usersTotal: total,
      usersPerSecond: rate,
      etaSeconds: rate > 0 && total > 0 ? Math.max(0, (total - usersDone) / rate) : null,
      step,
    };
  };
  setHandler(rescoreProgressQuery, progress);
  const show = () => {
    const p = progress();
    setCurrentDetails(
      `**${step}** prediction ${input.predictionId}${plan ? ` with model v${plan.modelVersion}` : ''}: ${p.usersDone}/${p.usersTotal} users, ` +
        `${p.partitionsDone}/${p.partitionsTotal} partitions, ${p.usersPerSecond.toFixed(0)} users/s${p.etaSeconds !== null ? `, ETA ${Math.round(p.etaSeconds)} s` : ''}`,
    );
  };

  if (!plan) {
    show();
    plan = await planRescore({ predictionId: input.predictionId, modelVersion: input.modelVersion, partitionUsers: input.partitionUsers, asOf: startedAt });
  }
  const thePlan = plan;
  step = 'scoring';
  show();

  // Bounded parallelism: at most `parallelism` partitions in flight; each finishing one starts the next.
  const stopAt = Math.min(thePlan.partitions.length, next + MAX_PARTITIONS_PER_RUN);
  const runOne = async (): Promise<void> => {
    while (next < stopAt) {
      const k = next++;
      const r = await scorePartition({
        predictionId: input.predictionId,
        modelVersion: thePlan.modelVersion,
        scoreSet: thePlan.scoreSet,
        asOf: thePlan.asOf,
        partition: thePlan.partitions[k],
      });
      stats = addRescoreStats(stats, r);
      usersDone = stats.users;
      partitionsDone++;
      show();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, stopAt - next) }, runOne));
  if (next < thePlan.partitions.length) {
    await continueAsNew<typeof rescoreUsers>({ ...input, resume: { plan: thePlan, next, stats, startedAt } });
  }

  step = 'finishing';
  show();
  const seconds = (Date.now() - startedAt) / 1000;
  const fin = await finishRescore({ predictionId: input.predictionId, plan: thePlan, seconds });
  // Dependants (segments) re-evaluate on the complete set; a superseded set was never read.
  if (!fin.superseded && patched('notify-dependants')) await notifyDependants({ predictionId: input.predictionId, scoreSetId: thePlan.scoreSet });
  step = fin.superseded ? 'superseded' : 'done';
  show();
  return {
    predictionId: input.predictionId,
    modelVersion: thePlan.modelVersion,
    scoreSet: thePlan.scoreSet,
    users: stats.users,
    scored: stats.scored,
    seconds,
    usersPerSecond: stats.users / Math.max(0.001, seconds),
    stats,
    categories: fin.categories,
    superseded: fin.superseded,
  };
}
