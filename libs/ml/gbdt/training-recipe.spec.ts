import { rocAuc } from '../metrics';
import { SplitMix64 } from '../random/splitmix64';
import { TrainingData } from './booster';
import { predict } from './predict';
import { recipePlan, trainWithRecipe } from './training-recipe';

function table(n: number, seed: number): TrainingData {
  const rng = new SplitMix64(seed);
  const p = 5;
  const x = new Float32Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) x[j * n + i] = 2 * rng.nextDouble() - 1;
    const f = 2 * x[i] - 1.5 * x[n + i] * x[2 * n + i];
    y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-2 * f)) ? 1 : 0;
  }
  return { x, n, y };
}

describe('training recipe', () => {
  it('adapts parameters to the table size', () => {
    const small = recipePlan(5_000, 1);
    const large = recipePlan(1_000_000, 1);
    expect(small.treeSizes.length).toBeGreaterThan(1);
    expect(small.params.learningRate).toBeLessThan(large.params.learningRate);
    expect(small.refit).toBe(true);
    expect(large.refit).toBe(false);
    expect(Math.max(...large.treeSizes.map((s) => s.maxLeaves))).toBeGreaterThan(Math.max(...small.treeSizes.map((s) => s.maxLeaves)));
  });

  it('early-stops, refits a small table on all rows with several seeds and is deterministic', () => {
    const data = table(800, 2);
    const test = table(2000, 3);
    const a = trainWithRecipe(data, { seed: 7 });
    expect(a.refitted).toBe(true);
    // The average of the refits: each contributes `rounds` trees.
    expect(a.model.trees.length).toBe(recipePlan(800, 7).refitSeeds * a.params.rounds);
    expect(a.params.rounds).toBeGreaterThan(a.bestIteration);
    expect(a.validAuc).toBeGreaterThan(0.75);
    expect(rocAuc(test.y, predict(a.model, test.x, test.n))).toBeGreaterThan(0.8);
    expect(JSON.stringify(trainWithRecipe(data, { seed: 7 }).model)).toBe(JSON.stringify(a.model));
  });
});
