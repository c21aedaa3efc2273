import { explainRows, TreeExplainer } from './tree-shap';

/** The k largest contributions (by magnitude) of each row: feature indices and values, row-major n × k. */
export interface TopContributions {
  n: number;
  k: number;
  /** Feature index, or -1 where a row has fewer than k non-zero contributions. */
  feature: Int32Array;
  contribution: Float64Array;
}

/** Rows explained per call of explainRows (bounds the rows × p scratch). */
const CHUNK = 4096;

/** Empty top-k arrays for n rows, on `buffer`-backed memory when given (shared with worker threads). */
export function allocateTop(n: number, k: number, shared = false): TopContributions {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topContributions: k must be a positive integer, got ${k}`);
  const make = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return { n, k, feature: new Int32Array(make(4 * n * k)).fill(-1), contribution: new Float64Array(make(8 * n * k)) };
}

/**
 * Explains rows [from, to) of a column-major matrix of n rows into `top`, keeping each row's k largest
 * contributions, largest magnitude first (ties by feature index).
 */
export function topContributionsRange(explainer: TreeExplainer, x: Float32Array | Float64Array, top: TopContributions, from: number, to: number): void {
  const { n, k, feature, contribution } = top;
  const p = explainer.numFeatures;
  const scratch = new Float64Array(Math.min(to - from, CHUNK) * p);
  for (let c0 = from; c0 < to; c0 += CHUNK) {
    const c1 = Math.min(to, c0 + CHUNK);
    explainRows(explainer, x, n, scratch, c0, c1);
    for (let i = c0; i < c1; i++) {
      const row = (i - c0) * p;
      const at = i * k;
      let kept = 0;
      for (let j = 0; j < p; j++) {
        const c = scratch[row + j];
        const a = Math.abs(c);
        if (a === 0 || (kept === k && a <= Math.abs(contribution[at + k - 1]))) continue;
        // Insertion into the row's sorted top k (k is small).
        let s = kept < k ? kept++ : k - 1;
        while (s > 0 && Math.abs(contribution[at + s - 1]) < a) {
          contribution[at + s] = contribution[at + s - 1];
          feature[at + s] = feature[at + s - 1];
          s--;
        }
        contribution[at + s] = c;
        feature[at + s] = j;
      }
    }
  }
}

/**
 * Explains rows [0, n) of a column-major matrix and keeps each row's k largest contributions: what
 * scoring stores, a few numbers per user rather than n × p.
 */
export function topContributions(explainer: TreeExplainer, x: Float32Array | Float64Array, n: number, k: number): TopContributions {
  const top = allocateTop(n, k);
  topContributionsRange(explainer, x, top, 0, n);
  return top;
}
