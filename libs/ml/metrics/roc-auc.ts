import { requireBothClasses } from './binary-inputs';
import { scoreGroups } from './score-groups';

/**
 * Area under the ROC curve = P(score of a random positive > score of a random negative), with
 * ties counting one half (the Mann-Whitney statistic). O(n log n).
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const g = scoreGroups('rocAuc', labels, scores);
  requireBothClasses('rocAuc', g.n, g.positives);
  let pairsWon = 0;
  let prevSelected = 0;
  let prevTp = 0;
  for (let k = 0; k < g.scores.length; k++) {
    const tpInGroup = g.truePositives[k] - prevTp;
    const negativesInGroup = g.selected[k] - prevSelected - tpInGroup;
    pairsWon += negativesInGroup * (prevTp + tpInGroup / 2);
    prevSelected = g.selected[k];
    prevTp = g.truePositives[k];
  }
  return pairsWon / (g.positives * (g.n - g.positives));
}
