import { taskQueue } from '../../../libs/config/config';
import { PredictionIdKey } from '../../../libs/temporal/search-attributes';
import { ReplayScenario, ScenarioContext } from '../scenario';
import { AS_OF, population, storePrediction } from './population';

function retrain(ctx: ScenarioContext, predictionId: string, tag: string) {
  return ctx.client.workflow.start('retrainModel', {
    workflowId: `${ctx.cfg.TASK_QUEUE_PREFIX}/retrain/${predictionId}/${tag}`,
    taskQueue: taskQueue(ctx.cfg, 'ml'),
    args: [{ predictionId, trigger: 'test', scope: ctx.cfg.TASK_QUEUE_PREFIX, partitionUsers: 1500, asOf: AS_OF }],
    typedSearchAttributes: [{ key: PredictionIdKey, value: predictionId }],
  });
}

/**
 * retrainModel: a first retrain promoted (and the rescore it starts as a child), then one whose
 * candidate the gate rejects (a floor no model reaches).
 */
const scenario: ReplayScenario = {
  name: 'retrain',
  async record(ctx) {
    await population(ctx);
    const id = 'p_0000replay01';
    await storePrediction(ctx, id);
    const promoted = await retrain(ctx, id, 'promoted');
    const first = await promoted.result();
    if (!first.promoted) throw new Error(`the first retrain was not promoted: ${first.reasons.join('; ')}`);
    if (first.rescoreWorkflowId) await ctx.client.workflow.getHandle(first.rescoreWorkflowId).result();
    await ctx.db.collection('predictions').updateOne({ _id: id as never }, { $set: { qualityGate: { minAuc: 0.999 } } });
    const rejected = await retrain(ctx, id, 'rejected');
    if ((await rejected.result()).promoted) throw new Error('the gate promoted a model under a floor of AUC 0.999');
    return [
      { scenario: 'promoted', handle: promoted },
      { scenario: 'rejected', handle: rejected },
    ];
  },
};
export default scenario;
