import * as os from 'os';
import { callerScratch, compileFastForest, FastForest, fastPredictRange } from './fast-forest';
import { addLinearTerm, CompiledLinear, compileLinear } from './linear-term';
import { GbdtModel } from './model-format';
import { fastPredictParallel } from './predict-threads';
import { MAX_CATEGORY_CODE } from './quantile-binner';

/**
 * A model's trees flattened into typed arrays over all nodes, leaves included. The children of a node
 * are adjacent (right = child + 1) and a leaf is its own child, so a row takes exactly `depths[t]`
 * steps through tree t: the numeric walk needs no branch on the data (see addTreesNumeric).
 */
export interface CompiledForest {
  numFeatures: number;
  baseMargin: number;
  roots: Int32Array;
  /** Depth of the deepest leaf of each tree. */
  depths: Int32Array;
  feature: Int32Array;
  /** Numeric split thresholds (x <= t goes left); +Infinity on leaves, so rows stay there. */
  threshold: Float64Array;
  child: Int32Array;
  /** 1 when missing values go right. */
  nanRight: Int32Array;
  /** Per node: offset of its 256-bit category set in catBits, or -1. */
  catOffset: Int32Array;
  catBits: Uint32Array;
  /** Leaf values (0 on internal nodes). */
  value: Float64Array;
  hasCategorical: boolean;
  /**
   * The quantized, heap-ordered layout that predictMargins uses when the forest allows it (numeric
   * splits only, depth <= 10, <= 254 thresholds per feature; see fast-forest.ts), else null. It gives
   * bitwise the same margins as the walk over the arrays above.
   */
  fast: FastForest | null;
  /** The model's linear part (version 2 models), added after the trees. */
  linear: CompiledLinear | null;
}

export interface PredictOptions {
  /**
   * Threads to predict on (the main thread and numThreads - 1 worker threads of a process-wide pool,
   * started on first use). Default: the number of CPUs, at most 4, for at least
   * PARALLEL_MIN_ROWS rows; one thread below that. The margins are the same for any thread count.
   */
  numThreads?: number;
}

/** Fewer rows are always predicted on the calling thread (handing them over would cost more). */
export const PARALLEL_MIN_ROWS = 32768;

function defaultThreads(): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cpus));
}

const CAT_WORDS = 8;
/** Rows per block: the block's features (transposed to row-major) stay in L1 while every tree runs over them. */
const BLOCK = 128;
/** Index of the high 32-bit word of a float64 in an Int32Array view (the one with the sign bit). */
const HI_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

export function compileModel(model: GbdtModel): CompiledForest {
  let size = 0;
  let catNodes = 0;
  for (const t of model.trees) {
    size += 2 * t.feature.length + 1;
    for (const c of t.categories) if (c) catNodes++;
  }
  const f: CompiledForest = {
    numFeatures: model.numFeatures,
    baseMargin: model.baseMargin,
    roots: new Int32Array(model.trees.length),
    depths: new Int32Array(model.trees.length),
    feature: new Int32Array(size),
    threshold: new Float64Array(size),
    child: new Int32Array(size),
    nanRight: new Int32Array(size),
    catOffset: new Int32Array(size).fill(-1),
    catBits: new Uint32Array(catNodes * CAT_WORDS),
    value: new Float64Array(size),
    hasCategorical: catNodes > 0,
    fast: compileFastForest(model),
    linear: model.linear ? compileLinear(model.linear) : null,
  };
  let next = 0;
  let catBase = 0;
  model.trees.forEach((t, ti) => {
    // Breadth-first, giving each internal node's two children consecutive slots.
    const queue: [ref: number, slot: number, depth: number][] = [[t.feature.length > 0 ? 0 : -1, next++, 0]];
    f.roots[ti] = queue[0][1];
    for (let qi = 0; qi < queue.length; qi++) {
      const [ref, slot, depth] = queue[qi];
      if (ref < 0) {
        f.threshold[slot] = Infinity;
        f.child[slot] = slot;
        f.value[slot] = t.leafValue[~ref];
        if (depth > f.depths[ti]) f.depths[ti] = depth;
        continue;
      }
      f.feature[slot] = t.feature[ref];
      // +0 for -0: the walk reads the sign of threshold - x, and -0 - +0 is -0.
      f.threshold[slot] = t.threshold[ref] + 0;
      f.nanRight[slot] = t.defaultLeft[ref] ? 0 : 1;
      const cats = t.categories[ref];
      if (cats) {
        f.catOffset[slot] = catBase;
        for (const c of cats) if (c >= 0 && c <= MAX_CATEGORY_CODE) f.catBits[catBase + (c >>> 5)] |= 1 << (c & 31);
        catBase += CAT_WORDS;
      }
      f.child[slot] = next;
      queue.push([t.left[ref], next, depth + 1], [t.right[ref], next + 1, depth + 1]);
      next += 2;
    }
  });
  return f;
}

