import { rocAuc } from '../metrics';
import { SplitMix64 } from '../random/splitmix64';
import { trainGbdt, TrainingData } from './booster';
import { featureImportance } from './feature-importance';
import { GbdtParams } from './params';
import { predict } from './predict';

/** n rows of p features uniform in [-1, 1); the label is drawn from probability prob(row). */
function table(n: number, p: number, seed: number, prob: (r: number[]) => number, edit?: (r: number[], rng: SplitMix64) => void): TrainingData {
  const rng = new SplitMix64(seed);
  const x = new Float32Array(n * p);
  const y = new Uint8Array(n);
  const r = new Array<number>(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) r[j] = 2 * rng.nextDouble() - 1;
    edit?.(r, rng);
    for (let j = 0; j < p; j++) x[j * n + i] = r[j];
    y[i] = rng.nextDouble() < prob(r) ? 1 : 0;
  }
  return { x, n, y };
}

/** One row (column-major with n = 1 is just the feature vector). */
const one = (row: number[]) => Float32Array.from(row);

describe('trainGbdt', () => {
  const quick: Partial<GbdtParams> = { rounds: 30, learningRate: 0.3 };

  it('needs depth 2 for an XOR interaction', () => {
    const xor = (r: number[]) => ((r[0] > 0) !== (r[1] > 0) ? 0.95 : 0.05);
    const train = table(3000, 3, 1, xor);
    const test = table(2000, 3, 2, xor);
    const auc = (maxDepth: number) => rocAuc(test.y, predict(trainGbdt(train, { ...quick, maxDepth }), test.x, test.n));
    expect(auc(1)).toBeLessThan(0.6);
    expect(auc(2)).toBeGreaterThan(0.88);
  });

  it('recovers a monotone step function', () => {
    const step = (r: number[]) => (r[0] > 0.3 ? 0.9 : 0.1);
    const model = trainGbdt(table(4000, 2, 3, step), { ...quick, maxDepth: 2 });
    // Points a bin or more from the step: next to it, 30 rounds at rate 0.3 fit the label noise.
    const grid = [-0.9, -0.5, 0, 0.2, 0.35, 0.6, 0.95].map((v) => predict(model, one([v, 0]), 1)[0]);
    for (const pr of grid.slice(0, 4)) expect(pr).toBeCloseTo(0.1, 1);
    for (const pr of grid.slice(4)) expect(pr).toBeCloseTo(0.9, 1);
    // The first split of every early tree sits at the step.
    for (const t of model.trees.slice(0, 5)) {
      expect(t.feature[0]).toBe(0);
      expect(Math.abs(t.threshold[0] - 0.3)).toBeLessThan(0.02);
    }
  });

  it('learns where missing values go when missingness itself is predictive', () => {
    // x0 is missing for 30% of rows and those are mostly positive; present values carry no signal.
    const data = table(4000, 2, 4, (r) => (Number.isNaN(r[0]) ? 0.85 : 0.15), (r, rng) => {
      if (rng.nextDouble() < 0.3) r[0] = NaN;
    });
    const model = trainGbdt(data, { ...quick, maxDepth: 1 });
    expect(predict(model, one([NaN, 0]), 1)[0]).toBeCloseTo(0.85, 1);
    for (const v of [-0.8, 0, 0.8]) expect(predict(model, one([v, 0]), 1)[0]).toBeCloseTo(0.15, 1);
    expect(model.trees[0].feature[0]).toBe(0);
    expect(model.trees[0].defaultLeft[0] || model.trees[0].threshold[0] > 1).toBe(true);
  });

  it('makes categorical splits on integer codes', () => {
    const good = new Set([1, 4, 7]);
    const data = table(5000, 2, 5, (r) => (good.has(r[0]) ? 0.9 : 0.1), (r, rng) => {
      r[0] = rng.nextInt(10);
    });
    data.categoricalFeatures = [0];
    // Stumps: only a set split can separate {1, 4, 7} from the rest in one node.
    const model = trainGbdt(data, { ...quick, maxDepth: 1, catL2: 0, catSmooth: 1 });
    expect([...model.trees[0].categories[0]!].sort()).toEqual(good.has(model.trees[0].categories[0]![0]) ? [1, 4, 7] : [0, 2, 3, 5, 6, 8, 9]);
    for (let c = 0; c < 10; c++) expect(predict(model, one([c, 0]), 1)[0]).toBeCloseTo(good.has(c) ? 0.9 : 0.1, 1);
  });

  it('ranks the informative feature first', () => {
    const data = table(3000, 5, 6, (r) => 1 / (1 + Math.exp(-3 * r[2])));
    const imp = featureImportance(trainGbdt(data, quick));
    expect(imp[0].feature).toBe(2);
    expect(imp[0].gain).toBeGreaterThan(5 * imp[1].gain);
    expect(imp[0].splits).toBeGreaterThan(0);
  });

  it('is deterministic for a seed, with row and column sampling', () => {
    const data = table(2000, 6, 7, (r) => 1 / (1 + Math.exp(-(r[0] + r[1] * r[2]))));
    const prm = { ...quick, rowSubsample: 0.7, colSubsample: 0.5, seed: 11 };
    const a = JSON.stringify(trainGbdt(data, prm));
    expect(JSON.stringify(trainGbdt(data, prm))).toBe(a);
    expect(JSON.stringify(trainGbdt(data, { ...prm, seed: 12 }))).not.toBe(a);
  });

  it('stops early on a validation set and keeps the best round', () => {
    const noisy = (r: number[]) => 1 / (1 + Math.exp(-0.8 * r[0]));
    const train = table(1500, 10, 8, noisy);
    const valid = table(1500, 10, 9, noisy);
    const losses: number[] = [];
    const model = trainGbdt(train, { rounds: 500, learningRate: 0.3, maxDepth: 4, earlyStoppingRounds: 10 }, {
      valid,
      onRound: (_round, _train, v) => losses.push(v!),
    });
    expect(losses.length).toBeLessThan(200);
    expect(model.trees.length).toBe(losses.length - 10);
    expect(model.bestIteration).toBe(model.trees.length - 1);
    expect(Math.min(...losses)).toBe(losses[model.bestIteration]);
  });

  it('reports decreasing training loss every round', () => {
    const losses: number[] = [];
    trainGbdt(table(1000, 3, 10, (r) => (r[0] > 0 ? 0.8 : 0.2)), { rounds: 5 }, { onRound: (round, t) => losses.push(round, t) });
    expect(losses.filter((_, i) => i % 2 === 0)).toEqual([0, 1, 2, 3, 4]);
    const t = losses.filter((_, i) => i % 2 === 1);
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeLessThan(t[i - 1]);
  });

  it('builds the same model with worker threads', () => {
    // Large enough for four shards and a worker thread; row sampling moves rows within shards too.
    const data = table(80000, 3, 12, (r) => 1 / (1 + Math.exp(-(2 * r[0] - r[1]))));
    const prm = { rounds: 2, maxDepth: 3, rowSubsample: 0.9 };
    expect(JSON.stringify(trainGbdt(data, prm, { numThreads: 2 }))).toBe(JSON.stringify(trainGbdt(data, prm)));
  });

  it('handles many features (140 columns, 35 words per row, a histogram of 35,840 bins)', () => {
    const data = table(1200, 140, 13, (r) => (r[139] > 0 ? 0.9 : 0.1));
    const model = trainGbdt(data, { rounds: 5, maxDepth: 2, rowSubsample: 0.8 });
    expect(model.trees[0].feature[0]).toBe(139);
    expect(Math.abs(model.trees[0].threshold[0])).toBeLessThan(0.05);
    expect(rocAuc(data.y, predict(model, data.x, data.n))).toBeGreaterThan(0.85);
  });

  it('rejects labels other than 0/1', () => {
    expect(() => trainGbdt({ x: new Float32Array(2), n: 2, y: Float32Array.from([0, 2]) })).toThrow(/label 1 is 2/);
  });
});
