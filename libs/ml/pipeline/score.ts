import type { StoredReasons } from '../../domain/prediction-outputs';
import { describeReasons, Reason, TopContributions } from '../explain';
import type { FeatureDefinition } from '../features';
import { calibrate, Calibrator, likelihoodScore, scoreCategory, ScoreCategory } from '../scores';

export interface UserScore {
  /** Calibrated probability of the outcome. */
  probability: number;
  /** 0-100 likelihood score (the probability in percent, rounded). */
  score: number;
  category: ScoreCategory;
}

/** Model margins (log-odds) to what users see: calibrated probability, 0-100 score, category. */
export function scoreMargins(calibrator: Calibrator, margins: ArrayLike<number>): UserScore[] {
  return Array.from({ length: margins.length }, (_, i) => {
    const probability = calibrate(calibrator, margins[i]);
    const score = likelihoodScore(probability);
    return { probability, score, category: scoreCategory(score) };
  });
}

/**
 * Each row's top contributions as stored with its score (StoredReasons): feature index, value (null:
 * missing), contribution rounded to 1e-4 log-odds (shown to two decimals; the bytes are per user per rescore).
 */
export function storedReasons(top: TopContributions, x: Float32Array | Float64Array): StoredReasons[] {
  return Array.from({ length: top.n }, (_, i) => {
    const reasons: StoredReasons = [];
    for (let s = 0; s < top.k; s++) {
      const j = top.feature[i * top.k + s];
      if (j < 0) break;
      const v = x[j * top.n + i];
      reasons.push(j, Number.isNaN(v) ? null : v, Math.round(top.contribution[i * top.k + s] * 1e4) / 1e4);
    }
    return reasons;
  });
}

/** Stored reasons in a campaign manager's words ("no session for 34 days: +0.21"), from the model's resolved features. */
export function reasonsInWords(stored: Readonly<StoredReasons>, features: readonly FeatureDefinition[]): Reason[] {
  const k = Math.floor(stored.length / 3);
  if (k === 0) return [];
  const x = new Float64Array(features.length).fill(NaN);
  const top: TopContributions = { n: 1, k, feature: new Int32Array(k), contribution: new Float64Array(k) };
  for (let s = 0; s < k; s++) {
    const j = stored[3 * s] as number;
    top.feature[s] = j;
    top.contribution[s] = stored[3 * s + 2] as number;
    x[j] = stored[3 * s + 1] ?? NaN;
  }
  return describeReasons(top, 0, x, features);
}
