/** Binary logistic loss on the margin (log-odds) scale. */

// Module-local aliases: inside a vm sandbox (jest) each `Math.x` is a slow global lookup.
const { abs, exp, log1p } = Math;

/** Mean log-loss of margins. */
export function logisticLoss(margin: Float64Array, y: Uint8Array): number {
  let loss = 0;
  for (let i = 0; i < margin.length; i++) {
    const m = margin[i];
    loss += (m > 0 ? m : 0) - m * y[i] + log1p(exp(-abs(m)));
  }
  return loss / margin.length;
}
