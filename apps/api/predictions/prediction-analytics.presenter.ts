import { AnyModelMetrics, isBinaryMetrics, modelGrade, ModelVersionSummary } from '../../../libs/domain/model-version';
import { gateMetricsOf, qualityWords } from '../../../libs/domain/quality-gate';
import type { Reason } from '../../../libs/ml/explain';
import { Prediction } from '../../../libs/domain/prediction';
import { fromJsonText } from '../../../libs/domain/prediction-outputs';
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
    quality: shown ? { modelVersion: shown.version, modelStatus: shown.status, ...qualityView(shown.metrics) } : null,
    scores: snap
      ? {
          scoreSet: snap.key,
          asOf: snap.asOf,
          users: snap.users,
          histogram: snap.histogram,
          categories: snap.categories,
          rescoreSeconds: snap.seconds,
          usersPerSecond: snap.usersPerSecond,
          ...(snap.clv ? { clv: snap.clv } : {}),
          ...(snap.recommendations ? { recommendations: snap.recommendations } : {}),
        }
      : null,
    // Audience slider: audience size from the current scores, expected precision and recall from the holdout.
    thresholds: shown && isBinaryMetrics(shown.metrics)
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
      auc: isBinaryMetrics(m.metrics) ? m.metrics.auc : null,
      liftQuality: isBinaryMetrics(m.metrics) ? m.metrics.liftQuality : null,
      grade: modelGrade(m.metrics),
      quality: qualityWords(gateMetricsOf(m.metrics)),
      trees: m.trees,
      cutoff: m.cutoff,
      createdAt: m.createdAt,
      decidedAt: m.decidedAt,
      retrainId: m.retrainId,
    })),
    schedules: { ...schedules, ids: { retrain: schedules.retrain.scheduleId, rescore: schedules.rescore.scheduleId } },
  };
}

/**
 * A model's quality: a yes/no model's holdout metrics; lifetime value's Dynamics-365 grade with the
 * hit rates behind it, value errors and totals; a recommender's top-10 quality next to popularity's.
 */
function qualityView(m: AnyModelMetrics) {
  if (isBinaryMetrics(m)) {
    return {
      kind: 'binary' as const,
      liftQuality: m.liftQuality,
      grade: m.grade,
      auc: m.auc,
      prAuc: m.prAuc,
      logLoss: m.logLoss,
      holdout: { users: m.holdoutRows, positives: m.holdoutPositives },
      calibration: m.calibration,
    };
  }
  return { ...m, summary: `${qualityWords(gateMetricsOf(m))}: ${modelGrade(m)}` };
}

/**
 * A user's score with its percentile rank in the score set it comes from, and what the kind adds:
 * a yes/no score's top reasons in words, a customer's lifetime value, a user's recommendations.
 */
export function userScoreView(p: Prediction, score: ScoreDoc, set: ScoreSetDoc, reasons: Reason[] | null) {
  const clv = score.clv === undefined ? undefined : fromJsonText(score.clv);
  return {
    predictionId: p.id,
    userId: score._id,
    score: score.score,
    probability: score.probability,
    category: score.category,
    percentile: set.percentiles ? percentileRank(set.percentiles, clv ? clv.expectedValue : score.probability) : null,
    modelVersion: set.modelVersion,
    scoreSet: set.key,
    usableInSegments: usableInSegments(p),
    ...(reasons ? { reasons } : {}),
    ...(clv ? { clv: { ...clv, expectedNextPurchaseAt: clv.expectedNextPurchaseAt === null ? null : new Date(clv.expectedNextPurchaseAt) } } : {}),
    ...(score.recs ? { recommendations: fromJsonText(score.recs).map((r) => ({ productId: r.p, category: r.c, score: r.s })) } : {}),
  };
}
