import { Schema } from 'mongoose';
import type { ClvOutput, ClvTier, JsonText, RecommendedItem, StoredReasons } from '../domain/prediction-outputs';
import type { ScoreSetState } from '../domain/score-sets';

/** The distribution of a complete score set, written once when its run completes. */
export interface ScoreDistribution {
  users: number;
  /** 20 buckets of 5 likelihood-score points: [0,5), [5,10) ... [95,100]. */
  histogram: { from: number; to: number; users: number }[];
  categories: { Low: number; Medium: number; High: number };
  /** scoreCounts[s] = users with likelihood score s, s = 0..100 (exact audience sizes for any cut). */
  scoreCounts: number[];
  /** percentiles[k] = lowest probability at or above which (100 - k)% of users score; k = 0..100. */
  percentiles: number[];
  seconds: number;
  usersPerSecond: number;
  /** Lifetime value: the customers' total expected value and their tiers. */
  clv?: { totalExpectedValue: number; tiers: Record<ClvTier, number> };
  /** Recommendations: the products most often recommended first, with how many users get them first. */
  recommendations?: { topProducts: { productId: string; category: string | null; users: number }[] };
}

/**
 * One rescore run's scores (`_id` = `<predictionId>:<key>`), written only by that run: registered
 * when it starts, completed (with its distribution) when it ends. The scores themselves are in a
 * collection of their own, so a replaced set is dropped at once instead of deleted score by score.
 */
export interface ScoreSetDoc extends Partial<ScoreDistribution> {
  _id: string;
  predictionId: string;
  key: string;
  modelVersion: number;
  asOf: Date;
  collectionName: string;
  state: ScoreSetState['state'];
  createdAt: Date;
  completedAt?: Date;
}

/**
 * One user's score in a set's own collection (`_id` = user id; `s`, `g` = the user's slot and group,
 * indexed). `probability`, `score` and `category` exist for every kind: a yes/no model's calibrated
 * probability; lifetime value's P(alive), value percentile and tier; a recommendation's top product
 * share. The kind's own output sits beside them as JSON text (see JsonText: FerretDB v1 is several times
 * slower with sub-documents); fromJsonText reads it.
 */
export interface ScoreDoc {
  _id: string;
  /** The user's slot and slot group (libs/domain/user-slots): a pass reads a set beside the user records. */
  s: number;
  g: number;
  /** Calibrated probability, 0-1. */
  probability: number;
  /** Likelihood score 0-100. */
  score: number;
  category: 'Low' | 'Medium' | 'High';
  /** Yes/no: the top contributions to the margin (STORED_REASONS at most). */
  reasons?: JsonText<StoredReasons>;
  clv?: JsonText<ClvOutput>;
  /** Recommendations, best first. */
  recs?: JsonText<RecommendedItem[]>;
}

/** A score as population passes (distributions, segments) read it: without the reasons, which none uses. */
export type PassScoreDoc = Omit<ScoreDoc, 'reasons'>;

export const SCORE_SET_MODEL = 'ScoreSet';

export const scoreSetSchema = new Schema<ScoreSetDoc>(
  {
    _id: { type: String, required: true },
    predictionId: { type: String, required: true },
    key: { type: String, required: true },
    modelVersion: { type: Number, required: true },
    asOf: { type: Date, required: true },
    collectionName: { type: String, required: true },
    state: { type: String, enum: ['writing', 'complete'], required: true },
    createdAt: { type: Date, required: true },
    completedAt: { type: Date },
    users: { type: Number },
    histogram: { type: Schema.Types.Mixed },
    categories: { type: Schema.Types.Mixed },
    scoreCounts: { type: [Number], default: undefined },
    percentiles: { type: [Number], default: undefined },
    seconds: { type: Number },
    usersPerSecond: { type: Number },
    clv: { type: Schema.Types.Mixed },
    recommendations: { type: Schema.Types.Mixed },
  },
  { collection: 'score_sets', versionKey: false, minimize: false },
);
scoreSetSchema.index({ predictionId: 1 });
