import type { ThresholdRow } from '../../domain/model-version';
import { requireBothClasses } from './binary-inputs';
import { groupsAtOrAbove, scoreGroups } from './score-groups';

/** Every integer score 0..100: the audience slider's default stops. */
export const INTEGER_SCORE_CUTS: readonly number[] = Array.from({ length: 101 }, (_, s) => s);

/**
 * Cuts at the score quantiles, so stop k (k = 0..count-1) keeps roughly the top (1 - k/count)
 * of the population; duplicates (from tied scores) are dropped, ascending order.
 */
export function quantileCuts(scores: ArrayLike<number>, count = 100): number[] {
  if (scores.length === 0) throw new Error('quantileCuts: no scores');
  const sorted = Float64Array.from(scores).sort();
  const cuts: number[] = [];
  for (let k = 0; k < count; k++) {
    const cut = sorted[Math.floor((k * sorted.length) / count)];
    if (cuts.length === 0 || cuts[cuts.length - 1] !== cut) cuts.push(cut);
  }
  return cuts;
}

/** Audience size and expected outcome rates for each score cut, on a labelled holdout. */
export function thresholdTable(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  cuts: ArrayLike<number> = INTEGER_SCORE_CUTS,
): ThresholdRow[] {
  const g = scoreGroups('thresholdTable', labels, scores);
  requireBothClasses('thresholdTable', g.n, g.positives);
  const negatives = g.n - g.positives;
  return Array.from(cuts, (cut) => {
    const k = groupsAtOrAbove(g, cut);
    const audienceCount = k === 0 ? 0 : g.selected[k - 1];
    const tp = k === 0 ? 0 : g.truePositives[k - 1];
    return {
      cut,
      audienceCount,
      audienceShare: audienceCount / g.n,
      precision: audienceCount > 0 ? tp / audienceCount : null,
      recall: tp / g.positives,
      falsePositiveRate: (audienceCount - tp) / negatives,
    };
  });
}
