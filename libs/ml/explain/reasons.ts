import { FeatureDefinition } from '../features/feature-definition';
import { FEATURE_REGISTRY } from '../features/feature-registry';
import { FeatureSchema, resolveFeatures } from '../features/feature-schema';
import { explainRows, TreeExplainer } from './tree-shap';

/** The k largest contributions (by magnitude) of each row: feature indices and values, row-major n × k. */
export interface TopContributions {
  n: number;
  k: number;
  /** Feature index, or -1 where a row has fewer than k non-zero contributions. */
  feature: Int32Array;
  contribution: Float64Array;
}

/** Rows explained per call of explainRows (bounds the n × p scratch). */
const CHUNK = 4096;

/**
 * Explains rows [0, n) of a column-major matrix and keeps each row's k largest contributions, largest
 * magnitude first (ties by feature index). What scoring stores: a few numbers per user, not n × p.
 */
export function topContributions(explainer: TreeExplainer, x: Float32Array | Float64Array, n: number, k: number): TopContributions {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topContributions: k must be a positive integer, got ${k}`);
  const p = explainer.numFeatures;
  const feature = new Int32Array(n * k).fill(-1);
  const contribution = new Float64Array(n * k);
  const scratch = new Float64Array(Math.min(n, CHUNK) * p);
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    explainRows(explainer, x, n, scratch, from, to);
    for (let i = from; i < to; i++) {
      const row = (i - from) * p;
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
  return { n, k, feature, contribution };
}

/** One reason for a user's score, in a campaign manager's words. */
export interface Reason {
  /** Feature name, e.g. days_since_last_session. */
  feature: string;
  /** The user's value of the feature (null when missing). */
  value: number | null;
  /** Share of the score's log-odds: positive pushes the probability up. */
  contribution: number;
  /** E.g. "no session for 34 days: +0.21". */
  text: string;
}

/** Resolves a stored schema once for describeReasons. */
export function reasonFeatures(schema: FeatureSchema, registry: readonly FeatureDefinition[] = FEATURE_REGISTRY): FeatureDefinition[] {
  return resolveFeatures(schema, registry);
}

/**
 * Row i's top contributions as reasons: the feature's phrase for the user's value (from the registry,
 * or "<description>: <value>"), then the signed contribution in log-odds to two decimals.
 * `x` is the explained column-major matrix, `features` from reasonFeatures (same columns).
 */
export function describeReasons(
  top: TopContributions,
  i: number,
  x: Float32Array | Float64Array,
  features: readonly FeatureDefinition[],
): Reason[] {
  const reasons: Reason[] = [];
  for (let s = 0; s < top.k; s++) {
    const j = top.feature[i * top.k + s];
    if (j < 0) break;
    const f = features[j];
    const value = x[j * top.n + i];
    const contribution = top.contribution[i * top.k + s];
    const words = f.phrase ? f.phrase(value) : `${f.description}: ${Number.isNaN(value) ? 'missing' : value}`;
    const sign = contribution >= 0 ? '+' : '-';
    reasons.push({
      feature: f.name,
      value: Number.isNaN(value) ? null : value,
      contribution,
      text: `${words}: ${sign}${Math.abs(contribution).toFixed(2)}`,
    });
  }
  return reasons;
}
