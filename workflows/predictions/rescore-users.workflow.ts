import { continueAsNew, defineQuery, patched, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { ScoringActivities } from '../../activities/predictions/scoring.activities';
import type { SegmentActivities } from '../../activities/segments/segment.activities';
import {
  addRescoreStats,
  RESCORE_PARTITIONS_PER_RUN,
  RescoreInput,
  RescorePlan,
  RescoreProgress,
  RescoreResult,
  RescoreStats,
  zeroRescoreStats,
} from '../../libs/domain/prediction-workflows';
import { ModelVersionKey } from '../../libs/temporal/search-attributes';
import { activityOptions, onControlQueue } from '../activity-options';

export const rescoreProgressQuery = defineQuery<RescoreProgress>('rescoreProgress');

// A killed worker is noticed within the heartbeat timeout and the partition resumes on another worker
// from the slot it heartbeated.
const { scorePartition } = proxyActivities<ScoringActivities>(activityOptions.scorePartition);

/**
 * Scores every user with a model version: cuts the user base into partitions of bounded size,
 * scores them with bounded parallelism (more worker processes = more partitions truly at once),
 * then records the distribution (percentile cut points included), which makes the new scores the
 * ones readers use and drops sets nobody reads any more.
 */
export async function rescoreUsers(input: RescoreInput): Promise<RescoreResult> {
  const { planRescore, finishRescore } = proxyActivities<ScoringActivities>(onControlQueue(activityOptions.batch));
  const { notifyDependants } = proxyActivities<SegmentActivities>(onControlQueue(activityOptions.quick));
  const startedAt = input.resume?.startedAt ?? Date.now();
  const parallelism = Math.max(1, input.parallelism ?? 4);
  const partitionsPerRun = Math.max(1, input.partitionsPerRun ?? RESCORE_PARTITIONS_PER_RUN);
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
    plan = await planRescore({ predictionId: input.predictionId, modelVersion: input.modelVersion, partitionUsers: input.partitionUsers, parallelism, asOf: startedAt });
  }
  const thePlan = plan;
  // Found by version once known: GET /v1/predictions/:id/rescores/:version finds scheduled runs too.
  upsertSearchAttributes([{ key: ModelVersionKey, value: thePlan.modelVersion }]);
  step = 'scoring';
  show();

  // Bounded parallelism: at most `parallelism` partitions in flight; each finishing one starts the next.
  const stopAt = Math.min(thePlan.partitions.length, next + partitionsPerRun);
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
  // What depends on the prediction's scores (segments) is told here, once the set is live; a
  // superseded set was never read.
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
