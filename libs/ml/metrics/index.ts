export { rocAuc } from './roc-auc';
export { prAuc } from './pr-auc';
export { logLoss, LOG_LOSS_EPSILON } from './log-loss';
export { brierScore } from './brier-score';
export { calibrationTable, type CalibrationBin } from './calibration-table';
export { liftQuality, liftQualityGrade, type LiftQuality, type LiftQualityGrade } from './lift-quality';
export { thresholdTable, quantileCuts, INTEGER_SCORE_CUTS, type ThresholdRow } from './threshold-table';
