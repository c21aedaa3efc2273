import { TrainingData } from '../gbdt/booster';
import { LinearTermJson } from '../gbdt/model-format';
import { designMatrix, fitLinearDesign, LinearDesign } from './linear-design';

/** Weights on the design columns and the (unpenalised) intercept. */
export interface LogisticFit {
  weights: Float64Array;
  intercept: number;
  iterations: number;
}

const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-8;

/** Σ log(1 + e^m) − y·m + λ/2·|w|², and the margins. */
function objective(X: Float64Array, y: ArrayLike<number>, n: number, d: number, w: Float64Array, b: number, lambda: number, margins: Float64Array): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let m = b;
    const row = i * d;
    for (let a = 0; a < d; a++) m += X[row + a] * w[a];
    margins[i] = m;
    loss += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - y[i] * m;
  }
  let norm = 0;
  for (let a = 0; a < d; a++) norm += w[a] * w[a];
  return loss + 0.5 * lambda * norm;
}

/** Solves A z = r in place (r becomes z) for a symmetric positive definite A (lower triangle, k × k). */
function choleskySolve(A: Float64Array, k: number, r: Float64Array): void {
  for (let j = 0; j < k; j++) {
    let s = A[j * k + j];
    for (let t = 0; t < j; t++) s -= A[j * k + t] * A[j * k + t];
    // The Hessian is positive definite (λ > 0 on the weights, Σ p(1−p) > 0 on the intercept); guard rounding.
    const diag = Math.sqrt(Math.max(s, 1e-300));
    A[j * k + j] = diag;
    for (let i = j + 1; i < k; i++) {
      let u = A[i * k + j];
      for (let t = 0; t < j; t++) u -= A[i * k + t] * A[j * k + t];
      A[i * k + j] = u / diag;
    }
  }
  for (let i = 0; i < k; i++) {
    let s = r[i];
    for (let t = 0; t < i; t++) s -= A[i * k + t] * r[t];
    r[i] = s / A[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = r[i];
    for (let t = i + 1; t < k; t++) s -= A[t * k + i] * r[t];
    r[i] = s / A[i * k + i];
  }
}

/**
 * L2-penalised logistic regression (the intercept unpenalised) by Newton's method with step halving,
 * on a row-major design matrix X (n × d). `lambda` = 1/C in scikit-learn's terms. Starts from `start`
 * (a warm start along a path of penalties) or zero. Deterministic.
 */
export function fitLogistic(X: Float64Array, y: ArrayLike<number>, n: number, d: number, lambda: number, start?: LogisticFit): LogisticFit {
  const k = d + 1;
  const w = start ? Float64Array.from(start.weights) : new Float64Array(d);
  let b = start ? start.intercept : 0;
  const margins = new Float64Array(n);
  const H = new Float64Array(k * k);
  const g = new Float64Array(k);
  const trialW = new Float64Array(d);
  let loss = objective(X, y, n, d, w, b, lambda, margins);
  let iterations = 0;
  while (iterations < MAX_ITERATIONS) {
    iterations++;
    H.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const prob = 1 / (1 + Math.exp(-margins[i]));
      const s = prob * (1 - prob);
      const r = prob - y[i];
      const row = i * d;
      for (let a = 0; a < d; a++) {
        const xa = X[row + a];
        // One-hot and flag columns are mostly zero.
        if (xa === 0) continue;
        g[a] += r * xa;
        const sa = s * xa;
        const at = a * k;
        for (let c = 0; c <= a; c++) H[at + c] += sa * X[row + c];
        H[d * k + a] += sa;
      }
      g[d] += r;
      H[d * k + d] += s;
    }
    for (let a = 0; a < d; a++) {
      g[a] += lambda * w[a];
      H[a * k + a] += lambda;
    }
    choleskySolve(H, k, g);
    let step = 1;
    let improved = false;
    for (let halvings = 0; halvings < 30; halvings++, step /= 2) {
      for (let a = 0; a < d; a++) trialW[a] = w[a] - step * g[a];
      const trial = objective(X, y, n, d, trialW, b - step * g[d], lambda, margins);
      if (trial <= loss) {
        w.set(trialW);
        b -= step * g[d];
        improved = loss - trial > TOLERANCE * Math.max(1, Math.abs(loss));
        loss = trial;
        break;
      }
    }
    let largest = 0;
    for (let a = 0; a < k; a++) largest = Math.max(largest, Math.abs(step * g[a]));
    if (!improved || largest < TOLERANCE) break;
  }
  // The margins of the last accepted step (a rejected trial may have overwritten them).
  objective(X, y, n, d, w, b, lambda, margins);
  return { weights: w, intercept: b, iterations };
}

/** The fitted regression as the linear part of a model (terms on the raw feature values). */
export function linearTerm(design: LinearDesign, fit: LogisticFit, X: Float64Array, n: number): LinearTermJson {
  const { d } = design;
  const w = fit.weights;
  const columnMean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) columnMean[a] += X[i * d + a] / n;
  // The model's spline terms are on the raw basis: their standardisation's centring moves to the intercept.
  let intercept = fit.intercept;
  const numeric = design.numeric.map((t) => {
    const missingCoef = t.missingColumn >= 0 ? w[t.missingColumn] : 0;
    let mean = w[t.column] * columnMean[t.column] + (t.missingColumn >= 0 ? missingCoef * columnMean[t.missingColumn] : 0);
    const curve = t.curveCenter.map((center, k) => {
      const a = t.curveColumn + k;
      intercept -= (w[a] * center) / t.curveScale[k];
      mean += w[a] * (columnMean[a] + center / t.curveScale[k]);
      return w[a] / t.curveScale[k];
    });
    const { feature, low, high, fill, center, scale } = t;
    return { feature, low, high, fill, center, scale, coef: w[t.column], missingCoef, mean, ...(curve.length > 0 ? { knots: t.knots, curve } : {}) };
  });
  return {
    intercept,
    numeric,
    categorical: design.categorical.map((t) => {
      const coefs = t.codes.map((_, k) => w[t.firstColumn + k]);
      const otherCoef = t.missingColumn >= 0 ? w[t.missingColumn] : 0;
      let mean = t.missingColumn >= 0 ? otherCoef * columnMean[t.missingColumn] : 0;
      coefs.forEach((c, k) => (mean += c * columnMean[t.firstColumn + k]));
      return { feature: t.feature, codes: t.codes, coefs, otherCoef, mean };
    }),
  };
}

/** Design, matrix and fit of one table at one penalty: what the recipe and the benchmarks call. */
export function trainLogistic(data: TrainingData, C: number): LinearTermJson {
  const design = fitLinearDesign(data);
  const X = designMatrix(design, data.x, data.n);
  return linearTerm(design, fitLogistic(X, data.y, data.n, design.d, 1 / C), X, data.n);
}
