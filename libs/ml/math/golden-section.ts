const INVERSE_PHI = (Math.sqrt(5) - 1) / 2;

/**
 * Minimises a unimodal f on [lo, hi] by golden-section search, to within `tolerance` in x.
 * Deterministic, one evaluation per step; a minimum at an end is approached to within the tolerance.
 */
export function goldenSectionMinimize(
  f: (x: number) => number,
  lo: number,
  hi: number,
  tolerance = 1e-6,
): { x: number; value: number } {
  if (!(lo < hi)) throw new RangeError(`goldenSectionMinimize: need lo < hi, got [${lo}, ${hi}]`);
  let a = lo;
  let b = hi;
  let c = b - INVERSE_PHI * (b - a);
  let d = a + INVERSE_PHI * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tolerance) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INVERSE_PHI * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INVERSE_PHI * (b - a);
      fd = f(d);
    }
  }
  return fc <= fd ? { x: c, value: fc } : { x: d, value: fd };
}
