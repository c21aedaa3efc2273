import { ModelVersionSummary, ThresholdRow } from '../../../libs/domain/model-version';
import { Prediction } from '../../../libs/domain/prediction';
import { toJsonText } from '../../../libs/domain/prediction-outputs';
import { percentileCutPoints } from '../../../libs/ml/scores';
import { ScoreSetDoc } from '../../../libs/persistence/score-set.schema';
import { ScheduleState } from '../../../libs/predictions/prediction-schedules';
import { analyticsView, userScoreView } from './prediction-analytics.presenter';

const T = new Date('2026-03-01T00:00:00Z');

const prediction = (over: Partial<Prediction> = {}): Prediction => ({
  id: 'p_0123456789ab',
  name: 'Churn',
  type: 'churn',
  definition: { windowDays: 30 },
  audience: {},
  modelParams: {},
  qualityGate: { minAuc: 0.6, minLiftQuality: 10, aucTolerance: 0.02, liftQualityTolerance: 5 },
  retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' },
  rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
  status: 'active',
  archived: false,
  activeModelVersion: 1,
  activeScoreSet: 'v1@2026-03-01T00:00:00.000Z',
  createdAt: T,
  updatedAt: T,
  ...over,
});

const threshold = (cut: number): ThresholdRow => ({ cut, audienceCount: 10 - cut, audienceShare: (10 - cut) / 10, precision: 0.5, recall: 1 - cut / 100, falsePositiveRate: 0.1 });

const model = (version: number, status: ModelVersionSummary['status'], auc: number): ModelVersionSummary => ({
  predictionId: 'p_0123456789ab',
  version,
  status,
  reasons: [`v${version}`],
  retrainId: `r${version}`,
  cutoff: T,
  createdAt: T,
  params: {},
  metrics: {
    auc,
    prAuc: 0.5,
    logLoss: 0.4,
    liftQuality: 30,
    grade: 'Fair',
    trainRows: 800,
    trainPositives: 200,
    holdoutRows: 200,
    holdoutPositives: 50,
    calibration: [],
  },
  thresholds: [threshold(0), threshold(50), threshold(74.5)],
  importance: Array.from({ length: 12 }, (_, k) => ({ name: `f${k}`, share: 1 / 12, splits: 1 })),
  featureNames: [],
  trees: 10 * version,
});

const scoreCounts = new Array<number>(101).fill(0);
scoreCounts[10] = 5;
scoreCounts[50] = 3;
scoreCounts[75] = 2;

const snapshot: ScoreSetDoc = {
  _id: 'p_0123456789ab:v1@2026-03-01T00:00:00.000Z',
  predictionId: 'p_0123456789ab',
  key: 'v1@2026-03-01T00:00:00.000Z',
  modelVersion: 1,
  asOf: T,
  collectionName: 'scores_p_0123456789ab_v1_1772323200000',
  state: 'complete',
  completedAt: T,
  users: 10,
  histogram: [],
  categories: { Low: 5, Medium: 3, High: 2 },
  scoreCounts,
  percentiles: percentileCutPoints([0.1, 0.1, 0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.75, 0.75]),
  seconds: 2,
  usersPerSecond: 5,
  createdAt: T,
};

const state = (scheduleId: string): ScheduleState => ({ scheduleId, exists: true, paused: false });
const schedules = { retrain: state('retrain:p_0123456789ab'), rescore: state('rescore:p_0123456789ab') };

