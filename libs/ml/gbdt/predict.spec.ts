import { SplitMix64 } from '../random/splitmix64';
import { trainGbdt } from './booster';
import { FAST_MAX_DEPTH, FastForest, fastPredictRange, fastScratch } from './fast-forest';
import { GbdtModel, MODEL_FORMAT, MODEL_VERSION, TreeJson } from './model-format';
import { resolveParams } from './params';
import { compileModel, PARALLEL_MIN_ROWS, predictMargins, predictMarginsGeneral } from './predict';
import { predictionWorkerRows, stopPredictionThreads } from './predict-threads';
import { SIMD_MAX_DEPTH, simdSupported, simdWalkModule } from './simd-walk';

/** A random forest: thresholds from `pool(j)`, random shapes (leaves at any depth), random missing directions. */
function randomForest(rng: SplitMix64, p: number, trees: number, maxDepth: number, pool: (j: number) => number[]): GbdtModel {
  const out: TreeJson[] = [];
  for (let t = 0; t < trees; t++) {
    const tree: TreeJson = { feature: [], threshold: [], defaultLeft: [], categories: [], left: [], right: [], gain: [], cover: [], leafValue: [] };
    const grow = (depth: number): number => {
      if (depth >= maxDepth || (depth > 0 && rng.nextDouble() < 0.25)) {
        tree.leafValue.push(rng.nextDouble() - 0.5);
        return ~(tree.leafValue.length - 1);
      }
      const k = tree.feature.length;
      const j = rng.nextInt(p);
      const values = pool(j);
      tree.feature.push(j);
      tree.threshold.push(values[rng.nextInt(values.length)]);
      tree.defaultLeft.push(rng.nextDouble() < 0.5);
      tree.categories.push(null);
      tree.gain.push(1);
      tree.cover.push(1);
      tree.left.push(0);
      tree.right.push(0);
      tree.left[k] = grow(depth + 1);
      tree.right[k] = grow(depth + 1);
      return k;
    };
    if (t === 3) tree.leafValue.push(0.125);
    else grow(0);
    out.push(tree);
  }
  return {
    format: MODEL_FORMAT, version: MODEL_VERSION, objective: 'binary:logistic', numFeatures: p,
    featureNames: Array.from({ length: p }, (_, j) => `f${j}`), categoricalFeatures: [], baseMargin: -0.3,
    params: resolveParams({}), bestIteration: trees - 1, trees: out,
  };
}

/** Inputs that hit the thresholds exactly, fall next to them, or are NaN, ±Infinity, ±0 or huge. */
function trickyInputs(rng: SplitMix64, n: number, p: number, pool: (j: number) => number[], f32: boolean): Float32Array | Float64Array {
  const x = f32 ? new Float32Array(n * p) : new Float64Array(n * p);
  const specials = [NaN, Infinity, -Infinity, 0, -0, Number.MAX_VALUE, -Number.MAX_VALUE, 3.4e38, -3.4e38, 1e-300];
  for (let j = 0; j < p; j++) {
    const values = pool(j);
    for (let i = 0; i < n; i++) {
      const r = rng.nextDouble();
      const v = values[rng.nextInt(values.length)];
      x[j * n + i] = r < 0.1 ? specials[rng.nextInt(specials.length)] : r < 0.4 ? v : r < 0.6 ? v * (1 + (rng.nextDouble() - 0.5) * 1e-7) : (rng.nextDouble() - 0.5) * 4;
    }
  }
  return x;
}

function expectSameMargins(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`row ${i}: ${a[i]} != ${b[i]}`);
}

/** The fast path's margins on the calling thread, through the SIMD walk (`simd`) or the JavaScript walk. */
function fastMargins(F: FastForest, x: Float32Array | Float64Array, n: number, simd: boolean): Float64Array {
  const module = simd ? simdWalkModule(F) : null;
  if (simd && !module) throw new Error('no SIMD walk for this forest');
  const out = new Float64Array(n);
  fastPredictRange(F, x, n, 0, n, out, 0, fastScratch(F, module));
  return out;
}

