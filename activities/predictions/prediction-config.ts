import { ApplicationFailure } from '@temporalio/activity';
import { Prediction } from '../../libs/domain/prediction';
import { PredictionsRepository, toPrediction } from '../../libs/persistence/predictions.repository';

/** The prediction, or a non-retryable failure: a deleted prediction will not come back on retry. */
export async function loadPrediction(repo: PredictionsRepository, predictionId: string): Promise<Prediction> {
  const doc = await repo.findById(predictionId);
  if (!doc) throw ApplicationFailure.nonRetryable(`prediction ${predictionId} does not exist (deleted?)`, 'PredictionNotFound');
  return toPrediction(doc);
}
