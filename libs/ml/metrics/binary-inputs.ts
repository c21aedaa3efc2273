/**
 * Shared argument checks for binary-outcome metrics, so every metric fails the same clear way
 * instead of returning NaN on a bad holdout.
 */

/** Checks labels are 0/1 and predictions are finite and aligned; returns the positive count. */
export function checkBinaryInputs(
  metric: string,
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
): number {
  const n = labels.length;
  if (n === 0) throw new Error(`${metric}: no examples`);
  if (predictions.length !== n) {
    throw new Error(`${metric}: ${n} labels but ${predictions.length} predictions`);
  }
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new Error(`${metric}: label at index ${i} is ${y}, expected 0 or 1`);
    if (!Number.isFinite(predictions[i])) {
      throw new Error(`${metric}: prediction at index ${i} is ${predictions[i]}, expected a finite number`);
    }
    positives += y;
  }
  return positives;
}

/** As checkBinaryInputs, and also requires predictions to be probabilities in [0, 1]. */
export function checkProbabilityInputs(
  metric: string,
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
): number {
  const positives = checkBinaryInputs(metric, labels, probs);
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] < 0 || probs[i] > 1) {
      throw new Error(`${metric}: probability at index ${i} is ${probs[i]}, expected a value in [0, 1]`);
    }
  }
  return positives;
}

/** Ranking metrics are undefined unless both outcomes occur; say which one is missing. */
export function requireBothClasses(metric: string, n: number, positives: number): void {
  if (positives === 0) throw new Error(`${metric}: all ${n} labels are negative; needs at least one positive`);
  if (positives === n) throw new Error(`${metric}: all ${n} labels are positive; needs at least one negative`);
}
