import { hyp2f1 } from './hypergeometric-2f1';

describe('hyp2f1', () => {
  // Reference values from scipy.special.hyp2f1.
  it.each([
    [0.5, 1.5, 2.5, 0.3, 1.1080625510569324],
    [2.24, 4.43, 5.22, 0.9, 55.95282276521892],
    [1, 1, 2, 0.5, 1.3862943611198901],
  ])('2F1(%p, %p; %p; %p) = %p', (a, b, c, z, expected) => {
    expect(hyp2f1(a, b, c, z) / expected - 1).toBeLessThan(1e-13);
    expect(hyp2f1(a, b, c, z) / expected - 1).toBeGreaterThan(-1e-13);
  });

  it('is 1 at z = 0 and -ln(1-z)/z for (1, 1; 2)', () => {
    expect(hyp2f1(3, 4, 5, 0)).toBe(1);
    expect(hyp2f1(1, 1, 2, 0.99)).toBeCloseTo(-Math.log(0.01) / 0.99, 10);
  });

  it('rejects z outside [0, 1)', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, 2, -0.1)).toThrow(RangeError);
  });
});
