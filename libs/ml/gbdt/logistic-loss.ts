/** Binary logistic loss on the margin (log-odds) scale. */

/** Floor on the hessian so leaves of confidently classified rows keep a finite value. */
const MIN_HESSIAN = 1e-16;

/**
 * Writes interleaved gradient and hessian of the log-loss at `margin` into gh and returns the mean
 * log-loss, computed in the same pass.
 */
export function logisticGradients(margin: Float64Array, y: Uint8Array, gh: Float64Array): number {
  let loss = 0;
  for (let i = 0; i < margin.length; i++) {
    const m = margin[i];
    // e = exp(-|m|) keeps both the probability and log1p(e) free of overflow.
    const e = Math.exp(-Math.abs(m));
    const p = m >= 0 ? 1 / (1 + e) : e / (1 + e);
    const yi = y[i];
    gh[2 * i] = p - yi;
    const h = p * (1 - p);
    gh[2 * i + 1] = h > MIN_HESSIAN ? h : MIN_HESSIAN;
    loss += (m > 0 ? m : 0) - m * yi + Math.log1p(e);
  }
  return loss / margin.length;
}

/** Mean log-loss of margins. */
export function logisticLoss(margin: Float64Array, y: Uint8Array): number {
  let loss = 0;
  for (let i = 0; i < margin.length; i++) {
    const m = margin[i];
    loss += (m > 0 ? m : 0) - m * y[i] + Math.log1p(Math.exp(-Math.abs(m)));
  }
  return loss / margin.length;
}

export function sigmoid(m: number): number {
  return 1 / (1 + Math.exp(-m));
}