const compiled = new WeakMap<GbdtModel, CompiledForest>();

function forestOf(model: GbdtModel | CompiledForest): CompiledForest {
  if (!('trees' in model)) return model;
  let f = compiled.get(model);
  if (!f) {
    f = compileModel(model);
    compiled.set(model, f);
  }
  return f;
}

/**
 * Margins (log-odds) for n rows of a column-major matrix (feature j of row i at j*n + i), on
 * `options.numThreads` threads (see PredictOptions). Forests with a fast layout run through it (see
 * fast-forest.ts); others through predictMarginsGeneral.
 */
export function predictMargins(
  model: GbdtModel | CompiledForest,
  x: Float32Array | Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n),
  options: PredictOptions = {},
): Float64Array {
  const f = forestOf(model);
  const p = f.numFeatures;
  if (x.length !== n * p) throw new RangeError(`gbdt predict: expected ${n}x${p} values, got ${x.length}`);
  if (out.length < n) throw new RangeError(`gbdt predict: output has room for ${out.length} of ${n} rows`);
  const threads = options.numThreads ?? (n >= PARALLEL_MIN_ROWS ? defaultThreads() : 1);
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`gbdt predict: numThreads must be a positive integer, got ${threads}`);
  if (!f.fast) return predictMarginsGeneral(f, x, n, out);
  if (threads > 1 && n >= PARALLEL_MIN_ROWS) fastPredictParallel(f.fast, x, n, out, threads - 1);
  else fastPredictRange(f.fast, x, n, 0, n, out, 0, callerScratch(f.fast, n));
  if (f.linear) addLinearTerm(f.linear, x, n, out);
  return out;
}

/**
 * The walk over the node arrays of any forest (categorical splits, any depth), on the calling thread.
 * Rows go in blocks: a block is transposed once (NaN recorded in `missing`, ±Infinity clamped to the
 * largest finite values, which is how training bins them), then each tree runs over the whole block.
 */
export function predictMarginsGeneral(
  model: GbdtModel | CompiledForest,
  x: Float32Array | Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  const f = forestOf(model);
  const p = f.numFeatures;
  if (x.length !== n * p) throw new RangeError(`gbdt predict: expected ${n}x${p} values, got ${x.length}`);
  const block = new Float64Array(BLOCK * p);
  const missing = new Int32Array(BLOCK * p);
  const acc = new Float64Array(BLOCK);
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const m = Math.min(BLOCK, n - b0);
    for (let j = 0; j < p; j++) {
      const col = j * n + b0;
      for (let i = 0; i < m; i++) {
        const v = x[col + i];
        const k = i * p + j;
        if (v !== v) {
          block[k] = 0;
          missing[k] = 1;
        } else {
          block[k] = v > Number.MAX_VALUE ? Number.MAX_VALUE : v < -Number.MAX_VALUE ? -Number.MAX_VALUE : v;
          missing[k] = 0;
        }
      }
    }
    acc.fill(f.baseMargin);
    if (f.hasCategorical) addTreesMixed(f, block, missing, p, m, acc);
    else addTreesNumeric(f, block, missing, p, m, acc);
    for (let i = 0; i < m; i++) out[b0 + i] = acc[i];
  }
  if (f.linear) addLinearTerm(f.linear, x, n, out);
  return out;
}

