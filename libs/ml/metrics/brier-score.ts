import { checkProbabilityInputs } from './binary-inputs';

/** Mean squared difference between predicted probability and the 0/1 outcome. */
export function brierScore(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  checkProbabilityInputs('brierScore', labels, probs);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const d = probs[i] - labels[i];
    sum += d * d;
  }
  return sum / labels.length;
}
