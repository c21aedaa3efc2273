import { checkProbabilityInputs } from './binary-inputs';

/** Clipping keeps a single confident mistake from making the loss infinite. */
export const LOG_LOSS_EPSILON = 1e-15;

/** Mean negative log-likelihood of the labels under the predicted probabilities (natural log). */
export function logLoss(labels: ArrayLike<number>, probs: ArrayLike<number>, epsilon = LOG_LOSS_EPSILON): number {
  checkProbabilityInputs('logLoss', labels, probs);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probs[i], epsilon), 1 - epsilon);
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}
