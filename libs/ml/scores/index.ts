export { fitIsotonic, applyIsotonic, type IsotonicCalibrator } from './isotonic-calibrator';
export { fitPlatt, applyPlatt, type PlattCalibrator } from './platt-calibrator';
export { fitCalibrator, calibrate, calibrateAll, type Calibrator, type CalibrationMethod } from './calibrator';
export { likelihoodScore } from './likelihood-score';
export {
  scoreCategory,
  checkScoreCategoryCuts,
  DEFAULT_SCORE_CATEGORY_CUTS,
  type ScoreCategory,
  type ScoreCategoryCuts,
} from './score-category';
export { percentileCutPoints, percentileRank } from './percentile-rank';
export { crossFittedProbabilities, crossFittedCalibrationTable, type CrossFitOptions } from './cross-fitted-calibration';
