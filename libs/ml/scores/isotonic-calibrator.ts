import { checkBinaryInputs } from '../metrics/binary-inputs';

/**
 * A monotone map from model score to probability, stored as the knots of a piecewise-linear curve
 * (each pooled block contributes its lowest and highest score); flat beyond the end knots.
 */
export interface IsotonicCalibrator {
  method: 'isotonic';
  x: number[];
  y: number[];
}

/** Pool-adjacent-violators on the holdout: the non-decreasing fit minimising squared error. */
export function fitIsotonic(labels: ArrayLike<number>, scores: ArrayLike<number>): IsotonicCalibrator {
  checkBinaryInputs('fitIsotonic', labels, scores);
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);

  // Stack of blocks; tied scores always share a block because a curve cannot split them.
  const sum: number[] = [];
  const weight: number[] = [];
  const xMin: number[] = [];
  const xMax: number[] = [];
  for (const i of order) {
    const s = scores[i];
    const top = sum.length - 1;
    if (top >= 0 && xMax[top] === s) {
      sum[top] += labels[i];
      weight[top] += 1;
    } else {
      sum.push(labels[i]);
      weight.push(1);
      xMin.push(s);
      xMax.push(s);
    }
    // Merging also on equality keeps the knot list short without changing the fit.
    while (sum.length > 1) {
      const b = sum.length - 1;
      if (sum[b - 1] / weight[b - 1] < sum[b] / weight[b]) break;
      sum[b - 1] += sum[b];
      weight[b - 1] += weight[b];
      xMax[b - 1] = xMax[b];
      sum.pop();
      weight.pop();
      xMin.pop();
      xMax.pop();
    }
  }

  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < sum.length; b++) {
    const mean = sum[b] / weight[b];
    x.push(xMin[b]);
    y.push(mean);
    if (xMax[b] !== xMin[b]) {
      x.push(xMax[b]);
      y.push(mean);
    }
  }
  return { method: 'isotonic', x, y };
}

export function applyIsotonic(calibrator: IsotonicCalibrator, score: number): number {
  const { x, y } = calibrator;
  const last = x.length - 1;
  if (Number.isNaN(score)) return NaN;
  if (score <= x[0]) return y[0];
  if (score >= x[last]) return y[last];
  // Largest knot index with x[lo] <= score.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= score) lo = mid;
    else hi = mid;
  }
  return y[lo] + ((y[hi] - y[lo]) * (score - x[lo])) / (x[hi] - x[lo]);
}
