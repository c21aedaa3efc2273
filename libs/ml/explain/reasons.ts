import { FeatureDefinition } from '../features/feature-definition';
import { ALL_FEATURES } from '../features/feature-registry';
import { FeatureSchema, resolveFeatures } from '../features/feature-schema';
import { TopContributions } from './top-contributions';

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

/** Resolves a stored schema once for describeReasons (every registered feature: subscription churn models have their own). */
export function reasonFeatures(schema: FeatureSchema, registry: readonly FeatureDefinition[] = ALL_FEATURES): FeatureDefinition[] {
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
