import { SplitMix64 } from '../random/splitmix64';
import { trainGbdt } from './booster';
import { parseModel, serializeModel } from './model-format';
import { predict, predictMargins } from './predict';

describe('model format', () => {
  const n = 3000;
  const p = 4;
  const rng = new SplitMix64(3);
  const x = new Float32Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) x[j * n + i] = j === 3 ? rng.nextInt(6) : rng.nextDouble() < 0.1 ? NaN : rng.nextDouble();
    const f = (x[i] || 0) - x[n + i] + (x[3 * n + i] % 2 === 0 ? 0.7 : -0.7);
    y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-3 * f)) ? 1 : 0;
  }
  const model = trainGbdt({ x, n, y, categoricalFeatures: [3], featureNames: ['a', 'b', 'c', 'd'] }, { rounds: 20 });

  it('round-trips through JSON with bit-identical predictions', () => {
    const text = serializeModel(model);
    const back = parseModel(text);
    expect(back.format).toBe('propensity-gbdt');
    expect(back.version).toBe(1);
    expect(serializeModel(back)).toBe(text);
    const a = predictMargins(model, x, n);
    const b = predictMargins(back, x, n);
    for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) throw new Error(`row ${i}: ${a[i]} != ${b[i]}`);
    expect(model.trees.some((t) => t.categories.some((c) => c !== null))).toBe(true);
  });

  it('predicts probabilities as the sigmoid of base margin plus leaf values', () => {
    const probs = predict(model, x, n);
    const margins = predictMargins(model, x, n);
    for (const i of [0, 17, 999]) expect(probs[i]).toBe(1 / (1 + Math.exp(-margins[i])));
    // A single row walked by hand through tree 0 and the rest.
    const row = Array.from({ length: p }, (_, j) => x[j * n + 5]);
    let m = model.baseMargin;
    for (const t of model.trees) {
      let node = t.feature.length ? 0 : -1;
      while (node >= 0) {
        const v = row[t.feature[node]];
        const cats = t.categories[node];
        const left = Number.isNaN(v) ? t.defaultLeft[node] : cats ? cats.includes(v) : v <= t.threshold[node];
        node = left ? t.left[node] : t.right[node];
      }
      m += t.leafValue[~node];
    }
    expect(margins[5]).toBe(m);
  });

  it('rejects other formats, versions and broken trees', () => {
    const text = serializeModel(model);
    expect(() => parseModel(text.replace('"propensity-gbdt"', '"xgboost"'))).toThrow(/format/);
    expect(() => parseModel(text.replace('"version":1', '"version":2'))).toThrow(/version 2/);
    const broken = JSON.parse(text);
    broken.trees[0].left[0] = 0;
    expect(() => parseModel(JSON.stringify(broken))).toThrow(/bad child/);
  });
});
