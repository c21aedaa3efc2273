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
 * A kind's own output (reasons, lifetime value, recommendations) as a score document stores it: JSON
 * text. FerretDB v1 converts arrays and sub-documents field by field on every write and read; 100,000
 * documents with a lifetime value were written in 8.9-10.6 s and read in 7.8-9.6 s with a sub-document,
 * 5.0-6.8 s and 4.4-5.6 s with text; 50,000 documents of 10 recommendations, 16.5-25.7 s against 4.3-4.9 s.
 */
export type JsonText<T> = string & { readonly __jsonOf?: T };

export const toJsonText = <T>(value: T): JsonText<T> => JSON.stringify(value) as JsonText<T>;

/** The value back; score sets written before the text form hold the value itself (replaced at their next rescore). */
export const fromJsonText = <T extends object>(stored: JsonText<T> | T): T => (typeof stored === 'string' ? (JSON.parse(stored) as T) : stored);

/**
 * A yes/no score's top reasons as stored: per reason three numbers, the feature's index in the model's
 * schema, the user's value (null: missing) and the contribution in log-odds, one flat array.
 */
export type StoredReasons = (number | null)[];

/** Reasons kept per user: enough to explain, few enough that rescoring stays fast. */
export const STORED_REASONS = 3;