/**
 * Numeric forests without branches on the data (a mispredicted branch per level cost more than the
 * rest of the walk): "go right" is the sign bit of threshold - x, read through an Int32 view of a
 * float64, overridden by nanRight for missing values; four rows walk in step to overlap their loads.
 */
function addTreesNumeric(f: CompiledForest, block: Float64Array, missing: Int32Array, p: number, m: number, acc: Float64Array): void {
  const { roots, depths, feature, threshold, child, nanRight, value } = f;
  const diff = new Float64Array(4);
  const bits = new Int32Array(diff.buffer);
  const hi0 = HI_WORD;
  const hi1 = 2 + HI_WORD;
  const hi2 = 4 + HI_WORD;
  const hi3 = 6 + HI_WORD;
  const m4 = m & ~3;
  for (let t = 0; t < roots.length; t++) {
    const root = roots[t];
    const depth = depths[t];
    for (let i = 0; i < m4; i += 4) {
      const r0 = i * p;
      const r1 = r0 + p;
      const r2 = r1 + p;
      const r3 = r2 + p;
      let n0 = root;
      let n1 = root;
      let n2 = root;
      let n3 = root;
      for (let d = 0; d < depth; d++) {
        const k0 = r0 + feature[n0];
        const k1 = r1 + feature[n1];
        const k2 = r2 + feature[n2];
        const k3 = r3 + feature[n3];
        diff[0] = threshold[n0] - block[k0];
        diff[1] = threshold[n1] - block[k1];
        diff[2] = threshold[n2] - block[k2];
        diff[3] = threshold[n3] - block[k3];
        const s0 = bits[hi0] >>> 31;
        const s1 = bits[hi1] >>> 31;
        const s2 = bits[hi2] >>> 31;
        const s3 = bits[hi3] >>> 31;
        n0 = child[n0] + (s0 ^ (missing[k0] & (s0 ^ nanRight[n0])));
        n1 = child[n1] + (s1 ^ (missing[k1] & (s1 ^ nanRight[n1])));
        n2 = child[n2] + (s2 ^ (missing[k2] & (s2 ^ nanRight[n2])));
        n3 = child[n3] + (s3 ^ (missing[k3] & (s3 ^ nanRight[n3])));
      }
      acc[i] += value[n0];
      acc[i + 1] += value[n1];
      acc[i + 2] += value[n2];
      acc[i + 3] += value[n3];
    }
    for (let i = m4; i < m; i++) {
      const r = i * p;
      let node = root;
      for (let d = 0; d < depth; d++) {
        const k = r + feature[node];
        diff[0] = threshold[node] - block[k];
        const s = bits[hi0] >>> 31;
        node = child[node] + (s ^ (missing[k] & (s ^ nanRight[node])));
      }
      acc[i] += value[node];
    }
  }
}

function addTreesMixed(f: CompiledForest, block: Float64Array, missing: Int32Array, p: number, m: number, acc: Float64Array): void {
  const { roots, feature, threshold, child, nanRight, catOffset, catBits, value } = f;
  for (let t = 0; t < roots.length; t++) {
    const root = roots[t];
    for (let i = 0; i < m; i++) {
      const base = i * p;
      let node = root;
      while (child[node] !== node) {
        const k = base + feature[node];
        const v = block[k];
        const co = catOffset[node];
        let right: number;
        if (missing[k] === 1) right = nanRight[node];
        else if (co < 0) right = v <= threshold[node] ? 0 : 1;
        else if (v >= 0 && v <= MAX_CATEGORY_CODE) {
          const c = v | 0;
          right = ((catBits[co + (c >>> 5)] >>> (c & 31)) & 1) ^ 1;
        } else right = nanRight[node];
        node = child[node] + right;
      }
      acc[i] += value[node];
    }
  }
}

/** Probabilities of the positive class for n rows of a column-major matrix. */
export function predict(model: GbdtModel | CompiledForest, x: Float32Array | Float64Array, n: number, options: PredictOptions = {}): Float64Array {
  const out = predictMargins(model, x, n, new Float64Array(n), options);
  for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-out[i]));
  return out;
}