describe('analyticsView', () => {
  it('shows the active model, audience sizes from the current scores and the history', () => {
    const v = analyticsView({ prediction: prediction(), history: [model(2, 'rejected', 0.7), model(1, 'active', 0.8)], snapshot, schedules });
    expect(v.prediction).toMatchObject({ id: 'p_0123456789ab', usableInSegments: true, activeModelVersion: 1 });
    expect(v.quality).toMatchObject({ modelVersion: 1, modelStatus: 'active', auc: 0.8, holdout: { users: 200, positives: 50 } });
    expect(v.scores).toMatchObject({ users: 10, categories: { Low: 5, Medium: 3, High: 2 }, rescoreSeconds: 2 });
    // Users at or above each cut; a fractional cut rounds up to the next whole score.
    expect(v.thresholds.map((t) => [t.cut, t.audienceSize, t.expectedRecall])).toEqual([
      [0, 10, 1],
      [50, 5, 0.5],
      [74.5, 2, 1 - 0.745],
    ]);
    expect(v.topFeatures).toHaveLength(10);
    expect(v.models.map((m) => [m.version, m.status, m.trees])).toEqual([
      [2, 'rejected', 20],
      [1, 'active', 10],
    ]);
    expect(v.schedules.ids).toEqual({ retrain: 'retrain:p_0123456789ab', rescore: 'rescore:p_0123456789ab' });
    expect(v.schedules.retrain).toBe(schedules.retrain);
  });

  it('shows the newest model before any is active, and no audience sizes before the first rescore', () => {
    const v = analyticsView({
      prediction: prediction({ status: 'preview', activeModelVersion: null, activeScoreSet: null }),
      history: [model(2, 'rejected', 0.55), model(1, 'rejected', 0.5)],
      snapshot: null,
      schedules,
    });
    expect(v.prediction.usableInSegments).toBe(false);
    expect(v.quality?.modelVersion).toBe(2);
    expect(v.scores).toBeNull();
    expect(v.thresholds.every((t) => t.audienceSize === null)).toBe(true);
  });

  it('shows lifetime value graded against past value, and recommendations against popularity', () => {
    const clv = { kind: 'clv' as const, grade: 'A' as const, hitRate: 0.55, baselineHitRate: 0.5, topShare: 0.2, actualTop: 100, customers: 500, holdoutDays: 180, mae: 12, rmse: 30, predictedValue: 9000, actualValue: 10000, predictedPurchases: 800, actualPurchases: 850 };
    const withMetrics = (metrics: ModelVersionSummary['metrics']): ModelVersionSummary => ({ ...model(1, 'active', 0), metrics, thresholds: [], importance: [], trees: 0 });
    const v = analyticsView({ prediction: prediction({ type: 'clv', definition: { horizonDays: 180, highShare: 0.2, mediumShare: 0.3 } }), history: [withMetrics(clv)], snapshot, schedules });
    expect(v.quality).toEqual({ modelVersion: 1, modelStatus: 'active', ...clv, summary: 'top-20% hit rate 55.0% (past-value baseline 50.0%): A' });
    expect(v.models[0]).toMatchObject({ auc: null, liftQuality: null, grade: 'A', quality: 'top-20% hit rate 55.0% (past-value baseline 50.0%)' });
    expect([v.thresholds, v.topFeatures]).toEqual([[], []]);
    const recs = { kind: 'recommendation' as const, k: 10, holdoutDays: 30, customers: 90, products: 40, ours: { precision: 0.05, recall: 0.3, ndcg: 0.2 }, popularity: { precision: 0.03, recall: 0.2, ndcg: 0.12 } };
    const r = analyticsView({ prediction: prediction({ type: 'recommendation' }), history: [withMetrics(recs)], snapshot, schedules });
    expect(r.quality).toMatchObject({ kind: 'recommendation', ours: recs.ours, popularity: recs.popularity, summary: 'NDCG@10 0.200 (popularity 0.120): better than popularity' });
  });

  it('is empty for a prediction without models', () => {
    const v = analyticsView({ prediction: prediction({ activeModelVersion: null }), history: [], snapshot: null, schedules });
    expect([v.quality, v.thresholds, v.topFeatures, v.models]).toEqual([null, [], [], []]);
  });
});

describe('userScoreView', () => {
  const score = { _id: 'u1', s: 7, g: 0, probability: 0.5, score: 50, category: 'Medium' as const };

  it("gives the user's score and percentile rank in the score set", () => {
    expect(userScoreView(prediction(), score, snapshot, null)).toEqual({
      predictionId: 'p_0123456789ab',
      userId: 'u1',
      score: 50,
      probability: 0.5,
      category: 'Medium',
      percentile: 49,
      modelVersion: 1,
      scoreSet: snapshot.key,
      usableInSegments: true,
    });
    expect(userScoreView(prediction(), { ...score, probability: 0.75 }, snapshot, null).percentile).toBe(79);
  });

  it('adds the reasons, a customer\'s lifetime value or a user\'s recommendations', () => {
    const reasons = [{ feature: 'days_since_last_session', value: 34, contribution: 0.21, text: 'no session for 34 days: +0.21' }];
    expect(userScoreView(prediction(), score, snapshot, reasons).reasons).toBe(reasons);
    const clv = { expectedValue: 120, expectedPurchases: 2, probabilityAlive: 0.9, valuePercentile: 81, tier: 'high' as const, expectedNextPurchaseAt: T.getTime(), averageDaysBetweenPurchases: 40, purchases: 3 };
    expect(userScoreView(prediction(), { ...score, clv: toJsonText(clv) }, snapshot, null).clv).toEqual({ ...clv, expectedNextPurchaseAt: T });
    const v = userScoreView(prediction(), { ...score, recs: toJsonText([{ p: 'x', c: null, s: 0.2 }]) }, snapshot, null);
    expect(v.recommendations).toEqual([{ productId: 'x', category: null, score: 0.2 }]);
  });

  it('is not usable in segments from an archived prediction', () => {
    const v = userScoreView(prediction({ archived: true }), score, snapshot, null);
    expect(v.usableInSegments).toBe(false);
  });
});
