import { sortFloat32 } from '../math/sort-float32';
import { bucketIndex, bucketOf, paddedCuts } from './bucket-index';
import { SplitMix64 } from '../random/splitmix64';

/** Bin 0 of every feature holds missing values (NaN; for categorical features also codes out of range). */
export const MISSING_BIN = 0;
/** Largest category code with a bin of its own (bins 1..254 = codes 0..253). */
export const MAX_CATEGORY_CODE = 253;
/** Rows sampled to place the numeric cut points (LightGBM's bin_construct_sample_cnt). */
const BIN_SAMPLE_ROWS = 200_000;

/** How one feature maps to bins. Value bins are 1..numBins-1. */
export interface FeatureBinning {
  categorical: boolean;
  /** Numeric: value bin b holds values v <= upperBounds[b-1] (and above the previous bound); the last is +Infinity. */
  upperBounds: Float64Array;
  numBins: number;
  /** True when every row falls in one bin: the feature cannot split and is left out of the bin matrix. */
  trivial: boolean;
}

/** Row indices of a uniform sample of `k` of `n` rows, ascending (Knuth's selection sampling). */
function sampleRows(n: number, k: number, rng: SplitMix64): Uint32Array {
  const out = new Uint32Array(k);
  let chosen = 0;
  for (let i = 0; i < n && chosen < k; i++) {
    if ((n - i) * rng.nextDouble() < k - chosen) out[chosen++] = i;
  }
  return out;
}

/** Cut points from sorted values: one bin per distinct value when they fit, else equal-count bins. */
function numericBounds(sorted: Float32Array, maxValueBins: number): Float64Array {
  // Distinct values and their counts, in typed arrays (this runs on 200k values per feature).
  const distinct = new Float64Array(sorted.length);
  const counts = new Int32Array(sorted.length);
  let d = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (d > 0 && sorted[i] === distinct[d - 1]) counts[d - 1]++;
    else {
      distinct[d] = sorted[i];
      counts[d++] = 1;
    }
  }
  const bounds: number[] = [];
  const cutAfter = (i: number) => {
    const a = distinct[i];
    const b = distinct[i + 1];
    const mid = a + (b - a) / 2;
    // Next to an infinity the midpoint is not finite: cut at the finite side (prediction and the JSON
    // model only know finite thresholds, and read ±Infinity as ±Number.MAX_VALUE).
    if (a === -Infinity) bounds.push(-Number.MAX_VALUE);
    else if (b === Infinity) bounds.push(a);
    else bounds.push(mid < b ? mid : a);
  };
  if (d <= maxValueBins) {
    for (let i = 0; i + 1 < d; i++) cutAfter(i);
  } else {
    // Greedy equal-count cuts; the target is recomputed from what is left so that heavy ties
    // (a value taking a whole bin or more) do not starve the bins after them.
    let rest = sorted.length;
    let binsLeft = maxValueBins;
    let acc = 0;
    for (let i = 0; i + 1 < d && binsLeft > 1; i++) {
      acc += counts[i];
      if (acc >= rest / binsLeft) {
        cutAfter(i);
        rest -= acc;
        acc = 0;
        binsLeft--;
      }
    }
  }
  bounds.push(Infinity);
  return Float64Array.from(bounds);
}

/**
 * Fits the binning of every feature of a column-major matrix (feature j of row i at j*n + i).
 * Numeric cut points come from a seeded sample of at most 200k rows; categorical features use their
 * integer codes directly.
 */
export function fitBinning(
  x: Float32Array,
  n: number,
  p: number,
  categorical: ArrayLike<boolean>,
  maxBins: number,
  rng: SplitMix64,
): FeatureBinning[] {
  const sample = n > BIN_SAMPLE_ROWS ? sampleRows(n, BIN_SAMPLE_ROWS, rng) : null;
  const m = sample ? sample.length : n;
  const values = new Float32Array(m);
  const out: FeatureBinning[] = [];
  for (let j = 0; j < p; j++) {
    const col = j * n;
    if (categorical[j]) {
      let maxCode = -1;
      const seen = new Uint8Array(MAX_CATEGORY_CODE + 2);
      for (let i = 0; i < n; i++) {
        const v = x[col + i];
        const b = v >= 0 && v <= MAX_CATEGORY_CODE ? (v | 0) + 1 : MISSING_BIN;
        seen[b] = 1;
        if (b - 1 > maxCode) maxCode = b - 1;
      }
      const used = seen.reduce((a, s) => a + s, 0);
      out.push({ categorical: true, upperBounds: new Float64Array(0), numBins: maxCode + 2, trivial: used < 2 });
      continue;
    }
    let hasMissing = false;
    for (let i = 0; i < n; i++) {
      const v = x[col + i];
      if (v !== v) {
        hasMissing = true;
        break;
      }
    }
    let k = 0;
    for (let s = 0; s < m; s++) {
      const v = x[col + (sample ? sample[s] : s)];
      if (v === v) values[k++] = v;
    }
    const sorted = sortFloat32(values.subarray(0, k));
    const upperBounds = numericBounds(sorted, maxBins - 1);
    const valueBinsUsed = k === 0 ? 0 : upperBounds.length;
    out.push({
      categorical: false,
      upperBounds,
      numBins: 1 + upperBounds.length,
      trivial: valueBinsUsed + (hasMissing ? 1 : 0) < 2,
    });
  }
  return out;
}

export function categoryBin(v: number): number {
  return v >= 0 && v <= MAX_CATEGORY_CODE ? (v | 0) + 1 : MISSING_BIN;
}

/**
 * Bins one numeric column: bin = 1 + the number of finite upper bounds below v, ranked through a
 * bucket index (no search, no branch on the value: a search loop mispredicted about once a value).
 */
function binNumericColumn(x: Float32Array, src: number, n: number, ub: Float64Array, out: Uint8Array, dst: number): void {
  const finite = ub.subarray(0, ub.length - 1);
  const { low, scale, top, perBucket, start } = bucketIndex(finite);
  const cuts = paddedCuts(finite, perBucket);
  for (let i = 0; i < n; i++) {
    const v = x[src + i];
    if (v !== v) {
      out[dst + i] = MISSING_BIN;
      continue;
    }
    const first = start[bucketOf(v, low, scale, top)];
    let rank = first;
    for (let r = 0; r < perBucket; r++) rank += +(cuts[first + r] < v);
    out[dst + i] = rank + 1;
  }
}

/**
 * Bins the given features column by column: bins[c*n + i] is the bin of row i in feature features[c].
 */
export function binColumnMajor(
  x: Float32Array,
  n: number,
  features: ArrayLike<number>,
  binnings: FeatureBinning[],
): Uint8Array {
  const bins = new Uint8Array(n * features.length);
  for (let c = 0; c < features.length; c++) {
    const j = features[c];
    const fb = binnings[j];
    if (fb.categorical) {
      for (let i = 0; i < n; i++) bins[c * n + i] = categoryBin(x[j * n + i]);
    } else binNumericColumn(x, j * n, n, fb.upperBounds, bins, c * n);
  }
  return bins;
}
