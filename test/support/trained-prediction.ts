import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { AppConfig, taskQueue } from '../../libs/config/config';
import { RetrainResult } from '../../libs/domain/prediction-workflows';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';

/**
 * A purchase prediction stored as the API would store it, trained once (v1 promoted, no rescore)
 * by the real retrain workflow, with small fast model settings.
 */
export async function trainedPrediction(db: mongoose.Connection, client: Client, cfg: AppConfig, predictionId: string): Promise<RetrainResult> {
  const now = new Date();
  await db.collection('predictions').insertOne({
    _id: predictionId as never,
    name: `Purchase (${predictionId})`,
    type: 'purchase',
    definition: { windowDays: 7 },
    audience: {},
    modelParams: { rounds: 60, learningRate: 0.15, maxDepth: 3, maxLeaves: 8 },
    qualityGate: {},
    retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' },
    rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
    status: 'active',
    archived: false,
    activeModelVersion: null,
    createdAt: now,
    updatedAt: now,
  });
  return client.workflow.execute('retrainModel', {
    taskQueue: taskQueue(cfg, 'ml'),
    typedSearchAttributes: [{ key: PredictionIdKey, value: predictionId }],
    workflowId: `${cfg.TASK_QUEUE_PREFIX}/retrain/${predictionId}/test`,
    args: [{ predictionId, trigger: 'test', rescore: false }],
  });
}
