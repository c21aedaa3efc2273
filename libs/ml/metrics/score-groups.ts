import { checkBinaryInputs } from './binary-inputs';

/**
 * The cumulative confusion counts at every distinct score, highest score first. Tied scores form
 * one group because no threshold can separate them; every ranking metric (ROC, PR, gains,
 * threshold table) is a walk over these groups, so they sort once here in O(n log n).
 */
export interface ScoreGroups {
  n: number;
  positives: number;
  /** Distinct scores, descending. */
  scores: Float64Array;
  /** Examples with score >= scores[g]. */
  selected: Uint32Array;
  /** Positives with score >= scores[g]. */
  truePositives: Uint32Array;
}

export function scoreGroups(metric: string, labels: ArrayLike<number>, scores: ArrayLike<number>): ScoreGroups {
  const positives = checkBinaryInputs(metric, labels, scores);
  const n = labels.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b] - scores[a]);

  const distinct = new Float64Array(n);
  const selected = new Uint32Array(n);
  const truePositives = new Uint32Array(n);
  let groups = 0;
  let tp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    tp += labels[i];
    const endsGroup = k === n - 1 || scores[order[k + 1]] !== scores[i];
    if (endsGroup) {
      distinct[groups] = scores[i];
      selected[groups] = k + 1;
      truePositives[groups] = tp;
      groups++;
    }
  }
  return {
    n,
    positives,
    scores: distinct.slice(0, groups),
    selected: selected.slice(0, groups),
    truePositives: truePositives.slice(0, groups),
  };
}

/** Number of groups with score >= cut (binary search over the descending scores). */
export function groupsAtOrAbove(groups: ScoreGroups, cut: number): number {
  let lo = 0;
  let hi = groups.scores.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (groups.scores[mid] >= cut) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
