import { applyIsotonic, calibrate, calibrateAll, fitCalibrator, fitIsotonic, fitPlatt } from './index';

describe('fitIsotonic', () => {
  it('pools adjacent violators into monotone blocks', () => {
    // Blocks {1}: 0, {2, 3}: 1/2, {4, 5}: 1.
    const cal = fitIsotonic([0, 1, 0, 1, 1], [1, 2, 3, 4, 5]);
    expect(cal).toEqual({ method: 'isotonic', x: [1, 2, 3, 4, 5], y: [0, 0.5, 0.5, 1, 1] });
  });

  it('interpolates between knots and is flat beyond them', () => {
    const cal = fitIsotonic([0, 1, 0, 1, 1], [1, 2, 3, 4, 5]);
    expect([0, 1.5, 2.5, 3.5, 10].map((s) => applyIsotonic(cal, s))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(applyIsotonic(cal, NaN)).toBeNaN();
  });

  it('keeps tied scores in one block', () => {
    // The tie at 1 averages to 1/2, which then pools with the 0 at score 2.
    expect(fitIsotonic([1, 0, 0], [1, 1, 2])).toEqual({ method: 'isotonic', x: [1, 2], y: [1 / 3, 1 / 3] });
  });

  it('is non-decreasing on unsorted input', () => {
    const scores = [0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8, 0.6];
    const labels = [1, 0, 0, 1, 1, 0, 0, 1];
    const { y } = fitIsotonic(labels, scores);
    for (let k = 1; k < y.length; k++) expect(y[k]).toBeGreaterThanOrEqual(y[k - 1]);
  });
});

describe('fitPlatt', () => {
  it('matches the hand-solved smoothed-target fit', () => {
    // Targets 2/3 (positive at +1) and 1/3 (negative at -1): sigmoid(a + b) = 2/3, sigmoid(-a + b) = 1/3.
    const cal = fitPlatt([0, 1], [-1, 1]);
    expect(cal.method).toBe('platt');
    expect(cal.a).toBeCloseTo(Math.log(2), 8);
    expect(cal.b).toBeCloseTo(0, 8);
  });

  it('gives finite coefficients on separable and single-class holdouts', () => {
    const separable = fitPlatt([0, 0, 1, 1], [-2, -1, 1, 2]);
    expect(Number.isFinite(separable.a) && separable.a > 0).toBe(true);
    const allPositive = fitPlatt([1, 1, 1], [0.2, 0.2, 0.2]);
    // Constant score: the fit is the smoothed base rate 4/5.
    expect(calibrate(allPositive, 0.2)).toBeCloseTo(4 / 5, 8);
  });
});

describe('calibrator dispatch', () => {
  it('round-trips through JSON and applies either method', () => {
    const labels = [0, 0, 1, 0, 1, 1];
    const scores = [-2, -1, -0.5, 0.5, 1, 2];
    for (const method of ['isotonic', 'platt'] as const) {
      const cal = fitCalibrator(method, labels, scores);
      const restored = JSON.parse(JSON.stringify(cal));
      expect(Array.from(calibrateAll(restored, scores))).toEqual(scores.map((s) => calibrate(cal, s)));
    }
  });
});
