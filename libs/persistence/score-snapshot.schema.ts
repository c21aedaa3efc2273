import { Schema } from 'mongoose';

/**
 * The distribution of one completed score set (`_id` = `<predictionId>:<scoreSet>`): histogram,
 * category counts, and the probability at each percentile (so a user's percentile rank, or a
 * "top 10%" audience, is read from here without rewriting every score).
 */
export interface ScoreSnapshotDoc {
  _id: string;
  predictionId: string;
  scoreSet: string;
  modelVersion: number;
  asOf: Date;
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
  createdAt: Date;
}

export const SCORE_SNAPSHOT_MODEL = 'ScoreSnapshot';

export const scoreSnapshotSchema = new Schema<ScoreSnapshotDoc>(
  {
    _id: { type: String, required: true },
    predictionId: { type: String, required: true },
    scoreSet: { type: String, required: true },
    modelVersion: { type: Number, required: true },
    asOf: { type: Date, required: true },
    users: { type: Number, required: true },
    histogram: { type: Schema.Types.Mixed },
    categories: { type: Schema.Types.Mixed },
    scoreCounts: { type: [Number] },
    percentiles: { type: [Number] },
    seconds: { type: Number },
    usersPerSecond: { type: Number },
    createdAt: { type: Date, required: true },
  },
  { collection: 'score_snapshots', versionKey: false },
);
