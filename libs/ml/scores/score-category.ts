export type ScoreCategory = 'Low' | 'Medium' | 'High';

/** A score below `medium` is Low, below `high` Medium, otherwise High. */
export interface ScoreCategoryCuts {
  medium: number;
  high: number;
}

export const DEFAULT_SCORE_CATEGORY_CUTS: ScoreCategoryCuts = { medium: 50, high: 75 };

export function checkScoreCategoryCuts(cuts: ScoreCategoryCuts): void {
  if (!(cuts.medium >= 0 && cuts.medium <= cuts.high && cuts.high <= 100)) {
    throw new Error(`score category cuts must satisfy 0 <= medium <= high <= 100, got medium=${cuts.medium} high=${cuts.high}`);
  }
}

export function scoreCategory(score: number, cuts: ScoreCategoryCuts = DEFAULT_SCORE_CATEGORY_CUTS): ScoreCategory {
  checkScoreCategoryCuts(cuts);
  if (score < cuts.medium) return 'Low';
  if (score < cuts.high) return 'Medium';
  return 'High';
}
