import { ModelVersionSummary } from '../../../libs/domain/model-version';
import { Prediction } from '../../../libs/domain/prediction';
import { percentileRank } from '../../../libs/ml/scores';
import { ScoreDoc, ScoreSetDoc } from '../../../libs/persistence/score-set.schema';
import { ScheduleState } from '../../../libs/predictions/prediction-schedules';

/** Everything the analytics view shows, as loaded. */
export interface AnalyticsInputs {
  prediction: Prediction;
  /** Model versions, newest first. */
  history: ModelVersionSummary[];
  /** The active score set (with its distribution), null before the first rescore. */
  snapshot: ScoreSetDoc | null;
  schedules: { retrain: ScheduleState; rescore: ScheduleState };
}

/** Scores may feed segments only from an active, unarchived prediction. */
const usableInSegments = (p: Prediction) => p.status === 'active' && !p.archived;

/**
 * Quality of the active model (or the newest one before any is active), the score distribution, the
 * audience slider table, top features, model history and schedule state.
 */
export function analyticsView({ prediction: p, history, snapshot: snap, schedules }: AnalyticsInputs) {
  const active = history.find((m) => m.version === p.activeModelVersion) ?? null;
  const shown = active ?? history[0] ?? null;
  const audienceAtOrAbove = (cut: number) => (snap?.scoreCounts ? snap.scoreCounts.slice(Math.max(0, Math.ceil(cut))).reduce((s, c) => s + c, 0) : null);
  return {
    prediction: {
      id: p.id,
      name: p.name,
      type: p.type,
      status: p.status,
      archived: p.archived,
      usableInSegments: usableInSegments(p),
      activeModelVersion: p.activeModelVersion,
    },
    quality: shown
      ? {
          modelVersion: shown.version,
          modelStatus: shown.status,
          liftQuality: shown.metrics.liftQuality,
          grade: shown.metrics.grade,
          auc: shown.metrics.auc,
          prAuc: shown.metrics.prAuc,
          logLoss: shown.metrics.logLoss,
          holdout: { users: shown.metrics.holdoutRows, positives: shown.metrics.holdoutPositives },
          calibration: shown.metrics.calibration,
        }
      : null,
    scores: snap
      ? { scoreSet: snap.key, asOf: snap.asOf, users: snap.users, histogram: snap.histogram, categories: snap.categories, rescoreSeconds: snap.seconds, usersPerSecond: snap.usersPerSecond }
      : null,
    // Audience slider: audience size from the current scores, expected precision and recall from the holdout.
    thresholds: shown
      ? shown.thresholds.map((r) => ({
          cut: r.cut,
          audienceSize: audienceAtOrAbove(r.cut),
          audienceShareOnHoldout: r.audienceShare,
          expectedPrecision: r.precision,
          expectedRecall: r.recall,
        }))
      : [],
    topFeatures: shown ? shown.importance.slice(0, 10) : [],
    models: history.map((m) => ({
      version: m.version,
      status: m.status,
      reasons: m.reasons,
      auc: m.metrics.auc,
      liftQuality: m.metrics.liftQuality,
      grade: m.metrics.grade,
      trees: m.trees,
      cutoff: m.cutoff,
      createdAt: m.createdAt,
      decidedAt: m.decidedAt,
      retrainId: m.retrainId,
    })),
    schedules: { ...schedules, ids: { retrain: schedules.retrain.scheduleId, rescore: schedules.rescore.scheduleId } },
  };
}

/** A user's score with its percentile rank in the score set it comes from. */
export function userScoreView(p: Prediction, score: ScoreDoc, set: ScoreSetDoc) {
  return {
    predictionId: p.id,
    userId: score._id,
    score: score.score,
    probability: score.probability,
    category: score.category,
    percentile: set.percentiles ? percentileRank(set.percentiles, score.probability) : null,
    modelVersion: set.modelVersion,
    scoreSet: set.key,
    usableInSegments: usableInSegments(p),
  };
}
