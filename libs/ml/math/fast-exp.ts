/**
 * e^-a for a >= 0, about three times faster than Math.exp in V8 (whose exp is a software routine of
 * ~17 ns): 2^(-a·log2 e) split as 2^e · 2^(j/32) · 2^(u/32), two table lookups and a degree-5
 * polynomial. Relative error below 2e-13 for normal results (a < 708); 0 beyond a ≈ 745, where e^-a
 * underflows.
 */

const LOG2E_32 = 32 * Math.LOG2E;
const LN2_32 = Math.LN2 / 32;
/** 2^(j/32), j = 0..32. */
const FRACTION = Float64Array.from({ length: 33 }, (_, j) => 2 ** (j / 32));
/** 2^-e, e = 0..1076 (down to below the smallest subnormal). */
const POWER = Float64Array.from({ length: 1077 }, (_, e) => 2 ** -e);
const { floor } = Math;

export function expNeg(a: number): number {
  // t = a·32·log2 e = 32e' + j + f: e^-a = 2^-(t/32).
  const t = a * LOG2E_32;
  if (!(t < 34400)) return 0;
  const k = floor(t);
  const r = -(t - k) * LN2_32;
  // e^r for r in (-ln2/32, 0]: Taylor to degree 5 (error < r^6/720 < 2e-13).
  const poly = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  // 2^-(k/32) = 2^-(e+1) · 2^((32 - j)/32) with k = 32e + j (exact products of powers of two for j = 0).
  return POWER[(k >> 5) + 1] * FRACTION[32 - (k & 31)] * poly;
}
