import type { CalibrationBin, ThresholdRow } from '../ml/metrics';

/**
 * One trained model of a prediction. `candidate` while the gate decides; then `active` (the one
 * scoring), `rejected` (with the reasons) or, once replaced, `retired`.
 */
export type ModelStatus = 'candidate' | 'active' | 'rejected' | 'retired';

export interface ModelMetrics {
  auc: number;
  prAuc: number;
  logLoss: number;
  /** Lift quality in percent and its Braze grade. */
  liftQuality: number;
  grade: 'Poor' | 'Fair' | 'Good' | 'Excellent';
  trainRows: number;
  trainPositives: number;
  holdoutRows: number;
  holdoutPositives: number;
  /** Reliability of the calibrated probabilities on the holdout (10 bins). */
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
