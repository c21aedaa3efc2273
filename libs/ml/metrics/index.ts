export { rocAuc } from './roc-auc';
export { prAuc } from './pr-auc';
export { logLoss, LOG_LOSS_EPSILON } from './log-loss';
export { brierScore } from './brier-score';
export { calibrationTable } from './calibration-table';
export { liftQuality, liftQualityGrade, type LiftQuality } from './lift-quality';
export { thresholdTable, quantileCuts, INTEGER_SCORE_CUTS } from './threshold-table';
