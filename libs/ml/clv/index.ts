export {
  rfmSummary,
  rfmSummaryOfEvents,
  DAY_MS,
  WEEK_MS,
  type RfmSummary,
  type RfmColumns,
  type RfmOptions,
} from './rfm-summary';
export {
  loadCdnow,
  parseCdnow,
  calibrationPurchases,
  CDNOW_CALIBRATION_END_DAY,
  CDNOW_HOLDOUT_END_DAY,
  CDNOW_HOLDOUT_WEEKS,
  CDNOW_END,
  cdnowHistories,
  type CdnowCohort,
  type CdnowPurchases,
} from './cdnow';
export {
  fitBgNbd,
  bgNbdLogLikelihood,
  bgNbdExpectedPurchases,
  bgNbdConditionalExpectedPurchases,
  bgNbdProbabilityAlive,
  type BgNbdParams,
  type BgNbdData,
  type BgNbdFit,
} from './bg-nbd';
export {
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaConditionalExpectedSpend,
  type GammaGammaParams,
  type GammaGammaFit,
} from './gamma-gamma';
export { customerLifetimeValue, type ClvOptions } from './clv';
export {
  fitClvModel,
  clvScores,
  customerForecast,
  DEFAULT_CLV_HORIZON_DAYS,
  type ClvModel,
  type ClvScore,
  type ClvTier,
  type ClvSpend,
  type ClvOptions as ClvModelOptions,
  type PurchaseHistory,
} from './clv-model';
export { evaluateClv, clvGrade, type ClvEvaluation, type ClvEvaluationOptions, type ClvGrade } from './clv-evaluation';
