import { checkBinaryInputs } from '../metrics/binary-inputs';

/** p = 1 / (1 + exp(-(a * score + b))). Fit it on the model's margin (log-odds) for best results. */
export interface PlattCalibrator {
  method: 'platt';
  a: number;
  b: number;
}

const MAX_ITERATIONS = 100;
const GRADIENT_TOLERANCE = 1e-10;
// Keeps the Newton step defined when every score is equal (a is then unidentifiable).
const RIDGE = 1e-12;

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Platt (1999) scaling: logistic regression of the label on the score, by Newton's method with
 * backtracking. Targets are Platt's smoothed (N+ + 1)/(N+ + 2) and 1/(N- + 2) rather than 1 and 0,
 * so a separable or single-class holdout still gives finite coefficients.
 */
export function fitPlatt(labels: ArrayLike<number>, scores: ArrayLike<number>): PlattCalibrator {
  const positives = checkBinaryInputs('fitPlatt', labels, scores);
  const n = labels.length;
  const negatives = n - positives;
  const highTarget = (positives + 1) / (positives + 2);
  const lowTarget = 1 / (negatives + 2);
  const target = (i: number) => (labels[i] === 1 ? highTarget : lowTarget);
  const loss = (a: number, b: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const f = a * scores[i] + b;
      const t = target(i);
      sum += t * softplus(-f) + (1 - t) * softplus(f);
    }
    return sum;
  };

  let a = 0;
  let b = Math.log((positives + 1) / (negatives + 1));
  let current = loss(a, b);
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = RIDGE;
    let hab = 0;
    let hbb = RIDGE;
    for (let i = 0; i < n; i++) {
      const s = scores[i];
      const p = sigmoid(a * s + b);
      const r = p - target(i);
      const w = p * (1 - p);
      ga += r * s;
      gb += r;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    if (Math.abs(ga) < GRADIENT_TOLERANCE && Math.abs(gb) < GRADIENT_TOLERANCE) break;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    while (step > 1e-10) {
      const next = loss(a - step * da, b - step * db);
      if (next < current) {
        a -= step * da;
        b -= step * db;
        current = next;
        break;
      }
      step /= 2;
    }
    if (step <= 1e-10) break;
  }
  return { method: 'platt', a, b };
}

export function applyPlatt(calibrator: PlattCalibrator, score: number): number {
  return sigmoid(calibrator.a * score + calibrator.b);
}
