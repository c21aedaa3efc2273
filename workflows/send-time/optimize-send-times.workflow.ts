import { continueAsNew, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { SendTimeActivities } from '../../activities/send-time/send-time.activities';
import type { SendLedgerSweepActivities } from '../../activities/typology/send-ledger-sweep.activities';
import type { OptimizeSendTimesInput, OptimizeSendTimesResult, SendTimePlan } from '../../libs/domain/send-time-profile';
import { activityOptions, onControlQueue } from '../activity-options';

const { planSendTimes } = proxyActivities<SendTimeActivities>(activityOptions.batch);
// One partition, slot by slot, heartbeating the next slot to do: a lost worker is noticed within
// the heartbeat timeout and the partition resumes on another from there.
const { profileSendTimes } = proxyActivities<SendTimeActivities>(activityOptions.scorePartition);

/** Partitions completed per run before continuing as new (history stays bounded for any user count). */
const PARTITIONS_PER_RUN = 50;

/**
 * Recomputes every user's send-time profile (best hours, per weekday where the data supports it):
 * fits the population prior once, then profiles the user base partition by partition with bounded
 * parallelism, storing each profile by user id. Started by the send-time schedule, which is also the
 * daily housekeeping of the send ledgers: the last run sweeps their superseded versions.
 */
export async function optimizeSendTimes(input: OptimizeSendTimesInput = {}): Promise<OptimizeSendTimesResult> {
  const { sweepSendLedgers } = proxyActivities<SendLedgerSweepActivities>(onControlQueue(activityOptions.batch));
  const startedAt = input.resume?.startedAt ?? Date.now();
  const parallelism = Math.max(1, input.parallelism ?? 2);
  let next = input.resume?.next ?? 0;
  let profiles = input.resume?.profiles ?? 0;
  const show = (step: string, plan: SendTimePlan | null) =>
    setCurrentDetails(
      `**${step}**: ${profiles} profiles stored` +
        (plan ? ` of about ${plan.totalUsers} users, ${next}/${plan.partitions.length} partitions started, prior from ${plan.priorSampleUsers} users` : ''),
    );

  let plan = input.resume?.plan ?? null;
  if (!plan) {
    show('fitting the population prior', null);
    plan = await planSendTimes({ computedAt: startedAt, partitionUsers: input.partitionUsers });
  }
  const thePlan = plan;
  show('profiling users', thePlan);

  const stopAt = Math.min(thePlan.partitions.length, next + Math.max(1, input.partitionsPerRun ?? PARTITIONS_PER_RUN));
  const runOne = async (): Promise<void> => {
    while (next < stopAt) {
      const partition = thePlan.partitions[next++];
      // Awaited first: `profiles += await …` would read `profiles` before the await and lose the other runners' counts.
      const done = await profileSendTimes({ partition, prior: thePlan.prior, computedAt: thePlan.computedAt });
      profiles += done.profiles;
      show('profiling users', thePlan);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, stopAt - next) }, runOne));
  if (next < thePlan.partitions.length) {
    await continueAsNew<typeof optimizeSendTimes>({ ...input, resume: { plan: thePlan, next, profiles, startedAt } });
  }
  show('sweeping the send ledgers', thePlan);
  const swept = await sweepSendLedgers();
  show('done', thePlan);
  return {
    ledgerVersionsDeleted: swept.deleted,
    users: thePlan.totalUsers,
    profiles,
    partitions: thePlan.partitions.length,
    priorSampleUsers: thePlan.priorSampleUsers,
    seconds: (Date.now() - startedAt) / 1000,
  };
}
