import { FeatureImportanceRow, ModelMetrics, ThresholdRow } from '../../domain/model-version';
import { ModelParams } from '../../domain/prediction';
import { featureImportance, GbdtModel, predictMargins, resolveParams, selectTrainingRows, serializeModel, trainGbdt, trainWithRecipe } from '../gbdt';
import type { TrainingData } from '../gbdt';
import { liftQuality, logLoss, prAuc, rocAuc, thresholdTable } from '../metrics';
import { stratifiedFolds } from '../random/stratified-folds';
import { applyPlatt, crossFittedCalibrationTable, fitPlatt, likelihoodScore, PlattCalibrator } from '../scores';

/** Share of the labelled users held out for evaluation and calibration when the prediction names none. */
export const DEFAULT_HOLDOUT_SHARE = 0.2;

export type TrainingProgress =
  | { step: 'training'; round: number; trainLoss: number; validLoss: number | undefined }
  | { step: 'evaluating' };

export interface TrainAndEvaluateInput {
  /** Column-major: feature j of row i at j*n + i; NaN for missing. */
  x: Float32Array;
  y: Float32Array | Uint8Array;
  n: number;
  featureNames: string[];
  categorical: number[];
  /**
   * The prediction's model parameters: `seed` (default 0) and `holdoutShare` (default 0.2); any
   * other key replaces the size-adapted training recipe with these GBDT parameters.
   */
  modelParams: ModelParams;
  /** Threads the boosting and the holdout prediction use (default 1); the model does not depend on it. */
  numThreads?: number;
  /** Every boosting round, then once before evaluation (unthrottled: the caller decides how often to report). */
  onProgress?: (progress: TrainingProgress) => void;
}

export interface TrainedCandidate {
  model: GbdtModel;
  modelJson: string;
  calibrator: PlattCalibrator;
  metrics: ModelMetrics;
  /** Audience slider rows for every integer likelihood score, on the holdout. */
  thresholds: ThresholdRow[];
  /** The 20 most important features, by share of the total gain. */
  importance: FeatureImportanceRow[];
  /** The model's GBDT parameters, and whether the recipe chose them. */
  params: Record<string, unknown>;
}

/** Row indices of fold 0 (held out) and of the other folds, in row order. */
function splitFolds(folds: Uint8Array): { held: number[]; rest: number[] } {
  const held: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < folds.length; i++) (folds[i] === 0 ? held : rest).push(i);
  return { held, rest };
}

function countPositives(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return s;
}

/**
 * Trains on a stratified split of the table and evaluates on the rest: the recipe (or the given
 * parameters, early-stopped on an inner stratified split), then AUC, PR AUC, log-loss, lift quality,
 * calibration and thresholds on the holdout, Platt calibration fitted on the holdout margins, and
 * importance shares. Deterministic for a given seed.
 */
export function trainAndEvaluate(input: TrainAndEvaluateInput): TrainedCandidate {
  const { modelParams, onProgress, numThreads } = input;
  const seed = modelParams.seed ?? 0;
  const holdoutShare = modelParams.holdoutShare ?? DEFAULT_HOLDOUT_SHARE;
  const outer = splitFolds(stratifiedFolds(input.y, Math.round(1 / holdoutShare), seed + 1));
  const all: TrainingData = { x: input.x, y: input.y, n: input.n, featureNames: input.featureNames, categoricalFeatures: input.categorical };
  const fit = selectTrainingRows(all, outer.rest);
  const hold = selectTrainingRows(all, outer.held);

  const onRound = onProgress && ((round: number, trainLoss: number, validLoss: number | undefined) => onProgress({ step: 'training', round, trainLoss, validLoss }));
  const custom = Object.keys(modelParams).some((k) => k !== 'seed' && k !== 'holdoutShare');
  let model: GbdtModel;
  if (custom) {
    const params = resolveParams({ ...modelParams, seed });
    if (params.earlyStoppingRounds > 0) {
      const inner = splitFolds(stratifiedFolds(fit.y, 5, seed + 2));
      model = trainGbdt(selectTrainingRows(fit, inner.rest), params, { valid: selectTrainingRows(fit, inner.held), numThreads, onRound });
    } else model = trainGbdt(fit, params, { numThreads, onRound });
  } else {
    model = trainWithRecipe(fit, { seed, numThreads, onRound }).model;
  }

  onProgress?.({ step: 'evaluating' });
  const margins = predictMargins(model, hold.x, hold.n, undefined, { numThreads });
  const calibrator = fitPlatt(hold.y, margins);
  const probs = Float64Array.from(margins, (m) => applyPlatt(calibrator, m));
  const scores = Float64Array.from(probs, (q) => likelihoodScore(q));
  const lift = liftQuality(hold.y, margins);
  const metrics: ModelMetrics = {
    auc: rocAuc(hold.y, margins),
    prAuc: prAuc(hold.y, margins),
    logLoss: logLoss(hold.y, probs),
    liftQuality: lift.percent,
    grade: lift.grade,
    trainRows: fit.n,
    trainPositives: countPositives(fit.y),
    holdoutRows: hold.n,
    holdoutPositives: countPositives(hold.y),
    // Out of sample: the stored calibrator has seen every holdout row, so each fold of the holdout is
    // calibrated by one fitted on the other folds for the table.
    calibration: crossFittedCalibrationTable(hold.y, margins, 10, { seed: seed + 3 }),
  };
  const imp = featureImportance(model);
  const totalGain = imp.reduce((s, f) => s + f.gain, 0) || 1;
  return {
    model,
    modelJson: serializeModel(model),
    calibrator,
    metrics,
    thresholds: thresholdTable(hold.y, scores),
    importance: imp.slice(0, 20).map((f) => ({ name: f.name, share: f.gain / totalGain, splits: f.splits })),
    params: { ...model.params, recipe: !custom },
  };
}
