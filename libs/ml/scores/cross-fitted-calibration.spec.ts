import { calibrationTable } from '../metrics/calibration-table';
import { SplitMix64 } from '../random/splitmix64';
import { stratifiedFolds } from '../random/stratified-folds';
import { applyPlatt, fitPlatt } from './platt-calibrator';
import { crossFittedCalibrationTable, crossFittedProbabilities } from './cross-fitted-calibration';

/** Scores that carry no signal: any calibration is pure fit to noise. */
function noise(n: number, seed: number) {
  const rng = new SplitMix64(seed);
  const labels: number[] = Array.from({ length: n }, () => (rng.nextDouble() < 0.3 ? 1 : 0));
  const scores = Array.from({ length: n }, () => rng.nextDouble() * 4 - 2);
  return { labels, scores };
}

describe('cross-fitted calibration', () => {
  it('calibrates every row by a calibrator that never saw it', () => {
    const { labels, scores } = noise(200, 1);
    const probs = crossFittedProbabilities(labels, scores, { folds: 4, seed: 9 });
    expect(probs).toHaveLength(200);
    const folds = stratifiedFolds(labels, 4, 9);
    for (const i of [0, 17, 199]) {
      const others = labels.map((_, r) => r).filter((r) => folds[r] !== folds[i]);
      const own = fitPlatt(others.map((r) => labels[r]), others.map((r) => scores[r]));
      expect(probs[i]).toBe(applyPlatt(own, scores[i]));
    }
  });

  it('shows less confidence than the in-sample table on scores without signal', () => {
    const { labels, scores } = noise(300, 2);
    const inSample = Float64Array.from(scores, (s) => applyPlatt(fitPlatt(labels, scores), s));
    const spread = (p: ArrayLike<number>) => Math.max(...Array.from(p)) - Math.min(...Array.from(p));
    const table = crossFittedCalibrationTable(labels, scores, 10, { seed: 3 });
    expect(table).toHaveLength(10);
    expect(table.reduce((s, b) => s + b.count, 0)).toBe(300);
    expect(calibrationTable(labels, inSample, 10).reduce((s, b) => s + b.count, 0)).toBe(300);
    // The out-of-fold probabilities disagree with the labels at least as much as the in-sample fit.
    const brier = (p: ArrayLike<number>) => labels.reduce((s, y, i) => s + (p[i] - y) ** 2, 0) / labels.length;
    const oof = crossFittedProbabilities(labels, scores, { seed: 3 });
    expect(brier(oof)).toBeGreaterThanOrEqual(brier(inSample));
    expect(spread(oof)).toBeGreaterThan(0);
  });

  it('needs enough rows for its folds', () => {
    expect(() => crossFittedProbabilities([0, 1, 0], [0.1, 0.2, 0.3])).toThrow(/cannot fill 5 folds/);
  });
});
