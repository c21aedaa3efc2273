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
