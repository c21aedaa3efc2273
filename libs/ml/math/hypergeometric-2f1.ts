const MAX_TERMS = 1_000_000;

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1 by its power series, summed until a
 * term no longer changes the sum. The BG/NBD expectations only need z = t / (α + T + t) in [0, 1) with
 * positive parameters, where the series converges (slowly only as z approaches 1).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1: z must be in [0, 1), got ${z}`);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    const next = sum + term;
    if (next === sum) return sum;
    sum = next;
  }
  throw new Error(`hyp2f1: series did not converge in ${MAX_TERMS} terms (a=${a}, b=${b}, c=${c}, z=${z})`);
}
