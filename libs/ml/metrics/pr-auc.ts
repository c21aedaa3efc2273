import { scoreGroups } from './score-groups';

/**
 * Average precision: sum over thresholds of (recall gained) x (precision at that threshold), the
 * step-wise area under the precision-recall curve (no optimistic interpolation). Tied scores are
 * taken as one step.
 */
export function prAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const g = scoreGroups('prAuc', labels, scores);
  if (g.positives === 0) throw new Error(`prAuc: all ${g.n} labels are negative; needs at least one positive`);
  let area = 0;
  let prevTp = 0;
  for (let k = 0; k < g.scores.length; k++) {
    const tp = g.truePositives[k];
    area += ((tp - prevTp) / g.positives) * (tp / g.selected[k]);
    prevTp = tp;
  }
  return area;
}
