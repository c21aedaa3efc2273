import { SplitMix64 } from '../random/splitmix64';
import { averageModels } from './average-models';
import { trainGbdt } from './booster';
import { parseModel, serializeModel } from './model-format';
import { predictMargins } from './predict';

describe('averageModels', () => {
  const n = 2000;
  const rng = new SplitMix64(3);
  const x = Float32Array.from({ length: 2 * n }, () => 2 * rng.nextDouble() - 1);
  const y = Uint8Array.from({ length: n }, (_, i) => (rng.nextDouble() < (x[i] > 0 ? 0.8 : 0.2) ? 1 : 0));
  const models = [1, 2, 3].map((seed) => trainGbdt({ x, n, y }, { rounds: 5, maxDepth: 2, rowSubsample: 0.7, seed }));

  it('predicts the mean margin of its models and is a valid model', () => {
    const avg = parseModel(serializeModel(averageModels(models)));
    expect(avg.trees.length).toBe(15);
    const got = predictMargins(avg, x, n);
    const each = models.map((m) => predictMargins(m, x, n));
    const base = models[0].baseMargin;
    for (let i = 0; i < n; i++) {
      const mean = base + each.reduce((s, e) => s + (e[i] - base), 0) / 3;
      expect(got[i]).toBeCloseTo(mean, 12);
    }
  });

  it('refuses models of other tables', () => {
    const other = trainGbdt({ x: x.subarray(0, n), n: n / 2, y: y.subarray(0, n / 2) }, { rounds: 2 });
    expect(() => averageModels([models[0], other])).toThrow(/share their features and base margin/);
    expect(() => averageModels([])).toThrow(/no models/);
  });
});
