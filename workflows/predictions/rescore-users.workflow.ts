import {
  continueAsNew,
  defineQuery,
  getExternalWorkflowHandle,
  proxyActivities,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { ScoringActivities } from '../../activities/predictions/scoring.activities';
import {
  addRescoreStats,
  RescoreInput,
  RescorePlan,
  RescoreProgress,
  RescoreResult,
  RescoreStats,
  SCORES_UPDATED_SIGNAL,
  ScoresUpdated,
  zeroRescoreStats,
} from '../../libs/domain/prediction-workflows';

export const rescoreProgressQuery = defineQuery<RescoreProgress>('rescoreProgress');

const NON_RETRYABLE = ['PredictionNotFound', 'NoActiveModel', 'NoSuchModel'];

const { planRescore, finishRescore } = proxyActivities<ScoringActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});
// One key range: a streamed read then chunks of writes, heartbeating the last user written. A killed
// worker is noticed within the heartbeat timeout and the range resumes on another worker from there.
const { scoreRange } = proxyActivities<ScoringActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Ranges completed per run before continuing as new (history stays bounded for any user count). */
const MAX_RANGES_PER_RUN = 50;

/**
 * Scores every user with a model version: cuts the user base into key ranges, scores them with
 * bounded parallelism (more worker processes = more ranges truly at once), then snapshots the
 * distribution (percentile cut points included), switches readers to the new scores, removes the
 * old ones and signals whatever depends on the prediction.
 */
export async function rescoreUsers(input: RescoreInput): Promise<RescoreResult> {
  const startedAt = input.resume?.startedAt ?? Date.now();
  const partitions = input.partitions ?? 4;
  const parallelism = Math.max(1, input.parallelism ?? 4);
  let plan: RescorePlan | null = input.resume?.plan ?? null;
  let stats: RescoreStats = input.resume?.stats ?? zeroRescoreStats();
  let next = input.resume?.next ?? 0;
  let rangesDone = next;
  let usersDone = stats.users;
  let step = 'planning';

  const progress = (): RescoreProgress => {
    const elapsed = Math.max(0.001, (Date.now() - startedAt) / 1000);
    const rate = usersDone / elapsed;
    const total = plan?.totalUsers ?? 0;
    return {
      predictionId: input.predictionId,
      modelVersion: plan?.modelVersion ?? null,
      scoreSet: plan?.scoreSet ?? null,
      rangesDone,
      rangesTotal: plan?.ranges.length ?? 0,
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
        `${p.rangesDone}/${p.rangesTotal} ranges, ${p.usersPerSecond.toFixed(0)} users/s${p.etaSeconds !== null ? `, ETA ${Math.round(p.etaSeconds)} s` : ''}`,
    );
  };

  if (!plan) {
    show();
    plan = await planRescore({ predictionId: input.predictionId, modelVersion: input.modelVersion, partitions, asOf: startedAt });
  }
  const thePlan = plan;
  step = 'scoring';
  show();

  // Bounded parallelism: at most `parallelism` ranges in flight; each finishing one starts the next.
  const stopAt = Math.min(thePlan.ranges.length, next + MAX_RANGES_PER_RUN);
  const runOne = async (): Promise<void> => {
    while (next < stopAt) {
      const k = next++;
      const r = await scoreRange({
        predictionId: input.predictionId,
        modelVersion: thePlan.modelVersion,
        scoreSet: thePlan.scoreSet,
        asOf: thePlan.asOf,
        range: thePlan.ranges[k],
      });
      stats = addRescoreStats(stats, r);
      usersDone = stats.users;
      rangesDone++;
      show();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, stopAt - next) }, runOne));
  if (next < thePlan.ranges.length) {
    await continueAsNew<typeof rescoreUsers>({ ...input, resume: { plan: thePlan, next, stats, startedAt } });
  }

  step = 'finishing';
  show();
  const seconds = (Date.now() - startedAt) / 1000;
  const fin = await finishRescore({ predictionId: input.predictionId, plan: thePlan, seconds });
  for (const id of input.notify ?? []) {
    const update: ScoresUpdated = { predictionId: input.predictionId, scoreSet: thePlan.scoreSet, modelVersion: thePlan.modelVersion };
    try {
      await getExternalWorkflowHandle(id).signal(SCORES_UPDATED_SIGNAL, update);
    } catch {
      // A dependant that is not running has nothing to refresh; it reads the active set when it starts.
    }
  }
  step = fin.superseded ? 'superseded' : 'done';
  show();
  return {
    predictionId: input.predictionId,
    modelVersion: thePlan.modelVersion,
    scoreSet: thePlan.scoreSet,
    users: thePlan.totalUsers,
    scored: stats.scored,
    seconds,
    usersPerSecond: thePlan.totalUsers / Math.max(0.001, seconds),
    stats,
    categories: fin.categories,
    superseded: fin.superseded,
  };
}
