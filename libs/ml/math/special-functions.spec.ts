import { lbeta, lgamma } from './special-functions';

describe('lgamma', () => {
  // Reference values from scipy.special.gammaln.
  it.each([
    [1e-3, 6.907178885383853],
    [0.3, 1.0957979948180756],
    [0.5, 0.5723649429247],
    [1, 0],
    [1.5, -0.12078223763524526],
    [2, 0],
    [7.25, 7.0521854507385395],
    [100, 359.1342053695754],
    [1e5, 1051287.7089736569],
  ])('lgamma(%p) = %p', (x, expected) => {
    expect(Math.abs(lgamma(x) - expected)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected)));
  });

  it('matches log factorials', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 30; n++) {
      expect(lgamma(n + 1)).toBeCloseTo((logFactorial += Math.log(n)), 11);
    }
  });

  it('rejects non-positive arguments', () => {
    expect(() => lgamma(0)).toThrow(RangeError);
    expect(() => lgamma(-1.5)).toThrow(RangeError);
  });
});

describe('lbeta', () => {
  it('is ln of Γ(a)Γ(b)/Γ(a+b)', () => {
    expect(lbeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 13);
    expect(lbeta(0.5, 0.5)).toBeCloseTo(Math.log(Math.PI), 13);
  });
});
