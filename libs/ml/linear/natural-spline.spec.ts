import { naturalSplineBasis, naturalSplineValue } from './natural-spline';

describe('natural cubic spline basis', () => {
  const knots = [2, 5, 6, 11];
  const basis = (v: number) => {
    const out = new Float64Array(knots.length - 2);
    naturalSplineBasis(knots, v, out);
    return Array.from(out);
  };
  const second = (f: (v: number) => number, v: number, h = 0.25) => (f(v + h) - 2 * f(v) + f(v - h)) / (h * h);

  it('is zero below the first knot and linear beyond the last one (natural boundary)', () => {
    for (const v of [-100, 0, 1.9]) expect(basis(v)).toEqual([0, 0]);
    for (let k = 0; k < 2; k++) for (const v of [11.5, 20, 1e4]) expect(Math.abs(second((u) => basis(u)[k], v))).toBeLessThan(1e-6 * Math.max(1, v));
  });

  it('is cubic, not linear, between the knots, with a continuous slope across each knot', () => {
    expect(Math.abs(second((u) => basis(u)[0], 4))).toBeGreaterThan(0.01);
    for (const xi of knots) {
      const slope = (a: number, b: number) => (basis(b)[1] - basis(a)[1]) / (b - a);
      expect(slope(xi - 1e-4, xi)).toBeCloseTo(slope(xi, xi + 1e-4), 4);
    }
  });

  it('sums the coefficients times the basis, and does not depend on the units', () => {
    const coefs = [0.7, -1.3];
    for (const v of [3, 5.5, 8, 12]) {
      const b = basis(v);
      expect(naturalSplineValue(knots, coefs, v)).toBeCloseTo(coefs[0] * b[0] + coefs[1] * b[1], 12);
      expect(naturalSplineValue(knots.map((k) => 1000 * k), coefs, 1000 * v)).toBeCloseTo(naturalSplineValue(knots, coefs, v), 9);
    }
  });
});
