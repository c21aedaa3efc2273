import { Schema } from 'mongoose';

/**
 * A user's score from one rescore run: `_id` = `<predictionId>:<scoreSet>:<userId>`, written
 * append-only (insertNew), so a re-run batch never writes twice and every user has exactly one score
 * per score set. Older score sets are deleted once a newer one is complete.
 */
export interface ScoreDoc {
  _id: string;
  predictionId: string;
  scoreSet: string;
  modelVersion: number;
  userId: string;
  /** Calibrated probability, 0-1. */
  probability: number;
  /** Likelihood score 0-100 (rounded calibrated probability in percent). */
  score: number;
  category: 'Low' | 'Medium' | 'High';
}

export const SCORE_MODEL = 'Score';

export const scoreSchema = new Schema<ScoreDoc>(
  {
    _id: { type: String, required: true },
    predictionId: { type: String, required: true },
    scoreSet: { type: String, required: true },
    modelVersion: { type: Number, required: true },
    userId: { type: String, required: true },
    probability: { type: Number, required: true },
    score: { type: Number, required: true },
    category: { type: String, required: true },
  },
  { collection: 'scores', versionKey: false },
);
// MongoDB: segment queries by score within the active set (FerretDB v1 scans regardless).
scoreSchema.index({ predictionId: 1, scoreSet: 1, score: -1 });