describe('fast prediction path', () => {
  afterAll(() => stopPredictionThreads());

  // Odd features also split at ±Number.MAX_VALUE (then every threshold shares one bucket).
  const uniformPool = (j: number) =>
    Array.from({ length: 40 }, (_, k) => -1.5 + k / 13 + j / 100).concat(j % 2 ? [0, -0, Number.MAX_VALUE, -Number.MAX_VALUE] : [0, -0]);

  it('gives bitwise the margins of the general walk, with NaN, ±Infinity, ±0 and values on the thresholds', () => {
    const rng = new SplitMix64(11);
    const p = 5;
    const model = randomForest(rng, p, 30, 6, uniformPool);
    const forest = compileModel(model);
    expect(forest.fast).not.toBeNull();
    for (const f32 of [true, false]) {
      const n = 3001;
      const x = trickyInputs(rng, n, p, uniformPool, f32);
      expectSameMargins(predictMargins(forest, x, n, undefined, { numThreads: 1 }), predictMarginsGeneral(forest, x, n));
    }
  });

  it('walks trees of every depth the fast layout takes (0 to FAST_MAX_DEPTH) as the general walk does', () => {
    const rng = new SplitMix64(17);
    const p = 4;
    // Eight trees capped at each depth (the deepest of them usually reach it); one model holds them all.
    const byDepth = Array.from({ length: FAST_MAX_DEPTH }, (_, d) => randomForest(rng, p, 8, d + 1, uniformPool));
    const model = { ...byDepth[0], trees: byDepth.flatMap((m) => m.trees) };
    const forest = compileModel(model);
    expect(forest.fast).not.toBeNull();
    // The written-out walks differ by depth: every depth must be there for this test to cover them.
    expect(new Set(forest.fast!.treeDepth)).toEqual(new Set(Array.from({ length: FAST_MAX_DEPTH + 1 }, (_, d) => d)));
    const n = 1003;
    const x = trickyInputs(rng, n, p, uniformPool, true);
    expectSameMargins(predictMargins(forest, x, n, undefined, { numThreads: 1 }), predictMarginsGeneral(forest, x, n));
  });

  it('walks with WebAssembly SIMD bitwise as in JavaScript: depths 0 to 7, padding, missing values, partial blocks', () => {
    expect(simdSupported()).toBe(true);
    const rng = new SplitMix64(18);
    const p = 6;
    const byDepth = Array.from({ length: SIMD_MAX_DEPTH }, (_, d) => randomForest(rng, p, 8, d + 1, uniformPool));
    // Forty more trees of depth 6: over 4096 nodes, so the walk is split into several functions.
    const many = randomForest(rng, p, 40, 6, uniformPool);
    const model = { ...byDepth[0], trees: [...byDepth.flatMap((m) => m.trees), ...many.trees] };
    const F = compileModel(model).fast!;
    expect(new Set(F.treeDepth)).toEqual(new Set(Array.from({ length: SIMD_MAX_DEPTH + 1 }, (_, d) => d)));
    for (const [n, f32] of [[1003, true], [2048, false], [17, true]] as const) {
      const x = trickyInputs(rng, n, p, uniformPool, f32);
      const expected = predictMarginsGeneral(model, x, n);
      expectSameMargins(fastMargins(F, x, n, true), expected);
      expectSameMargins(fastMargins(F, x, n, false), expected);
    }
    // Blocks without a missing value take the walk that reads codes A only.
    const n = 1500;
    const clean = trickyInputs(rng, n, p, uniformPool, true).map((v) => (v !== v ? 0.5 : v));
    expectSameMargins(fastMargins(F, clean, n, true), predictMarginsGeneral(model, clean, n));
    // A memory that cannot be had (as when V8's address space for them runs out): the JavaScript walk.
    const unavailable = { ...simdWalkModule(F)!, pages: 70000 };
    const fallback = fastScratch(F, unavailable);
    expect(fallback.simd).toBeNull();
    const out = new Float64Array(n);
    fastPredictRange(F, clean, n, 0, n, out, 0, fallback);
    expectSameMargins(out, predictMarginsGeneral(model, clean, n));
    // A tree deeper than SIMD_MAX_DEPTH: no SIMD walk, the JavaScript walk takes it.
    const deeper = { ...model, trees: [...model.trees, ...randomForest(rng, p, 1, SIMD_MAX_DEPTH + 1, uniformPool).trees] };
    const deepF = compileModel(deeper).fast!;
    if (Math.max(...deepF.treeDepth) > SIMD_MAX_DEPTH) expect(simdWalkModule(deepF)).toBeNull();
    expectSameMargins(predictMargins(deeper, clean, n, undefined, { numThreads: 1 }), predictMarginsGeneral(deeper, clean, n));
  });

  it('is exact for features whose thresholds crowd into a few buckets', () => {
    const rng = new SplitMix64(12);
    const p = 3;
    // 250 thresholds spread over 40 orders of magnitude (most land in the first bucket), plus a dense cluster.
    const crowded = (j: number) =>
      j === 0 ? Array.from({ length: 250 }, (_, k) => Math.pow(1.45, k) * 1e-20) : j === 1 ? Array.from({ length: 200 }, (_, k) => 1 + k * 1e-12).concat([5, 1e6]) : [0.5];
    const model = randomForest(rng, p, 60, 8, crowded);
    const forest = compileModel(model);
    expect(forest.fast).not.toBeNull();
    expect(Math.max(...forest.fast!.perBucket)).toBeGreaterThan(1);
    const n = 5000;
    const x = trickyInputs(rng, n, p, crowded, false);
    expectSameMargins(predictMargins(forest, x, n, undefined, { numThreads: 1 }), predictMarginsGeneral(forest, x, n));
  });

  it('gives the same margins on worker threads, for private and shared input buffers', async () => {
    const rng = new SplitMix64(13);
    const p = 4;
    const forest = randomForest(rng, p, 25, 6, uniformPool);
    // Then eight of its trees of depth 6 again, a group the workers walk in step.
    const depths = compileModel(forest).fast!.treeDepth;
    const deep = forest.trees.filter((_, t) => depths[t] === 6).slice(0, 8);
    expect(deep).toHaveLength(8);
    const model = { ...forest, trees: [...forest.trees, ...deep] };
    expect(compileModel(model).fast!.treeGroup.some((g) => g >= 0)).toBe(true);
    const n = PARALLEL_MIN_ROWS + 12345;
    const x = trickyInputs(rng, n, p, uniformPool, true) as Float32Array;
    const expected = predictMarginsGeneral(model, x, n);
    // A worker starts on first use; until it has booted the calling thread predicts every row itself.
    for (let tries = 0; tries < 100 && predictionWorkerRows() === 0; tries++) {
      predictMargins(model, x, n, undefined, { numThreads: 2 });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const before = predictionWorkerRows();
    expectSameMargins(predictMargins(model, x, n, undefined, { numThreads: 2 }), expected);
    // The worker did its share (a failing worker's rows would be redone here, with the same margins).
    expect(predictionWorkerRows()).toBeGreaterThan(before);
    expectSameMargins(predictMargins(model, x, n, undefined, { numThreads: 3 }), expected);
    const shared = new Float32Array(new SharedArrayBuffer(4 * x.length));
    shared.set(x);
    expectSameMargins(predictMargins(model, shared, n, undefined, { numThreads: 2 }), expected);
    const x64 = Float64Array.from(x);
    expectSameMargins(predictMargins(model, x64, n, undefined, { numThreads: 2 }), expected);
  });

  it('matches the general walk on a trained model with missing values', () => {
    const rng = new SplitMix64(14);
    const n = 4000;
    const p = 3;
    const x = new Float32Array(n * p);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) x[j * n + i] = rng.nextDouble() < 0.15 ? NaN : rng.nextDouble() * 2 - 1;
      const a = x[i] !== x[i] ? 0.8 : x[i];
      y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-3 * (a - x[n + i] || 0))) ? 1 : 0;
    }
    const trained = trainGbdt({ x, n, y }, { rounds: 20, maxDepth: 5 });
    // Two groups of eight trees walked in step, with single trees (of other depths too) between them.
    const odd = randomForest(rng, p, 4, 3, (j) => [-0.5, 0, 0.5 + j / 10]).trees;
    const model = { ...trained, trees: [...trained.trees.slice(0, 10), ...odd, ...trained.trees.slice(10)] };
    const fast = compileModel(model).fast;
    expect(fast).not.toBeNull();
    expect(Array.from(fast!.treeGroup).filter((g) => g >= 0)).toHaveLength(2);
    expectSameMargins(predictMargins(model, x, n), predictMarginsGeneral(model, x, n));
    // Missing values in the first rows only: blocks with and without them in one call.
    const firstRows = x.map((v, k) => (v !== v && k % n >= 300 ? 0.25 : v));
    expectSameMargins(predictMargins(model, firstRows, n), predictMarginsGeneral(model, firstRows, n));
  });

  it('falls back to the general walk for categorical splits and deep trees', () => {
    const rng = new SplitMix64(15);
    const deep = randomForest(rng, 3, 4, 14, uniformPool);
    const deepest = Math.max(...compileModel(deep).depths);
    if (deepest > 10) expect(compileModel(deep).fast).toBeNull();
    const n = 2000;
    const x = trickyInputs(rng, n, 3, uniformPool, true);
    expectSameMargins(predictMargins(deep, x, n), predictMarginsGeneral(deep, x, n));

    const cat = randomForest(rng, 3, 5, 4, uniformPool);
    cat.categoricalFeatures = [2];
    cat.trees[0].categories[0] = [1, 3];
    cat.trees[0].feature[0] = 2;
    expect(compileModel(cat).fast).toBeNull();
    expectSameMargins(predictMargins(cat, x, n), predictMarginsGeneral(cat, x, n));
  });

  it('rejects bad thread counts', () => {
    const model = randomForest(new SplitMix64(16), 2, 2, 2, uniformPool);
    expect(() => predictMargins(model, new Float32Array(2), 1, undefined, { numThreads: 0 })).toThrow(RangeError);
  });
});
