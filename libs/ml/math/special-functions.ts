// Lanczos approximation, g = 7, 9 terms: about 15 significant digits for x > 0.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
// Module-local alias: inside a vm sandbox (jest) each `Math.log` is a slow global lookup.
const { log } = Math;
const HALF_LOG_TWO_PI = 0.5 * log(2 * Math.PI);

/** ln Γ(x) for x > 0. Likelihoods need the log: Γ itself overflows past x ≈ 171. */
export function lgamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lgamma: argument must be positive, got ${x}`);
  // Reflection keeps the series accurate near 0, where it converges poorly.
  if (x < 0.5) return log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * log(t) - t + log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}
