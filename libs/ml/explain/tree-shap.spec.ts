import { loadCsvTable } from '../datasets/csv-table';
import { sharedDataPath } from '../datasets/shared-data';
import { trainGbdt } from '../gbdt/booster';
import { GbdtModel, LINEAR_MODEL_VERSION, TreeJson } from '../gbdt/model-format';
import { predictMargins } from '../gbdt/predict';
import { SplitMix64 } from '../random/splitmix64';
import { leafShapley, shapleyWeightTable } from './path-shapley';
import { compileExplainer, explainRows } from './tree-shap';

/** E[f(x) | x_S] under the path-dependent rule: follow the row on features in S, else split by cover. */
function conditionalValue(tree: TreeJson, row: number[], inS: (f: number) => boolean): number {
  const cover = (ref: number) => (ref >= 0 ? tree.cover[ref] : tree.leafCover![~ref]);
  const value = (ref: number): number => {
    if (ref < 0) return tree.leafValue[~ref];
    const f = tree.feature[ref];
    if (inS(f)) {
      const v = row[f];
      const cats = tree.categories[ref];
      const left = Number.isNaN(v) ? tree.defaultLeft[ref] : cats ? cats.includes(v) : v <= tree.threshold[ref];
      return value(left ? tree.left[ref] : tree.right[ref]);
    }
    const [l, r] = [tree.left[ref], tree.right[ref]];
    return (cover(l) * value(l) + cover(r) * value(r)) / (cover(l) + cover(r));
  };
  return value(tree.feature.length > 0 ? 0 : -1);
}

const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));

/** Exact Shapley values of the model's margin by enumerating all 2^p coalitions (small p only). */
function bruteForceShapley(model: GbdtModel, row: number[]): number[] {
  const p = model.numFeatures;
  const v = (mask: number) => model.trees.reduce((s, t) => s + conditionalValue(t, row, (f) => ((mask >> f) & 1) === 1), model.baseMargin);
  const values = Array.from({ length: 1 << p }, (_, mask) => v(mask));
  return Array.from({ length: p }, (_, i) => {
    let phi = 0;
    for (let mask = 0; mask < 1 << p; mask++) {
      if ((mask >> i) & 1) continue;
      let size = 0;
      for (let b = mask; b; b &= b - 1) size++;
      phi += ((factorial(size) * factorial(p - size - 1)) / factorial(p)) * (values[mask | (1 << i)] - values[mask]);
    }
    return phi;
  });
}

/** n rows, p features: numbers with 10% missing, and feature p-1 a category code 0..5. */
function randomTable(n: number, p: number, seed: number) {
  const rng = new SplitMix64(seed);
  const x = new Float32Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) x[j * n + i] = j === p - 1 ? rng.nextInt(6) : rng.nextDouble() < 0.1 ? NaN : rng.nextDouble();
    const f = (x[i] || 0.5) - x[n + i] * (x[2 * n + i] || 0) + (x[(p - 1) * n + i] % 2 === 0 ? 0.6 : -0.6);
    y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-3 * f)) ? 1 : 0;
  }
  return { x, n, y, categoricalFeatures: [p - 1] };
}

function rowOf(x: Float32Array, n: number, p: number, i: number): number[] {
  return Array.from({ length: p }, (_, j) => x[j * n + i]);
}

/** Largest |base + Σ contributions − margin| over the rows. */
function additivityError(model: GbdtModel, x: Float32Array, n: number, options = {}): number {
  const e = compileExplainer(model, options);
  const phi = explainRows(e, x, n);
  const margins = predictMargins(model, x, n);
  const p = model.numFeatures;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let sum = e.baseValue;
    for (let j = 0; j < p; j++) sum += phi[i * p + j];
    worst = Math.max(worst, Math.abs(sum - margins[i]));
  }
  return worst;
}

describe('leafShapley', () => {
  it('matches the Shapley sum over coalitions of one leaf', () => {
    const rng = new SplitMix64(5);
    const weights = shapleyWeightTable(8);
    const poly = new Float64Array(9);
    for (let D = 1; D <= 6; D++) {
      const z = Float64Array.from({ length: D }, () => rng.nextDouble());
      const out = new Float64Array(D);
      for (let hot = 0; hot < 1 << D; hot++) {
        leafShapley(z, 0, D, 1.7, hot, weights, poly, out, 0);
        // v(S) = value · Π_{S} o · Π_{not S} z.
        const v = (S: number) => {
          let prod = 1.7;
          for (let j = 0; j < D; j++) prod *= (S >> j) & 1 ? (hot >> j) & 1 : z[j];
          return prod;
        };
        for (let i = 0; i < D; i++) {
          let phi = 0;
          for (let S = 0; S < 1 << D; S++) {
            if ((S >> i) & 1) continue;
            let size = 0;
            for (let b = S; b; b &= b - 1) size++;
            phi += ((factorial(size) * factorial(D - size - 1)) / factorial(D)) * (v(S | (1 << i)) - v(S));
          }
          expect(out[i]).toBeCloseTo(phi, 13);
        }
      }
    }
  });
});

