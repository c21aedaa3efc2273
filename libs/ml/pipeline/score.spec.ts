import { applyIsotonic, fitIsotonic } from '../scores';
import { scoreMargins } from './score';

describe('scoreMargins', () => {
  it('calibrates each margin, then gives the 0-100 score and its category', () => {
    // a = 1, b = 0: the probability is the sigmoid of the margin.
    const scored = scoreMargins({ method: 'platt', a: 1, b: 0 }, Float64Array.of(-Infinity, 0, Math.log(3), 20));
    expect(scored.map((s) => [s.score, s.category])).toEqual([
      [0, 'Low'],
      [50, 'Medium'],
      [75, 'High'],
      [100, 'High'],
    ]);
    expect(scored[2].probability).toBeCloseTo(0.75, 12);
  });

  it('takes an isotonic calibrator too, and an empty batch', () => {
    const cal = fitIsotonic([0, 1, 0, 1, 1], [1, 2, 3, 4, 5]);
    expect(scoreMargins(cal, [3.5]).map((s) => s.probability)).toEqual([applyIsotonic(cal, 3.5)]);
    expect(scoreMargins(cal, [])).toEqual([]);
  });
});
