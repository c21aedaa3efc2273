import { naturalSplineValue } from '../linear/natural-spline';
import { LinearTermJson } from './model-format';

/** A model's linear part with its categorical coefficients as lookup tables by code. */
export interface CompiledLinear {
  intercept: number;
  numeric: LinearTermJson['numeric'];
  categorical: { feature: number; byCode: Map<number, number>; otherCoef: number; mean: number }[];
}

export function compileLinear(linear: LinearTermJson): CompiledLinear {
  return {
    intercept: linear.intercept,
    numeric: linear.numeric,
    categorical: linear.categorical.map((t) => ({
      feature: t.feature,
      byCode: new Map(t.codes.map((c, k) => [c, t.coefs[k]])),
      otherCoef: t.otherCoef,
      mean: t.mean,
    })),
  };
}

/** The numeric term of value v (NaN = missing). */
export function numericTerm(t: LinearTermJson['numeric'][number], v: number): number {
  const missing = v !== v;
  const clipped = missing ? t.fill : v < t.low ? t.low : v > t.high ? t.high : v;
  const line = (t.coef * (clipped - t.center)) / t.scale + (missing ? t.missingCoef : 0);
  return t.knots && t.curve ? line + naturalSplineValue(t.knots, t.curve, clipped) : line;
}

/** The categorical term of code v (NaN or an unseen code: otherCoef). */
export function categoricalTerm(t: CompiledLinear['categorical'][number], v: number): number {
  return t.byCode.get(v) ?? t.otherCoef;
}

/** Adds the linear part to margins out[0..n) of a column-major matrix (feature j of row i at j*n + i). */
export function addLinearTerm(linear: CompiledLinear, x: Float32Array | Float64Array, n: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) out[i] += linear.intercept;
  for (const t of linear.numeric) {
    const col = t.feature * n;
    for (let i = 0; i < n; i++) out[i] += numericTerm(t, x[col + i]);
  }
  for (const t of linear.categorical) {
    const col = t.feature * n;
    for (let i = 0; i < n; i++) out[i] += categoricalTerm(t, x[col + i]);
  }
}
