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
  metrics: ModelMetrics;
  /** Audience slider: for each 0-100 likelihood score cut, audience and expected precision/recall (holdout). */
  thresholds: ThresholdRow[];
  importance: FeatureImportanceRow[];
  featureNames: string[];
  trees: number;
}
