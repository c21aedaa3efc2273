/**
 * What a prediction stores per user besides the 0-100 score, by model kind (kept compact: every
 * rescore writes one document per user). Shared by score sets, the API and segment conditions.
 */

export type ClvTier = 'high' | 'medium' | 'low';
export const CLV_TIERS: readonly ClvTier[] = ['high', 'medium', 'low'];

/** A customer's lifetime value over the prediction's horizon, as of the score set. */
export interface ClvOutput {
  expectedValue: number;
  expectedPurchases: number;
  /** Probability the customer has not lapsed for good (BG/NBD). */
  probabilityAlive: number;
  /** Percent of the customers (at the model's training) with a lower expected value, 0-100. */
  valuePercentile: number;
  tier: ClvTier;
  /** Median date (ms since the epoch) of the next purchase; null when it lies beyond the horizon. */
  expectedNextPurchaseAt: number | null;
  /** Mean days between the customer's purchase days; null before a second one. */
  averageDaysBetweenPurchases: number | null;
  /** Purchase days so far. */
  purchases: number;
}

/** One recommended product, best first in a list: product id, category (null when unknown), score (share of the user's affinity). */
export interface RecommendedItem {
  p: string;
  c: string | null;
  s: number;
}

/**
 * A yes/no score's top reasons as stored: per reason three numbers, the feature's index in the model's
 * schema, the user's value (null: missing) and the contribution in log-odds, one flat array (FerretDB v1
 * stores no nested arrays).
 */
export type StoredReasons = (number | null)[];

/** Reasons kept per user: enough to explain, few enough that rescoring stays fast. */
export const STORED_REASONS = 3;
