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
 * A user's recommendations as a score document stores them: the JSON text of the list. FerretDB v1
 * converts a sub-document field by field on every write and read: 50,000 documents of 10 items
 * were written in 16.5-25.7 s as sub-documents, 4.3-4.9 s as text (and read in 16.5-17.5 s against
 * 4.3-6.2 s).
 */
export type StoredRecommendations = string;

export const storeRecommendations = (items: readonly RecommendedItem[]): StoredRecommendations => JSON.stringify(items);

/** The list back; score sets written before the text form hold the array itself (replaced at their next rescore). */
export const storedRecommendations = (stored: StoredRecommendations | readonly RecommendedItem[]): RecommendedItem[] =>
  typeof stored === 'string' ? (JSON.parse(stored) as RecommendedItem[]) : [...stored];

/**
 * A yes/no score's top reasons as stored: per reason three numbers, the feature's index in the model's
 * schema, the user's value (null: missing) and the contribution in log-odds, one flat array (FerretDB v1
 * stores no nested arrays).
 */
export type StoredReasons = (number | null)[];

/** Reasons kept per user: enough to explain, few enough that rescoring stays fast. */
export const STORED_REASONS = 3;
