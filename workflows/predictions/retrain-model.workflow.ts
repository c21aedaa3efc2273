import { ActivityOptions, ParentClosePolicy, proxyActivities, setCurrentDetails, startChild, workflowInfo } from '@temporalio/workflow';
import type { TrainingActivities } from '../../activities/predictions/training.activities';
import { RetrainInput, RetrainResult } from '../../libs/domain/prediction-workflows';
import { qualityGate, qualityWords } from '../../libs/domain/quality-gate';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { workflowIds } from '../../libs/temporal/workflow-ids';
import { rescoreUsers } from './rescore-users.workflow';

const NON_RETRYABLE = ['DegenerateTrainingData', 'PredictionNotFound', 'BadPrediction', 'MissingTrainingSet'];

// Reading every history and building features: minutes at most; heartbeats while reading.
const { buildTrainingSet } = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
});
// CPU-bound training, on a thread of its own: heartbeats every second while it runs.
const TRAINING_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
};
// Small single-document writes.
const { promoteModel, rejectModel, dropTrainingSet } = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});

/**
 * Retrains a prediction: training set as of the cutoff → train with early stopping → evaluate on a
 * holdout → quality gate against the active model → promote (and rescore everyone as a child
 * workflow) or keep the active model and store the candidate as rejected with the reasons.
 */
export async function retrainModel(input: RetrainInput): Promise<RetrainResult> {
  const retrainId = workflowInfo().workflowId;
  const now = input.asOf ?? Date.now(); // the workflow's clock: deterministic on replay
  setCurrentDetails(`**Building the training set** for prediction ${input.predictionId} (labels observed up to ${new Date(now).toISOString()})`);
  let set;
  try {
    set = await buildTrainingSet({ predictionId: input.predictionId, retrainId, now });
  } catch (err) {
    setCurrentDetails(`**Failed** building the training set: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
    throw err;
  }
  setCurrentDetails(
    `**Training** ${set.description ?? `on ${set.rows} users (${set.positives} positive, ${set.features} features${set.constantFeatures.length ? `, ${set.constantFeatures.length} constant` : ''})`}, cutoff ${new Date(set.cutoff).toISOString().slice(0, 10)}`,
  );
  const { trainCandidate } = proxyActivities<TrainingActivities>(
    input.trainingHeartbeatTimeoutMs ? { ...TRAINING_OPTIONS, heartbeatTimeout: input.trainingHeartbeatTimeoutMs } : TRAINING_OPTIONS,
  );
  const candidate = await trainCandidate({ predictionId: input.predictionId, retrainId });
  const decision = qualityGate(candidate, candidate.active, candidate.gate);
  const quality = qualityWords(candidate);
  setCurrentDetails(
    `**Quality gate**: candidate v${candidate.version} ${quality} (${candidate.grade}) → ${decision.promote ? 'promote' : 'reject'}: ${decision.reasons.join('; ')}`,
  );
  if (decision.promote) await promoteModel({ predictionId: input.predictionId, version: candidate.version, reasons: decision.reasons });
  else await rejectModel({ predictionId: input.predictionId, version: candidate.version, reasons: decision.reasons });
  await dropTrainingSet(retrainId);

  let rescoreWorkflowId: string | null = null;
  if (decision.promote && input.rescore !== false) {
    rescoreWorkflowId = workflowIds.rescore(input.predictionId, candidate.version);
    await startChild(rescoreUsers, {
      workflowId: rescoreWorkflowId,
      args: [{ predictionId: input.predictionId, modelVersion: candidate.version, partitionUsers: input.partitionUsers }],
      // The rescore outlives this run: the retrain is done once the model is stored.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [{ key: PredictionIdKey, value: input.predictionId }],
      memo: { purpose: `Score every user with model v${candidate.version} of prediction ${input.predictionId}, promoted by ${retrainId}` },
      staticSummary: `Rescore prediction ${input.predictionId} with model v${candidate.version}`,
      staticDetails: `Started by ${retrainId} after the quality gate promoted v${candidate.version} (${quality}).`,
    });
  }
  const result: RetrainResult = {
    predictionId: input.predictionId,
    retrainId,
    version: candidate.version,
    promoted: decision.promote,
    reasons: decision.reasons,
    auc: 'auc' in candidate ? candidate.auc : null,
    liftQuality: 'liftQuality' in candidate ? candidate.liftQuality : null,
    grade: candidate.grade,
    quality,
    activeVersion: decision.promote ? candidate.version : (candidate.active?.version ?? null),
    rescoreWorkflowId,
  };
  setCurrentDetails(
    `**Done**: v${candidate.version} ${decision.promote ? 'promoted' : 'rejected'} (${decision.reasons.join('; ')})${rescoreWorkflowId ? `; rescoring in ${rescoreWorkflowId}` : ''}`,
  );
  return result;
}
