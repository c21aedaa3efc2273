import type { CalibrationBin } from '../../domain/model-version';
import { calibrationTable } from '../metrics/calibration-table';
import { stratifiedFolds } from '../random/stratified-folds';
import { calibrateAll, CalibrationMethod, fitCalibrator } from './calibrator';

export interface CrossFitOptions {
  /** Folds of the holdout (default 5): each is calibrated by a calibrator fitted on the others. */
  folds?: number;
  seed?: number;
  method?: CalibrationMethod;
}

/**
 * Out-of-sample calibrated probabilities of a holdout: the holdout is cut into stratified folds and each
 * fold's scores go through a calibrator fitted on the other folds only. The calibrator that is stored
 * is fitted on the whole holdout; its table, measured on the same rows, would flatter it (the fit has
 * seen every row it is judged on). These probabilities are what it does on rows it has not seen.
 */
export function crossFittedProbabilities(labels: ArrayLike<number>, scores: ArrayLike<number>, options: CrossFitOptions = {}): Float64Array {
  const k = options.folds ?? 5;
  if (labels.length !== scores.length) throw new RangeError(`crossFittedProbabilities: ${labels.length} labels for ${scores.length} scores`);
  if (labels.length < 2 * k) throw new RangeError(`crossFittedProbabilities: ${labels.length} rows cannot fill ${k} folds of at least two`);
  const folds = stratifiedFolds(labels, k, options.seed ?? 0);
  const out = new Float64Array(labels.length);
  for (let f = 0; f < k; f++) {
    const fitLabels: number[] = [];
    const fitScores: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      if (folds[i] === f) held.push(i);
      else {
        fitLabels.push(labels[i]);
        fitScores.push(scores[i]);
      }
    }
    const calibrator = fitCalibrator(options.method ?? 'platt', fitLabels, fitScores);
    const probs = calibrateAll(calibrator, held.map((i) => scores[i]));
    held.forEach((i, r) => (out[i] = probs[r]));
  }
  return out;
}

/** The reliability table of crossFittedProbabilities (equal-width bins, as calibrationTable). */
export function crossFittedCalibrationTable(labels: ArrayLike<number>, scores: ArrayLike<number>, bins = 10, options: CrossFitOptions = {}): CalibrationBin[] {
  return calibrationTable(labels, crossFittedProbabilities(labels, scores, options), bins);
}
