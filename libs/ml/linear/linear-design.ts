import { TrainingData } from '../gbdt/booster';
import { NumericTermJson } from '../gbdt/model-format';

/**
 * How a table becomes the columns of a logistic regression: numeric features winsorized to their
 * training 0.5–99.5% quantiles, missing values filled with the median (plus a 0/1 "was missing" column
 * when some are), then standardised; categorical codes one-hot (every level seen in training, and one
 * more for missing when there is any). Constant features are left out.
 */
export interface LinearDesign {
  /** Number of design columns. */
  d: number;
  /** The model's numeric term without its fitted numbers, and its design columns: the standardised value and the missing flag (-1: none). */
  numeric: (Omit<NumericTermJson, 'coef' | 'missingCoef' | 'mean'> & { column: number; missingColumn: number })[];
  categorical: {
    feature: number;
    codes: number[];
    /** Design column of codes[k] is firstColumn + k; missing and unseen codes: missingColumn (-1: no column). */
    firstColumn: number;
    missingColumn: number;
  }[];
}

const WINSOR = 0.005;

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
    design.numeric.push({ feature: j, low, high, fill, center, scale, column: design.d, missingColumn: missing ? design.d + 1 : -1 });
    design.d += missing ? 2 : 1;
  }
  return design;
}

/** The design matrix of rows [0, n) of a column-major table, row-major n × d. */
export function designMatrix(design: LinearDesign, x: Float32Array | Float64Array, n: number): Float64Array {
  const { d } = design;
  const out = new Float64Array(n * d);
  for (const t of design.numeric) {
    const col = t.feature * n;
    for (let i = 0; i < n; i++) {
      const v = x[col + i];
      if (Number.isNaN(v)) {
        out[i * d + t.column] = (t.fill - t.center) / t.scale;
        out[i * d + t.missingColumn] = 1;
      } else out[i * d + t.column] = (Math.min(t.high, Math.max(t.low, v)) - t.center) / t.scale;
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
