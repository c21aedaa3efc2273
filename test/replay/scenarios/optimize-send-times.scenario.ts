import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { AppConfig, taskQueue } from '../../../libs/config/config';
import { deploymentIds } from '../../../libs/temporal/workflow-ids';
import { seedPopulation } from '../../../scripts/population-seeder';

/**
 * optimizeSendTimes (the replay recorder's scenario contract, as a module: `name` and `record`):
 * 1,000 simulated users in partitions of 200, 2 at once and 2 per run, so the recorded runs
 * continue as new twice and the last one finishes.
 */
export const name = 'optimize-send-times';

export async function record(ctx: { client: Client; cfg: AppConfig; db: mongoose.Connection }) {
  await seedPopulation(ctx.db, { users: 1000, historyDays: 120, seed: 5, now: Date.UTC(2026, 10, 30) });
  const handle = await ctx.client.workflow.start('optimizeSendTimes', {
    workflowId: `${deploymentIds(ctx.cfg).optimizeSendTimes()}/replay`,
    taskQueue: taskQueue(ctx.cfg, 'ml'),
    args: [{ partitionUsers: 200, parallelism: 2, partitionsPerRun: 2 }],
  });
  return [{ scenario: 'continue-as-new', handle }];
}
