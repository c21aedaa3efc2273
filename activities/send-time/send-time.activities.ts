import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { SendTimePlan, SendTimePriorData, SEND_TIME_PARTITION_USERS } from '../../libs/domain/send-time-profile';
import { SlotPartition, slotPartitions } from '../../libs/domain/user-slots';
import { fitSendTimePrior, priorSampleSlots, SendTimePrior, storedSendTimeProfile, weekHourCounts, WeekHourCounts } from '../../libs/ml/send-time';
import { SendTimeProfilesRepository } from '../../libs/persistence/send-time-profiles.repository';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { Activity } from '../../libs/temporal/activity.decorator';
import { keepHeartbeating } from '../predictions/keep-heartbeating';

const toData = (p: SendTimePrior): SendTimePriorData => ({
  cellShare: Array.from(p.cellShare),
  hourShare: Array.from(p.hourShare),
  hourConcentration: p.hourConcentration,
  weekdayConcentration: p.weekdayConcentration,
  users: p.users,
});
const fromData = (d: SendTimePriorData): SendTimePrior => ({ ...d, cellShare: Float64Array.from(d.cellShare), hourShare: Float64Array.from(d.hourShare) });

/**
 * The steps of optimizeSendTimes: fit the population prior once per run (on a sample of slots),
 * then recompute every user's profile partition by partition with it and store it by user id.
 */
@Injectable()
export class SendTimeActivities {
  constructor(
    @Inject(UserRecordsRepository) private readonly users: UserRecordsRepository,
    @Inject(SendTimeProfilesRepository) private readonly profiles: SendTimeProfilesRepository,
  ) {}

  @Activity()
  async planSendTimes(input: { computedAt: number; partitionUsers?: number }): Promise<SendTimePlan> {
    const totalUsers = await this.users.estimatedUsers();
    const counts: WeekHourCounts[] = [];
    await keepHeartbeating(
      () => ({ sampled: counts.length }),
      async () => {
        for (const part of priorSampleSlots(totalUsers)) {
          for await (const batch of this.users.scan(part)) for (const u of batch.users) counts.push(weekHourCounts(u));
        }
      },
    );
    return {
      computedAt: input.computedAt,
      totalUsers,
      priorSampleUsers: counts.length,
      prior: toData(fitSendTimePrior(counts)),
      partitions: slotPartitions(totalUsers, input.partitionUsers ?? SEND_TIME_PARTITION_USERS),
    };
  }

  /**
   * Every user of a partition, slot by slot: profile under the run's prior, stored by user id. The
   * heartbeat carries the next slot to do, so a retry (worker lost) resumes there; a profile written
   * twice is the same profile.
   */
  @Activity()
  async profileSendTimes(input: { partition: SlotPartition; prior: SendTimePriorData; computedAt: number }): Promise<{ profiles: number }> {
    const resumed = Context.current().info.heartbeatDetails as { nextSlot: number; profiles: number } | undefined;
    const prior = fromData(input.prior);
    let checkpoint = { nextSlot: resumed?.nextSlot ?? input.partition.fromSlot, profiles: resumed?.profiles ?? 0 };
    await keepHeartbeating(
      () => checkpoint,
      async () => {
        for await (const batch of this.users.scan(input.partition, checkpoint.nextSlot)) {
          await this.profiles.store(batch.users.map((u) => ({ userId: u.userId, profile: storedSendTimeProfile(prior, u, input.computedAt) })));
          checkpoint = { nextSlot: batch.slot + 1, profiles: checkpoint.profiles + batch.users.length };
        }
      },
    );
    return { profiles: checkpoint.profiles };
  }
}
