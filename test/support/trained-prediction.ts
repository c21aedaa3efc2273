import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { AppConfig, taskQueue } from '../../libs/config/config';
import { RetrainResult } from '../../libs/domain/prediction-workflows';
import { PredictionDoc } from '../../libs/persistence/prediction.schema';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { predictionDoc } from './prediction-doc';

/**
 * A purchase prediction stored as the API would store it, trained once (v1 promoted, no rescore)
 * by the real retrain workflow, with small fast model settings; `fields` overrides the stored ones.
 */
export async function trainedPrediction(
  db: mongoose.Connection,
  client: Client,
  cfg: AppConfig,
  predictionId: string,
  fields: Partial<Omit<PredictionDoc, '_id'>> = {},
): Promise<RetrainResult> {
  await db.collection('predictions').insertOne(predictionDoc(predictionId, { name: `Purchase (${predictionId})`, ...fields }) as never);
  return client.workflow.execute('retrainModel', {
    taskQueue: taskQueue(cfg, 'ml'),
    typedSearchAttributes: [{ key: PredictionIdKey, value: predictionId }],
    workflowId: `${cfg.TASK_QUEUE_PREFIX}/retrain/${predictionId}/test`,
    args: [{ predictionId, trigger: 'test', rescore: false }],
  });
}
