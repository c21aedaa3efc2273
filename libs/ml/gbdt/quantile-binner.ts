import { sortFloat32 } from '../math/sort-float32';
import { SplitMix64 } from '../random/splitmix64';
import { BucketIndex, bucketIndex, paddedCuts, rankValues } from './bucket-index';
import { BinRows } from './histogram';

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

/** Rows binned at a time: their bin rows (1024 x 40 bytes for 40 columns) stay in cache while every column is written. */
const BIN_BLOCK_ROWS = 1024;

/** How a numeric column is binned: bin = 1 + the number of finite upper bounds below v. */
interface NumericBinner {
  index: BucketIndex;
  /** The finite upper bounds, padded for the index's comparisons. */
  cuts: Float64Array;
}

function numericBinner(upperBounds: Float64Array): NumericBinner {
  const finite = upperBounds.subarray(0, upperBounds.length - 1);
  const index = bucketIndex(finite);
  return { index, cuts: paddedCuts(finite, index.perBucket) };
}

/** Bins m values of a numeric column into out[0..m): bin = 1 + rank (missing: MISSING_BIN = 0), no search and no branch on the value. */
function binNumeric(x: Float32Array, src: number, m: number, binner: NumericBinner, out: Uint8Array): void {
  const { low, scale, top, perBucket, start } = binner.index;
  rankValues(x, src, m, low, scale, top, perBucket, start, 0, binner.cuts, 0, out, 0, 1);
}

/** ORs bins[0..m) into the bin rows (one a row from word w, at `shift`) and counts them in counts[at + bin]; eight an iteration. */
function scatterBins(bins: Uint8Array, m: number, words: Uint32Array, w: number, wordsPerRow: number, shift: number, counts: Int32Array, at: number): void {
  const m8 = m & ~7;
  let i = 0;
  for (; i < m8; i += 8) {
    const b0 = bins[i];
    const b1 = bins[i + 1];
    const b2 = bins[i + 2];
    const b3 = bins[i + 3];
    const b4 = bins[i + 4];
    const b5 = bins[i + 5];
    const b6 = bins[i + 6];
    const b7 = bins[i + 7];
    words[(w + i * wordsPerRow) | 0] |= b0 << shift;
    words[(w + (i + 1) * wordsPerRow) | 0] |= b1 << shift;
    words[(w + (i + 2) * wordsPerRow) | 0] |= b2 << shift;
    words[(w + (i + 3) * wordsPerRow) | 0] |= b3 << shift;
    words[(w + (i + 4) * wordsPerRow) | 0] |= b4 << shift;
    words[(w + (i + 5) * wordsPerRow) | 0] |= b5 << shift;
    words[(w + (i + 6) * wordsPerRow) | 0] |= b6 << shift;
    words[(w + (i + 7) * wordsPerRow) | 0] |= b7 << shift;
    counts[at + b0]++;
    counts[at + b1]++;
    counts[at + b2]++;
    counts[at + b3]++;
    counts[at + b4]++;
    counts[at + b5]++;
    counts[at + b6]++;
    counts[at + b7]++;
  }
  for (; i < m; i++) {
    const b = bins[i];
    words[w + i * wordsPerRow] |= b << shift;
    counts[at + b]++;
  }
}

/**
 * Bins the given features of a column-major matrix into row-major bin rows (column c holds feature
 * features[c]; `rows` must be zeroed), a block of rows at a time. Returns the most rows any one bin of
 * any column holds (what a histogram entry can sum at most).
 */
export function binRows(x: Float32Array, n: number, features: ArrayLike<number>, binnings: FeatureBinning[], rows: BinRows): number {
  const { words, wordsPerRow } = rows;
  const q = features.length;
  const binners = Array.from(features, (j) => (binnings[j].categorical ? null : numericBinner(binnings[j].upperBounds)));
  const counts = new Int32Array(256 * q);
  const bins = new Uint8Array(BIN_BLOCK_ROWS);
  for (let r0 = 0; r0 < n; r0 += BIN_BLOCK_ROWS) {
    const m = Math.min(BIN_BLOCK_ROWS, n - r0);
    for (let c = 0; c < q; c++) {
      const src = features[c] * n + r0;
      const binner = binners[c];
      if (binner) binNumeric(x, src, m, binner, bins);
      else for (let i = 0; i < m; i++) bins[i] = categoryBin(x[src + i]);
      const w = r0 * wordsPerRow + (c >> 2);
      const shift = (c & 3) << 3;
      const at = 256 * c;
      scatterBins(bins, m, words, w, wordsPerRow, shift, counts, at);
    }
  }
  let most = 0;
  for (let k = 0; k < counts.length; k++) if (counts[k] > most) most = counts[k];
  return most;
}
