import { applyIsotonic, fitIsotonic, IsotonicCalibrator } from './isotonic-calibrator';
import { applyPlatt, fitPlatt, PlattCalibrator } from './platt-calibrator';

/** A calibrator is plain JSON, stored beside the model it calibrates. */
export type Calibrator = IsotonicCalibrator | PlattCalibrator;
export type CalibrationMethod = Calibrator['method'];

/** Fits on a holdout the model never trained on, or the calibration inherits the model's overfit. */
export function fitCalibrator(method: CalibrationMethod, labels: ArrayLike<number>, scores: ArrayLike<number>): Calibrator {
  return method === 'isotonic' ? fitIsotonic(labels, scores) : fitPlatt(labels, scores);
}

export function calibrate(calibrator: Calibrator, score: number): number {
  return calibrator.method === 'isotonic' ? applyIsotonic(calibrator, score) : applyPlatt(calibrator, score);
}

export function calibrateAll(calibrator: Calibrator, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = calibrate(calibrator, scores[i]);
  return out;
}