describe('TreeSHAP', () => {
  const p = 6;
  const train = randomTable(4000, p, 1);
  const model = trainGbdt(train, { rounds: 30, maxDepth: 4, rowSubsample: 0.8, seed: 3 });
  const test = randomTable(300, p, 2);

  it('gives the exact Shapley values of the path-dependent expectation (missing values, categories)', () => {
    const e = compileExplainer(model);
    const phi = explainRows(e, test.x, test.n);
    expect(model.trees.some((t) => t.categories.some((c) => c !== null))).toBe(true);
    expect(model.trees.some((t) => t.defaultLeft.some((d) => d))).toBe(true);
    for (const i of [0, 1, 2, 3, 7, 42, 299]) {
      const exact = bruteForceShapley(model, rowOf(test.x, test.n, p, i));
      for (let j = 0; j < p; j++) expect(phi[i * p + j]).toBeCloseTo(exact[j], 12);
    }
    // The base value is the expectation with no feature known.
    const none = model.trees.reduce((s, t) => s + conditionalValue(t, [], () => false), model.baseMargin);
    expect(e.baseValue).toBeCloseTo(none, 12);
  });

  it('adds up to the margin to 1e-9, with and without contribution tables', () => {
    expect(additivityError(model, test.x, test.n)).toBeLessThan(1e-9);
    expect(additivityError(model, test.x, test.n, { tableBudget: 0 })).toBeLessThan(1e-9);
    const e = compileExplainer(model);
    const tabled = explainRows(e, test.x, test.n);
    const computed = explainRows(compileExplainer(model, { tableBudget: 0 }), test.x, test.n);
    for (let k = 0; k < tabled.length; k++) expect(computed[k]).toBeCloseTo(tabled[k], 13);
  });

  it('explains a range of rows like the whole matrix', () => {
    const e = compileExplainer(model);
    const all = explainRows(e, test.x, test.n);
    const part = explainRows(e, test.x, test.n, undefined, 130, 290);
    expect(Array.from(part.subarray(0, 160 * p))).toEqual(Array.from(all.subarray(130 * p, 290 * p)));
  });

  it('adds up on a real churn table with deep trees and many categories', () => {
    const table = loadCsvTable(sharedDataPath('wa_churn.csv'), { label: 'churn' });
    const data = { x: table.x, n: table.n, y: table.y, categoricalFeatures: table.categoricalFeatures, featureNames: table.featureNames };
    const real = trainGbdt(data, { rounds: 60, maxDepth: 8, maxLeaves: 48, colSubsample: 0.8, seed: 1 });
    expect(additivityError(real, table.x, table.n)).toBeLessThan(1e-9);
  });

  it('counts covers on background rows for models without leaf covers', () => {
    const old: GbdtModel = { ...model, trees: model.trees.map(({ leafCover: _, ...t }) => t) };
    expect(() => compileExplainer(old)).toThrow(/no leaf covers.*background/);
    expect(additivityError(old, test.x, test.n, { background: { x: train.x, n: train.n } })).toBeLessThan(1e-9);
  });

  it('explains a linear part as coefficient times the deviation from its mean', () => {
    const linear: GbdtModel = {
      ...model,
      version: LINEAR_MODEL_VERSION,
      linear: {
        intercept: 0.3,
        numeric: [{ feature: 0, low: 0, high: 1, fill: 0.5, center: 0.4, scale: 0.25, coef: 2, missingCoef: -0.7, mean: 0.1 }],
        categorical: [{ feature: p - 1, codes: [0, 1, 2], coefs: [0.5, -0.5, 1], otherCoef: 0, mean: 0.2 }],
      },
    };
    const treesOnly = explainRows(compileExplainer(model), test.x, test.n);
    const e = compileExplainer(linear);
    const phi = explainRows(e, test.x, test.n);
    expect(e.baseValue).toBeCloseTo(compileExplainer(model).baseValue + 0.3 + 0.1 + 0.2, 12);
    for (let i = 0; i < test.n; i++) {
      const v = test.x[i];
      const term = Number.isNaN(v) ? (2 * (0.5 - 0.4)) / 0.25 - 0.7 : (2 * (v - 0.4)) / 0.25;
      expect(phi[i * p] - treesOnly[i * p]).toBeCloseTo(term - 0.1, 12);
      const code = test.x[(p - 1) * test.n + i];
      expect(phi[i * p + p - 1] - treesOnly[i * p + p - 1]).toBeCloseTo((code <= 2 ? [0.5, -0.5, 1][code] : 0) - 0.2, 12);
    }
    expect(additivityError(linear, test.x, test.n)).toBeLessThan(1e-9);
  });
});
