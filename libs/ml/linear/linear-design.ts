import { TrainingData } from '../gbdt/booster';
import { NumericTermJson } from '../gbdt/model-format';
import { naturalSplineBasis } from './natural-spline';

/**
 * How a table becomes the columns of a logistic regression: numeric features winsorized to their
 * training 0.5–99.5% quantiles, missing values filled with the median (plus a 0/1 "was missing" column
 * when some are), then standardised, each with the nonlinear columns of a natural cubic spline on
 * knots at training quantiles (when they are distinct), standardised too; categorical codes one-hot
 * (every level seen in training, and one more for missing when there is any). Constant features are
 * left out.
 */
export interface LinearDesign {
  /** Number of design columns. */
  d: number;
  /**
   * The model's numeric term without its fitted numbers, and its design columns: the standardised value,
   * the missing flag (-1: none) and the spline's knots.length − 2 columns from curveColumn on (knots
   * empty: none), each standardised by curveCenter and curveScale.
   */
  numeric: (Omit<NumericTermJson, 'coef' | 'missingCoef' | 'mean' | 'knots' | 'curve'> & {
    column: number;
    missingColumn: number;
    knots: number[];
    curveColumn: number;
    curveCenter: number[];
    curveScale: number[];
  })[];
  categorical: {
    feature: number;
    codes: number[];
    /** Design column of codes[k] is firstColumn + k; missing and unseen codes: missingColumn (-1: no column). */
    firstColumn: number;
    missingColumn: number;
  }[];
}

const WINSOR = 0.005;
/**
 * Spline knots at these quantiles (Harrell, Regression Modeling Strategies §2.4.6): one nonlinear column
 * per numeric feature. Four knots (0.05, 0.35, 0.65, 0.95) gave the recipe the same CDNOW AUC for twice
 * the columns.
 */
const KNOT_QUANTILES = [0.1, 0.5, 0.9];

function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function fitLinearDesign(data: TrainingData): LinearDesign {
  const { x, n } = data;
  const p = x.length / n;
  const isCat = new Set(data.categoricalFeatures ?? []);
  const design: LinearDesign = { d: 0, numeric: [], categorical: [] };
  for (let j = 0; j < p; j++) {
    const col = x.subarray(j * n, (j + 1) * n);
    if (isCat.has(j)) {
      const seen = new Set<number>();
      let missing = 0;
      for (let i = 0; i < n; i++) (Number.isNaN(col[i]) ? missing++ : seen.add(col[i]));
      const codes = [...seen].sort((a, b) => a - b);
      if (codes.length + (missing > 0 ? 1 : 0) < 2) continue;
      design.categorical.push({ feature: j, codes, firstColumn: design.d, missingColumn: missing > 0 ? design.d + codes.length : -1 });
      design.d += codes.length + (missing > 0 ? 1 : 0);
      continue;
    }
    const present = Float64Array.from(col.filter((v) => !Number.isNaN(v))).sort();
    if (present.length === 0) continue;
    const low = quantile(present, WINSOR);
    const high = quantile(present, 1 - WINSOR);
    const fill = quantile(present, 0.5);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const v = Number.isNaN(col[i]) ? fill : Math.min(high, Math.max(low, col[i]));
      sum += v;
      sumSq += v * v;
    }
    const center = sum / n;
    const variance = sumSq / n - center * center;
    const missing = present.length < n;
    if (!(variance > 1e-12 * Math.max(1, center * center)) && !missing) continue;
    const scale = variance > 1e-12 * Math.max(1, center * center) ? Math.sqrt(variance) : 1;
    const column = design.d;
    const missingColumn = missing ? column + 1 : -1;
    design.d += missing ? 2 : 1;
    const curve = splineColumns(present, col, low, high, fill);
    design.numeric.push({ feature: j, low, high, fill, center, scale, column, missingColumn, ...curve, curveColumn: design.d });
    design.d += curve.curveCenter.length;
  }
  return design;
}

/**
 * The spline of one numeric feature: knots at quantiles of its winsorised present values, and the mean
 * and standard deviation over the rows (missing = fill) of each nonlinear column. No spline (knots
 * empty) when the quantiles give fewer than three distinct knots (binary and mostly-constant columns).
 */
function splineColumns(present: Float64Array, col: ArrayLike<number>, low: number, high: number, fill: number) {
  const knots = [...new Set(KNOT_QUANTILES.map((q) => quantile(present, q)))];
  if (knots.length < 3) return { knots: [], curveCenter: [], curveScale: [] };
  const m = knots.length - 2;
  const sum = new Float64Array(m);
  const sumSq = new Float64Array(m);
  const basis = new Float64Array(m);
  for (let i = 0; i < col.length; i++) {
    naturalSplineBasis(knots, Number.isNaN(col[i]) ? fill : Math.min(high, Math.max(low, col[i])), basis);
    for (let k = 0; k < m; k++) {
      sum[k] += basis[k];
      sumSq[k] += basis[k] * basis[k];
    }
  }
  const curveCenter = Array.from(sum, (s) => s / col.length);
  // Distinct knots at quantiles of the rows make every column vary; `|| 1` only guards rounding.
  const curveScale = curveCenter.map((c, k) => Math.sqrt(Math.max(0, sumSq[k] / col.length - c * c)) || 1);
  return { knots, curveCenter, curveScale };
}

/** The design matrix of rows [0, n) of a column-major table, row-major n × d. */
export function designMatrix(design: LinearDesign, x: Float32Array | Float64Array, n: number): Float64Array {
  const { d } = design;
  const out = new Float64Array(n * d);
  for (const t of design.numeric) {
    const col = t.feature * n;
    const basis = new Float64Array(t.curveCenter.length);
    for (let i = 0; i < n; i++) {
      const v = x[col + i];
      const clipped = Number.isNaN(v) ? t.fill : Math.min(t.high, Math.max(t.low, v));
      out[i * d + t.column] = (clipped - t.center) / t.scale;
      if (Number.isNaN(v)) out[i * d + t.missingColumn] = 1;
      if (basis.length === 0) continue;
      naturalSplineBasis(t.knots, clipped, basis);
      for (let k = 0; k < basis.length; k++) out[i * d + t.curveColumn + k] = (basis[k] - t.curveCenter[k]) / t.curveScale[k];
    }
  }
  for (const t of design.categorical) {
    const col = t.feature * n;
    const slot = new Map(t.codes.map((c, k) => [c, t.firstColumn + k]));
    for (let i = 0; i < n; i++) {
      const v = x[col + i];
      // Missing and codes training never saw share the missing column (none: all zero).
      const at = slot.get(v) ?? t.missingColumn;
      if (at >= 0) out[i * d + at] = 1;
    }
  }
  return out;
}
