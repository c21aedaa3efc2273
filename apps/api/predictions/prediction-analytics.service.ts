import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../../../libs/domain/errors';
import { ModelVersionsRepository } from '../../../libs/persistence/model-versions.repository';
import { ScoresRepository } from '../../../libs/persistence/scores.repository';
import { analyticsView, userScoreView } from './prediction-analytics.presenter';
import { PredictionsService } from './predictions.service';

/** Loads what the analytics and score views need; the presenter shapes it. */
@Injectable()
export class PredictionAnalyticsService {
  constructor(
    @Inject(PredictionsService) private readonly predictions: PredictionsService,
    @Inject(ModelVersionsRepository) private readonly models: ModelVersionsRepository,
    @Inject(ScoresRepository) private readonly scores: ScoresRepository,
  ) {}

  async analytics(predictionId: string): Promise<ReturnType<typeof analyticsView>> {
    const p = await this.predictions.get(predictionId);
    const [history, snapshot, retrain, rescore] = await Promise.all([
      this.models.history(p.id),
      p.activeScoreSet ? this.scores.snapshot(p.id, p.activeScoreSet) : Promise.resolve(null),
      this.predictions.schedules.describe(p.id, 'retrain'),
      this.predictions.schedules.describe(p.id, 'rescore'),
    ]);
    return analyticsView({ prediction: p, history, snapshot, schedules: { retrain, rescore } });
  }

  async userScore(predictionId: string, userId: string): Promise<ReturnType<typeof userScoreView>> {
    const p = await this.predictions.get(predictionId);
    const notFound = () => new NotFoundError(`no score for user ${userId} in prediction ${p.id}`);
    if (!p.activeScoreSet) throw notFound();
    const [score, snapshot] = await Promise.all([this.scores.findForUser(p.id, p.activeScoreSet, userId), this.scores.snapshot(p.id, p.activeScoreSet)]);
    if (!score) throw notFound();
    return userScoreView(p, score, snapshot);
  }
}
