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

describe('training recipe: small tables and the logistic candidate', () => {
  /** A purely additive, linear log-odds over 12 features: what a regularised regression fits best. */
  function linearTable(n: number, seed: number): TrainingData {
    const rng = new SplitMix64(seed);
    const p = 12;
    const x = new Float32Array(n * p);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < p; j++) {
        x[j * n + i] = 2 * rng.nextDouble() - 1;
        f += ((j % 3) - 1 + 0.3 * j) * x[j * n + i] * 0.5;
      }
      y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-f)) ? 1 : 0;
    }
    return { x, n, y };
  }

  it('refuses a table whose rarer class cannot fill the inner folds, naming the counts', () => {
    const data = table(300, 4);
    const y = new Uint8Array(data.n);
    y[5] = y[77] = y[200] = 1;
    expect(() => trainWithRecipe({ ...data, y })).toThrow(
      'trainWithRecipe: the table has 3 positive and 297 negative rows; its 5 inner cross-validation folds need at least 5 rows of each class',
    );
  });

  it('keeps the regression (alone or blended) where it validates better, and predicts what it validated', () => {
    const data = linearTable(600, 5);
    const test = linearTable(4000, 6);
    const r = trainWithRecipe(data, { seed: 3 });
    expect(r.logistic).not.toBeNull();
    expect(r.treeWeight).toBeLessThan(1);
    expect(r.model.version).toBe(3); // a linear part with spline curves
    expect(r.validAuc).toBeGreaterThanOrEqual(r.logistic!.validAuc);
    expect(JSON.stringify(trainWithRecipe(data, { seed: 3 }).model)).toBe(JSON.stringify(r.model));
    expect(rocAuc(test.y, predict(r.model, test.x, test.n))).toBeGreaterThan(0.7);
  });

  it('leaves trees alone where they win (interactions): same model as before the candidate existed', () => {
    const data = table(800, 2);
    const r = trainWithRecipe(data, { seed: 7 });
    expect(r.treeWeight).toBe(1);
    expect(r.model.version).toBe(1);
    expect(r.model.linear).toBeUndefined();
    expect(r.validAuc).toBeGreaterThan(r.logistic!.validAuc);
  });
});
