import { CancellationScope, ParentClosePolicy, proxyActivities, setCurrentDetails, startChild, workflowInfo } from '@temporalio/workflow';
import type { QualityGateActivities } from '../../activities/predictions/quality-gate.activities';
import type { TrainingActivities } from '../../activities/predictions/training.activities';
import type { TrainingSetsActivities } from '../../activities/predictions/training-sets.activities';
import { RetrainInput, RetrainResult } from '../../libs/domain/prediction-workflows';
import { gateMetricsOnly, qualityWords } from '../../libs/domain/quality-gate';
import { PredictionIdKey } from '../../libs/temporal/search-attributes';
import { workflowIds } from '../../libs/temporal/workflow-ids';
import { activityOptions, onControlQueue } from '../activity-options';
import { rescoreUsers } from './rescore-users.workflow';

// Reading every history and building features: minutes at most; heartbeats while reading.
const { buildTrainingSet } = proxyActivities<TrainingActivities>(activityOptions.batch);

/**
 * Retrains a prediction: training set as of the cutoff → train with early stopping → evaluate on a
 * holdout → quality gate against the active model → promote (and rescore everyone as a child
 * workflow) or keep the active model and store the candidate as rejected with the reasons.
 */
export async function retrainModel(input: RetrainInput): Promise<RetrainResult> {
  const retrainId = workflowInfo().workflowId;
  const now = input.asOf ?? Date.now(); // the workflow's clock: deterministic on replay
  const { promoteModel, rejectModel, dropTrainingSet } = proxyActivities<TrainingActivities>(onControlQueue(activityOptions.quick));
  const { decideQualityGate } = proxyActivities<QualityGateActivities>(onControlQueue(activityOptions.quick));
  const { sweepTrainingSets } = proxyActivities<TrainingSetsActivities>(onControlQueue(activityOptions.batch));
  // Sets that crashed retrains left (the store has no TTL index): every retrain clears them.
  await sweepTrainingSets();
  let step = 'building the training set';
  const trained = async () => {
    setCurrentDetails(`**Building the training set** for prediction ${input.predictionId} (labels observed up to ${new Date(now).toISOString()})`);
    const set = await buildTrainingSet({ predictionId: input.predictionId, retrainId, now });
    step = 'training';
    setCurrentDetails(
      `**Training** ${set.description ?? `on ${set.rows} users (${set.positives} positive, ${set.features} features${set.constantFeatures.length ? `, ${set.constantFeatures.length} constant` : ''})`}, cutoff ${new Date(set.cutoff).toISOString().slice(0, 10)}`,
    );
    const { trainCandidate } = proxyActivities<TrainingActivities>(
      input.trainingHeartbeatTimeoutMs ? { ...activityOptions.training, heartbeatTimeout: input.trainingHeartbeatTimeoutMs } : activityOptions.training,
    );
    const candidate = await trainCandidate({ predictionId: input.predictionId, retrainId });
    step = 'deciding';
    const decision = await decideQualityGate({ candidate: gateMetricsOnly(candidate), active: candidate.active, policy: candidate.gate });
    setCurrentDetails(
      `**Quality gate**: candidate v${candidate.version} ${qualityWords(candidate)} (${candidate.grade}) → ${decision.promote ? 'promote' : 'reject'}: ${decision.reasons.join('; ')}`,
    );
    if (decision.promote) await promoteModel({ predictionId: input.predictionId, version: candidate.version, reasons: decision.reasons });
    else await rejectModel({ predictionId: input.predictionId, version: candidate.version, reasons: decision.reasons });
    return { candidate, decision };
  };
  let outcome;
  try {
    outcome = await trained();
  } catch (err) {
    const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error) : (err as Error);
    setCurrentDetails(`**Failed** ${step}: ${cause.message}`);
    throw err;
  } finally {
    // The set is only needed while training: dropped on success and failure alike, even when cancelled.
    await CancellationScope.nonCancellable(() => dropTrainingSet(retrainId));
  }
  const { candidate, decision } = outcome;

  let rescoreWorkflowId: string | null = null;
  if (decision.promote && input.rescore !== false) {
    rescoreWorkflowId = workflowIds(input.scope ?? '').rescore(input.predictionId, candidate.version);
    await startChild(rescoreUsers, {
      workflowId: rescoreWorkflowId,
      args: [{ predictionId: input.predictionId, modelVersion: candidate.version, partitionUsers: input.partitionUsers, parallelism: input.rescoreParallelism }],
      // The rescore outlives this run: the retrain is done once the model is stored.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [{ key: PredictionIdKey, value: input.predictionId }],
      memo: { purpose: `Score every user with model v${candidate.version} of prediction ${input.predictionId}, promoted by ${retrainId}` },
      staticSummary: `Rescore prediction ${input.predictionId} with model v${candidate.version}`,
      staticDetails: `Started by ${retrainId} after the quality gate promoted v${candidate.version} (${qualityWords(candidate)}).`,
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
    quality: qualityWords(candidate),
    activeVersion: decision.promote ? candidate.version : (candidate.active?.version ?? null),
    rescoreWorkflowId,
  };
  setCurrentDetails(
    `**Done**: v${candidate.version} ${decision.promote ? 'promoted' : 'rejected'} (${decision.reasons.join('; ')})${rescoreWorkflowId ? `; rescoring in ${rescoreWorkflowId}` : ''}`,
  );
  return result;
}
