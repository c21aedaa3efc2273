import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../../../libs/domain/errors';
import { fromJsonText } from '../../../libs/domain/prediction-outputs';
import { reasonFeatures } from '../../../libs/ml/explain';
import type { FeatureDefinition } from '../../../libs/ml/features';
import { reasonsInWords } from '../../../libs/ml/pipeline';
import { ModelVersionsRepository } from '../../../libs/persistence/model-versions.repository';
import { ScoreSetsRepository } from '../../../libs/persistence/score-sets.repository';
import { analyticsView, userScoreView } from './prediction-analytics.presenter';
import { PredictionsService } from './predictions.service';

/** Loads what the analytics and score views need; the presenter shapes it. */
@Injectable()
export class PredictionAnalyticsService {
  private readonly features = new Map<string, FeatureDefinition[]>();

  constructor(
    @Inject(PredictionsService) private readonly predictions: PredictionsService,
    @Inject(ModelVersionsRepository) private readonly models: ModelVersionsRepository,
    @Inject(ScoreSetsRepository) private readonly scoreSets: ScoreSetsRepository,
  ) {}

  async analytics(predictionId: string): Promise<ReturnType<typeof analyticsView>> {
    const p = await this.predictions.get(predictionId);
    const [history, snapshot, retrain, rescore] = await Promise.all([
      this.models.history(p.id),
      this.scoreSets.active(p.id),
      this.predictions.schedules.describe(p.id, 'retrain'),
      this.predictions.schedules.describe(p.id, 'rescore'),
    ]);
    return analyticsView({ prediction: p, history, snapshot, schedules: { retrain, rescore } });
  }

  async userScore(predictionId: string, userId: string): Promise<ReturnType<typeof userScoreView>> {
    const p = await this.predictions.get(predictionId);
    const notFound = () => new NotFoundError(`no score for user ${userId} in prediction ${p.id}`);
    const set = await this.scoreSets.active(p.id);
    const score = set && (await this.scoreSets.findScore(set, userId));
    if (!set || !score) throw notFound();
    return userScoreView(p, score, set, score.reasons ? reasonsInWords(fromJsonText(score.reasons), await this.reasonFeatures(p.id, set.modelVersion)) : null);
  }

  /** The features a model's stored reasons index into (a model version never changes: cached). */
  private async reasonFeatures(predictionId: string, version: number): Promise<FeatureDefinition[]> {
    const key = `${predictionId}:v${version}`;
    const cached = this.features.get(key);
    if (cached) return cached;
    const model = await this.models.find(predictionId, version);
    if (!model?.featureSchema) throw new NotFoundError(`model v${version} of prediction ${predictionId} is gone`);
    const features = reasonFeatures(model.featureSchema);
    if (this.features.size > 100) this.features.clear();
    this.features.set(key, features);
    return features;
  }
}
