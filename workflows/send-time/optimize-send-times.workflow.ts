import { continueAsNew, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { SendTimeActivities } from '../../activities/send-time/send-time.activities';
import type { OptimizeSendTimesInput, OptimizeSendTimesResult, SendTimePlan } from '../../libs/domain/send-time-profile';

const { planSendTimes } = proxyActivities<SendTimeActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});
// One partition, slot by slot, heartbeating the next slot to do: a lost worker is noticed within
// the heartbeat timeout and the partition resumes on another from there.
const { profileSendTimes } = proxyActivities<SendTimeActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Partitions completed per run before continuing as new (history stays bounded for any user count). */
const PARTITIONS_PER_RUN = 50;

/**
 * Recomputes every user's send-time profile (best hours, per weekday where the data supports it):
 * fits the population prior once, then profiles the user base partition by partition with bounded
 * parallelism, storing each profile by user id. Started by the send-time schedule.
 */
export async function optimizeSendTimes(input: OptimizeSendTimesInput = {}): Promise<OptimizeSendTimesResult> {
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
  show('done', thePlan);
  return {
    users: thePlan.totalUsers,
    profiles,
    partitions: thePlan.partitions.length,
    priorSampleUsers: thePlan.priorSampleUsers,
    seconds: (Date.now() - startedAt) / 1000,
  };
}
