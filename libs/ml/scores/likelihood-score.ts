/**
 * The 0-100 score users see: the calibrated probability in percent, rounded, so "score 70" means
 * "about a 70% chance" (Braze's likelihood score), not a rank among users.
 */
export function likelihoodScore(probability: number): number {
  if (!(probability >= 0 && probability <= 1)) {
    throw new Error(`likelihoodScore: probability must be in [0, 1], got ${probability}`);
  }
  return Math.round(100 * probability);
}
