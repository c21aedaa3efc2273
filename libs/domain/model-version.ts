/**
 * One trained model of a prediction. `candidate` while the gate decides; then `active` (the one
 * scoring), `rejected` (with the reasons) or, once replaced, `retired`.
 */
export type ModelStatus = 'candidate' | 'active' | 'rejected' | 'retired';

export type LiftQualityGrade = 'Poor' | 'Fair' | 'Good' | 'Excellent';

/** One bin of a reliability diagram: bin b covers [b/bins, (b+1)/bins), the last bin includes 1. */
export interface CalibrationBin {
  /** 0-based bin index. */
  bin: number;
  lower: number;
  upper: number;
  count: number;
  /** Null for an empty bin (JSON-safe, unlike NaN). */
  meanPredicted: number | null;
  observedRate: number | null;
}

/** One stop of the audience slider, measured on a labelled holdout. */
export interface ThresholdRow {
  /** Users with score >= cut are in the audience. */
  cut: number;
  audienceCount: number;
  audienceShare: number;
  /** Share of the audience that is positive (will churn / buy); null for an empty audience. */
  precision: number | null;
  /** Share of all positives that the audience captures. */
  recall: number;
  falsePositiveRate: number;
}

export interface ModelMetrics {
  auc: number;
  prAuc: number;
  logLoss: number;
  /** Lift quality in percent and its Braze grade. */
  liftQuality: number;
  grade: LiftQualityGrade;
  trainRows: number;
  trainPositives: number;
  holdoutRows: number;
  holdoutPositives: number;
  /** Reliability of the calibrated probabilities on the holdout (10 bins), cross-fitted: out of sample. */
  calibration: CalibrationBin[];
}

/** A lifetime-value model judged on its holdout as Dynamics 365 grades it (libs/ml/clv/clv-evaluation.ts). */
export interface ClvQuality {
  kind: 'clv';
  /** A: finds at least 5% more of the real top customers than the past-value baseline; B: as many; C: fewer. */
  grade: 'A' | 'B' | 'C';
  hitRate: number;
  baselineHitRate: number;
  /** Share of customers that counts as top (0.2), and how many real top customers there were. */
  topShare: number;
  actualTop: number;
  customers: number;
  holdoutDays: number;
  /** Per customer over the holdout: mean absolute and root mean squared error of the value. */
  mae: number;
  rmse: number;
  predictedValue: number;
  actualValue: number;
  predictedPurchases: number;
  actualPurchases: number;
}

export interface RankingQualityRow {
  precision: number;
  recall: number;
  ndcg: number;
}

/** A recommender judged on a time-based holdout: top-10 quality of ours and of the popularity baseline. */
export interface RecommendationQuality {
  kind: 'recommendation';
  k: number;
  holdoutDays: number;
  /** Customers with a purchase new to them in the holdout. */
  customers: number;
  products: number;
  ours: RankingQualityRow;
  popularity: RankingQualityRow;
}

export type AnyModelMetrics = ModelMetrics | ClvQuality | RecommendationQuality;

export function isBinaryMetrics(m: AnyModelMetrics): m is ModelMetrics {
  return !('kind' in m);
}

/** A model's grade in words: lift quality's (yes/no), Dynamics 365's A/B/C (lifetime value), or against popularity (recommendations). */
export function modelGrade(m: AnyModelMetrics): string {
  if (isBinaryMetrics(m) || m.kind === 'clv') return m.grade;
  return m.ours.ndcg >= m.popularity.ndcg ? 'better than popularity' : 'worse than popularity';
}

export interface FeatureImportanceRow {
  name: string;
  /** Share of the total gain, 0-1. */
  share: number;
  splits: number;
}

export interface ModelVersionSummary {
  predictionId: string;
  version: number;
  status: ModelStatus;
  /** Why it was promoted or rejected. */
  reasons: string[];
  retrainId: string;
  cutoff: Date;
  createdAt: Date;
  decidedAt?: Date;
  params: Record<string, unknown>;
  /** Yes/no models: ModelMetrics; clv and recommendation: their quality against the baseline (with `kind`). */
  metrics: AnyModelMetrics;
  /** Audience slider: for each 0-100 likelihood score cut, audience and expected precision/recall (holdout). */
  thresholds: ThresholdRow[];
  importance: FeatureImportanceRow[];
  featureNames: string[];
  trees: number;
}
