import { nelderMead } from './nelder-mead';

describe('nelderMead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const rosenbrock = (z: Float64Array) => 100 * (z[1] - z[0] * z[0]) ** 2 + (1 - z[0]) ** 2;
    const result = nelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.value).toBeLessThan(1e-12);
  });

  it('minimises a 4-dimensional quadratic with a shifted centre', () => {
    const centre = [3, -2, 0.5, 10];
    const f = (z: Float64Array) => z.reduce((s, v, i) => s + (i + 1) * (v - centre[i]) ** 2, 0);
    const result = nelderMead(f, [0, 0, 0, 0], { step: 1 });
    centre.forEach((c, i) => expect(result.x[i]).toBeCloseTo(c, 6));
  });

  it('treats NaN as worse than any number', () => {
    const f = (z: Float64Array) => (z[0] < 0 ? NaN : (z[0] - 1) ** 2);
    expect(nelderMead(f, [0.05]).x[0]).toBeCloseTo(1, 6);
  });

  it('is deterministic and stops at the evaluation budget', () => {
    const f = (z: Float64Array) => Math.cosh(z[0]) + z[1] * z[1];
    expect(nelderMead(f, [2, 2]).x).toEqual(nelderMead(f, [2, 2]).x);
    const capped = nelderMead(f, [2, 2], { maxEvaluations: 10 });
    expect(capped.converged).toBe(false);
    expect(capped.evaluations).toBeLessThanOrEqual(10 + 3);
  });
});
