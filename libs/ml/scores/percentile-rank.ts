/**
 * Percentiles of a score set without keeping every score: the rescore stores 101 cut points of the
 * probabilities, and a user's percentile rank is read against them later (API, segments).
 */

/** cutPoints[k] = the probability at the k-th percentile (k = 0..100); all zero for an empty set. */
export function percentileCutPoints(probabilities: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(probabilities).sort();
  return Array.from({ length: 101 }, (_, k) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / 100))] : 0));
}

/** The highest percentile k (0-100) whose cut point lies strictly below the probability, 0 if none. */
export function percentileRank(cutPoints: readonly number[], probability: number): number {
  let below = 0;
  for (const q of cutPoints) if (q < probability) below++;
  return Math.max(0, below - 1);
}
