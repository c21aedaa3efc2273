import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../../../libs/domain/errors';
import { ModelVersionsRepository } from '../../../libs/persistence/model-versions.repository';
import { ScoreSetsRepository } from '../../../libs/persistence/score-sets.repository';
import { analyticsView, userScoreView } from './prediction-analytics.presenter';
import { PredictionsService } from './predictions.service';

/** Loads what the analytics and score views need; the presenter shapes it. */
@Injectable()
export class PredictionAnalyticsService {
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
    return userScoreView(p, score, set);
  }
}
