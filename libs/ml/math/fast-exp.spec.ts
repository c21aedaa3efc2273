import { expNeg } from './fast-exp';

describe('expNeg', () => {
  it('matches Math.exp(-a) to 2e-13 relative over the normal range', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      // Dense near 0 (where the sigmoid lives), then out to the edge of the normal range.
      const a = i <= 100_000 ? (i / 100_000) * 40 : 40 + ((i - 100_000) / 100_000) * 668;
      worst = Math.max(worst, Math.abs(expNeg(a) / Math.exp(-a) - 1));
    }
    expect(worst).toBeLessThan(2e-13);
  });

  it('is exact at 0 and at table points, and 0 past underflow, at Infinity and for NaN', () => {
    expect(expNeg(0)).toBe(1);
    expect(expNeg(Math.LN2)).toBeCloseTo(0.5, 15);
    expect(expNeg(746)).toBe(0);
    expect(expNeg(Infinity)).toBe(0);
    expect(expNeg(NaN)).toBe(0);
  });
});
