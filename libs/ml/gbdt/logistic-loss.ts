/** Binary logistic loss on the margin (log-odds) scale. */

// Module-local aliases: inside a vm sandbox (jest) each `Math.x` is a slow global lookup.
const { abs, exp, log1p } = Math;

/** Floor on the hessian so leaves of confidently classified rows keep a finite value. */
const MIN_HESSIAN = 1e-16;

/**
 * Writes interleaved gradient and hessian of the log-loss at margin[start..end) into gh; with
 * `withLoss`, also returns the sum of the log-losses from the same pass (its log1p per row is a tenth
 * of a round's time on large tables, so it is skipped when nobody reads it), else 0.
 */
export function logisticGradients(margin: Float64Array, y: Uint8Array, gh: Float64Array, start: number, end: number, withLoss: boolean): number {
  let loss = 0;
  for (let i = start; i < end; i++) {
    const m = margin[i];
    // e = exp(-|m|) keeps both the probability and log1p(e) free of overflow.
    const e = exp(-abs(m));
    const p = m >= 0 ? 1 / (1 + e) : e / (1 + e);
    const yi = y[i];
    gh[2 * i] = p - yi;
    const h = p * (1 - p);
    gh[2 * i + 1] = h > MIN_HESSIAN ? h : MIN_HESSIAN;
    if (withLoss) loss += (m > 0 ? m : 0) - m * yi + log1p(e);
  }
  return loss;
}

/** Mean log-loss of margins. */
export function logisticLoss(margin: Float64Array, y: Uint8Array): number {
  let loss = 0;
  for (let i = 0; i < margin.length; i++) {
    const m = margin[i];
    loss += (m > 0 ? m : 0) - m * y[i] + log1p(exp(-abs(m)));
  }
  return loss / margin.length;
}
