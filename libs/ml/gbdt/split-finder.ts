import { GbdtParams } from './params';
import { MISSING_BIN } from './quantile-binner';

/** Per-column facts the split search needs (columns of the bin matrix, i.e. non-trivial features). */
export interface SplitColumns {
  count: number;
  numBins: Int32Array;
  /** Offset of the column's first (gradient) entry in a histogram. */
  binOffset: Int32Array;
  categorical: Uint8Array;
}

/** The best split of a leaf, overwritten in place; `goLeft[bin]` decides every bin, missing included. */
export class SplitCandidate {
  gain = 0;
  column = -1;
  /** Numeric: value bins 1..threshold go left. */
  threshold = 0;
  /** Where the missing bin goes. */
  defaultLeft = false;
  categorical = false;
  leftG = 0;
  leftH = 0;
  readonly goLeft = new Uint8Array(256);

  reset(): void {
    this.gain = 0;
    this.column = -1;
  }

  get valid(): boolean {
    return this.column >= 0;
  }
}

/** Reusable buffers of the categorical search (sized for 255 bins). */
export class CategoryScratch {
  readonly bins = new Int32Array(256);
  readonly keys = new Float64Array(256);
  readonly order: number[] = [];
}

/**
 * Finds the split of a leaf with gradient sum G and hessian sum H that most reduces the regularised
 * loss (XGBoost's gain: GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ)), among the columns allowed by `mask`.
 * Records it in `out` only if the gain exceeds params.minSplitGain.
 */
export function findBestSplit(
  hist: Float64Array,
  G: number,
  H: number,
  cols: SplitColumns,
  mask: Uint8Array,
  params: GbdtParams,
  scratch: CategoryScratch,
  out: SplitCandidate,
): void {
  out.reset();
  const mcw = params.minChildWeight;
  if (H < 2 * mcw) return;
  const lambda = params.lambda;
  let bestGain = params.minSplitGain;
  let bestCol = -1;
  let bestT = 0;
  let bestDefaultLeft = false;
  let bestLG = 0;
  let bestLH = 0;
  const parentScore = (G * G) / (H + lambda);
  for (let c = 0; c < cols.count; c++) {
    if (!mask[c] || cols.categorical[c]) continue;
    const off = cols.binOffset[c];
    const nb = cols.numBins[c];
    const gm = hist[off];
    const hm = hist[off + 1];
    const hasMissing = hm > 0;
    let gl = 0;
    let hl = 0;
    for (let t = 1; t < nb; t++) {
      gl += hist[off + 2 * t];
      hl += hist[off + 2 * t + 1];
      // Missing right; with t = nb-1 this is "all values | missing", the split on missingness itself.
      if (t < nb - 1 || hasMissing) {
        const hr = H - hl;
        if (hl >= mcw && hr >= mcw) {
          const gr = G - gl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            bestCol = c;
            bestT = t;
            bestDefaultLeft = false;
            bestLG = gl;
            bestLH = hl;
          }
        }
      }
      if (hasMissing && t < nb - 1) {
        const hlm = hl + hm;
        const hr = H - hlm;
        if (hlm >= mcw && hr >= mcw) {
          const glm = gl + gm;
          const gr = G - glm;
          const gain = (glm * glm) / (hlm + lambda) + (gr * gr) / (hr + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            bestCol = c;
            bestT = t;
            bestDefaultLeft = true;
            bestLG = glm;
            bestLH = hlm;
          }
        }
      }
    }
  }
  if (bestCol >= 0) {
    out.gain = bestGain;
    out.column = bestCol;
    out.threshold = bestT;
    out.categorical = false;
    const hasMissing = hist[cols.binOffset[bestCol] + 1] > 0;
    // Without missing values in this leaf, unseen NaNs follow the heavier child.
    out.defaultLeft = hasMissing ? bestDefaultLeft : bestLH >= H - bestLH;
    out.leftG = bestLG;
    out.leftH = bestLH;
    const goLeft = out.goLeft;
    goLeft.fill(0);
    goLeft.fill(1, 1, bestT + 1);
    goLeft[MISSING_BIN] = out.defaultLeft ? 1 : 0;
  }
  for (let c = 0; c < cols.count; c++) {
    if (mask[c] && cols.categorical[c]) bestGain = categoricalSplit(hist, G, H, c, cols, params, scratch, bestGain, out);
  }
}

/**
 * LightGBM's categorical split: order the categories present in the leaf by gradient/(hessian + catSmooth)
 * and take the best prefix of that order as the set going left (optimal for a quadratic loss). Categories
 * with less than catMinHessian stay right. The missing bin is one more category; the left set is stored
 * as a bin mask.
 */
function categoricalSplit(
  hist: Float64Array,
  G: number,
  H: number,
  c: number,
  cols: SplitColumns,
  params: GbdtParams,
  s: CategoryScratch,
  bestGain: number,
  out: SplitCandidate,
): number {
  const off = cols.binOffset[c];
  const nb = cols.numBins[c];
  const lambda = params.lambda + params.catL2;
  const mcw = params.minChildWeight;
  const minHess = Math.max(params.catMinHessian, Number.MIN_VALUE);
  let m = 0;
  let eligibleH = 0;
  for (let b = 0; b < nb; b++) {
    const h = hist[off + 2 * b + 1];
    if (h >= minHess) {
      s.bins[m] = b;
      s.keys[b] = hist[off + 2 * b] / (h + params.catSmooth);
      eligibleH += h;
      m++;
    }
  }
  if (m < 1) return bestGain;
  const order = s.order;
  order.length = m;
  for (let i = 0; i < m; i++) order[i] = s.bins[i];
  // Ties broken by bin so the order (and the model) is deterministic.
  order.sort((a, b) => s.keys[a] - s.keys[b] || a - b);
  const parentScore = (G * G) / (H + lambda);
  let gl = 0;
  let hl = 0;
  let bestI = -1;
  let bestLG = 0;
  let bestLH = 0;
  // With rare categories left out, even all m eligible ones may go left (the rare ones stay right).
  const last = H - eligibleH > 1e-9 * H ? m : m - 1;
  for (let i = 0; i < last; i++) {
    const b = order[i];
    gl += hist[off + 2 * b];
    hl += hist[off + 2 * b + 1];
    const hr = H - hl;
    if (hl < mcw || hr < mcw) continue;
    const gr = G - gl;
    const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
    if (gain > bestGain) {
      bestGain = gain;
      bestI = i;
      bestLG = gl;
      bestLH = hl;
    }
  }
  if (bestI >= 0) {
    out.gain = bestGain;
    out.column = c;
    out.threshold = 0;
    out.categorical = true;
    out.leftG = bestLG;
    out.leftH = bestLH;
    const goLeft = out.goLeft;
    goLeft.fill(0);
    for (let i = 0; i <= bestI; i++) goLeft[order[i]] = 1;
    out.defaultLeft = goLeft[MISSING_BIN] === 1;
  }
  return bestGain;
}
