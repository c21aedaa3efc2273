import { expNeg } from '../math/fast-exp';

/**
 * Quantized gradients (Shi, Ke et al., "Quantized Training of Gradient Boosting Decision Trees",
 * NeurIPS 2022; LightGBM's use_quantized_grad). Each row's gradient and hessian are rounded
 * stochastically (unbiased) to small integers and packed into one Float64, g·2^shift + h: a histogram
 * bin is then one add instead of two, the histograms are half the size, and every sum is an exact
 * integer, so histograms do not depend on summation order (threads) and the subtraction trick is exact.
 * The split search reads the integer sums; leaf values are refitted from the exact gradients.
 *
 * Bit budget: a histogram entry sums at most m rows, m the fullest bin of any column of the training
 * table (n at worst, about n/255 for continuous features), and g·2^shift + h must stay below 2^53, so
 * the bits of g and h together are 52 − 2·ceil(log2 m): 6 + 6 for a million rows in one bin (LightGBM's
 * default is 4 levels), 13 + 13 for a million continuous rows, the 16 + 16 cap on small tables; the
 * rounding is negligible from about 10 bits.
 */

const { abs, floor, imul, log1p } = Math;

/** Floor on the hessian so leaves of confidently classified rows keep a finite value. */
export const MIN_HESSIAN = 1e-16;
/** Fewest bits of gradient plus hessian accepted (3 + 2): bins of up to 2^23 − 1 rows. */
const MIN_BUDGET = 5;

/** How gradients are scaled and packed for a table of a given size. */
export interface QuantizationPlan {
  /** Integer gradient per unit of gradient (|g| < 1 for the log-loss). */
  gScale: number;
  /** Integer hessian per unit of hessian (h <= 1/4 for the log-loss). */
  hScale: number;
  /** 2^shift: packed = gInt * shiftMul + hInt. */
  shiftMul: number;
}

/** The plan for a table whose fullest bin holds `maxBinRows` rows. */
export function quantizationPlan(maxBinRows: number): QuantizationPlan {
  const logN = Math.max(1, Math.ceil(Math.log2(maxBinRows + 1)));
  const budget = Math.min(32, 52 - 2 * logN);
  if (budget < MIN_BUDGET) throw new RangeError(`gbdt: at most ${2 ** 23 - 1} training rows in one bin (sample them), got ${maxBinRows}`);
  const gBits = Math.ceil(budget / 2);
  const hBits = budget - gBits;
  return { gScale: 2 ** gBits, hScale: 4 * 2 ** hBits, shiftMul: 2 ** (logN + hBits + 1) };
}

/** 32 random bits from (round seed, position): a counter-based hash, the same on every thread (MurmurHash3's finaliser). */
function hash(seed: number, k: number): number {
  let h = k ^ seed;
  h = imul(h ^ (h >>> 16), 0x85ebca6b);
  h = imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const TWO_POW_M16 = 2 ** -16;

/**
 * For positions [start, end): the exact log-loss gradient into g, its stochastically rounded packed
 * form into gq, and (withLoss) the summed log-loss as the return value (else 0). `roundSeed` varies
 * per round so rounding errors do not repeat.
 */
export function quantizedGradients(
  plan: QuantizationPlan,
  roundSeed: number,
  margin: Float64Array,
  y: Uint8Array,
  g: Float64Array,
  gq: Float64Array,
  start: number,
  end: number,
  withLoss: boolean,
): number {
  const { gScale, hScale, shiftMul } = plan;
  let loss = 0;
  for (let k = start; k < end; k++) {
    const m = margin[k];
    // e = exp(-|m|) keeps both the probability and log1p(e) free of overflow.
    const e = expNeg(abs(m));
    // p = (m >= 0 ? 1 : e) / (1 + e), without a branch on the margin's sign (random from row to row);
    // both products and sums are exact, so p is the same.
    const neg = +(m < 0);
    const p = (neg * e + (1 - neg)) / (1 + e);
    const yk = y[k];
    const gk = p - yk;
    g[k] = gk;
    // Two 16-bit uniforms from one hash (their granularity biases a rounding by under 2^-16 of a step).
    const r = hash(roundSeed, k);
    const gi = floor(gk * gScale + (r & 0xffff) * TWO_POW_M16);
    const hi = floor(p * (1 - p) * hScale + (r >>> 16) * TWO_POW_M16);
    gq[k] = gi * shiftMul + hi;
    if (withLoss) loss += (m > 0 ? m : 0) - m * yk + log1p(e);
  }
  return loss;
}

/** Exact hessian of a position from its exact gradient and label (p = g + y). */
export function exactHessian(g: number, y: number): number {
  const p = g + y;
  const h = p * (1 - p);
  return h > MIN_HESSIAN ? h : MIN_HESSIAN;
}

/**
 * Decodes `count` packed bins from `packed[from..]` into (gradient, hessian) pairs in real units at
 * `out[2*from..]`, the layout the split search reads.
 */
export function decodeBins(plan: QuantizationPlan, packed: Float64Array, from: number, count: number, out: Float64Array): void {
  const { gScale, hScale, shiftMul } = plan;
  for (let b = from; b < from + count; b++) {
    const v = packed[b];
    const gi = floor(v / shiftMul);
    out[2 * b] = gi / gScale;
    out[2 * b + 1] = (v - gi * shiftMul) / hScale;
  }
}
