import { taskQueue } from '../../../libs/config/config';
import { PredictionIdKey } from '../../../libs/temporal/search-attributes';
import { ReplayScenario } from '../scenario';
import { AS_OF, population, storePrediction } from './population';

/**
 * rescoreUsers: 3,000 users in partitions of 500, 2 partitions per run, 2 at once: the first runs
 * continue as new, the last one finishes the set.
 */
const scenario: ReplayScenario = {
  name: 'rescore',
  async record(ctx) {
    await population(ctx);
    const id = 'p_0000replay02';
    await storePrediction(ctx, id);
    const start = (workflowType: string, tag: string, args: unknown) =>
      ctx.client.workflow.start(workflowType, {
        workflowId: `${ctx.cfg.TASK_QUEUE_PREFIX}/${tag}/${id}`,
        taskQueue: taskQueue(ctx.cfg, 'ml'),
        args: [args],
        typedSearchAttributes: [{ key: PredictionIdKey, value: id }],
      });
    await (await start('retrainModel', 'retrain', { predictionId: id, trigger: 'test', rescore: false, asOf: AS_OF })).result();
    const rescore = await start('rescoreUsers', 'rescore', { predictionId: id, modelVersion: 1, partitionUsers: 500, partitionsPerRun: 2, parallelism: 2 });
    return [{ scenario: 'continue-as-new', handle: rescore }];
  },
};
export default scenario;
