import { bucketIndex, paddedCuts, rankValues } from './bucket-index';
import { GbdtModel } from './model-format';
import { SimdWalk, SimdWalkModule, simdWalkInstance, simdWalkModule } from './simd-walk';

/**
 * The fast prediction layout of a numeric forest (no categorical split, no tree deeper than
 * FAST_MAX_DEPTH, at most 254 distinct thresholds per feature, as every model trained here has):
 *
 * - Inputs are quantized once per block of rows to their rank among the forest's thresholds of that
 *   feature: code(x) = number of thresholds t < x, so x <= t_k exactly when code(x) <= k. A tree then
 *   compares bytes, not doubles, and a block of BLOCK_ROWS rows is 2 x numFeatures x BLOCK_ROWS bytes.
 * - Missing values: each feature is written twice, as A (codes 0..254, NaN = 255: missing goes right
 *   at any threshold) and B (codes + 1, NaN = 0: missing goes left). A node reads A when its missing
 *   values go right and B (threshold + 1) when they go left, so the walk never tests for NaN. A block
 *   without missing values (the usual case) skips B: its walk reads A at every node (`wordNoMissing`).
 * - Trees are padded to complete binary trees in heap order (children of h at 2h+1, 2h+2): a row takes
 *   exactly `depth` steps of `h = 2h + 1 + (threshold < code)`, with no child arrays and no branch on
 *   the data. Padding nodes send everything left (threshold 255); every leaf under a padded leaf holds
 *   its value.
 * - Where WebAssembly SIMD is there and no tree is deeper than 7, the walk is a WebAssembly function
 *   generated for the forest (simd-walk.ts), sixteen rows a vector, about twice as fast. Otherwise:
 * - Runs of eight trees of one depth are also stored interleaved, and a row walks all eight in step
 *   (fastWalk with `trees`); other trees are walked eight rows in step (fastWalk without).
 *
 * Decisions are exactly those of the float64 walk (±Infinity count as ±Number.MAX_VALUE, as in
 * training), and margins are summed in the same order (base margin, then tree by tree), so the results
 * are bitwise identical. All arrays live on SharedArrayBuffers, so worker threads can use them as they are.
 */
export interface FastForest {
  numFeatures: number;
  baseMargin: number;
  blockRows: number;
  numTrees: number;
  treeDepth: Int32Array;
  /** First node word of each tree. */
  treeNode: Int32Array;
  /** Index in `leaf` of heap slot 0 of each tree (its leaves are heap slots 2^depth - 1 .. 2^(depth+1) - 2). */
  treeLeaf: Int32Array;
  /** Per node: (row offset of its feature's codes in the block) << 8 | byte threshold. */
  word: Int32Array;
  /** The same nodes reading codes A only (equal decisions on values that are not missing). */
  wordNoMissing: Int32Array;
  leaf: Float64Array;
  /**
   * Runs of GROUP_TREES consecutive trees of one depth (at least 1) are also stored interleaved, for
   * the walk of one row through all of them in step (treesInStepSource): node k of the group's tree l at
   * groupWord[base + GROUP_TREES * k + l], leaf j at groupLeaf[leafBase + GROUP_TREES * j + l].
   * treeGroup[t] is that base for the first tree t of a group, else -1; groupLeafAt[t] its leaf base
   * less GROUP_TREES x (2^depth - 1), so that the walk's final index reads the leaf directly.
   */
  treeGroup: Int32Array;
  groupLeafAt: Int32Array;
  groupWord: Int32Array;
  groupWordNoMissing: Int32Array;
  groupLeaf: Float64Array;
  /** Features some node splits on. */
  usedFeatures: Int32Array;
  /** Per used feature: where its edges start: its K thresholds t_0..t_K-1 ascending (Number.MAX_VALUE as +Infinity), then perBucket + 1 times +Infinity. */
  edgeStart: Int32Array;
  edges: Float64Array;
  /**
   * Per used feature, its bucket index (see bucket-index.ts): value v falls in bucket
   * min(top, max(0, floor((v - low) * scale))); bucketCodes[bucketStart + bucket] is the number of
   * thresholds in lower buckets, so code(v) is that plus perBucket comparisons.
   */
  low: Float64Array;
  scale: Float64Array;
  bucketTop: Int32Array;
  bucketStart: Int32Array;
  perBucket: Int32Array;
  bucketCodes: Uint8Array;
}

/** Rows per block: its codes (2 x 40 x 128 bytes for 40 features) stay in L1 while all trees run over them. */
export const BLOCK_ROWS = 128;
export const FAST_MAX_DEPTH = 10;
/** Trees a row walks through in step (see FastForest.treeGroup; the kernels have the 8 written out). */
const GROUP_TREES = 8;
/** Largest row offset a node word can hold (24 bits). */
const MAX_OFFSET = 1 << 23;

function shared<T extends Int32Array | Float64Array | Uint8Array>(ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  return new ctor(new SharedArrayBuffer(Math.max(1, length) * ctor.BYTES_PER_ELEMENT)).subarray(0, length) as T;
}

/** Number of sorted thresholds t with t < v (binary search). */
function rankOf(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The fast layout of a model, or null when it has categorical splits, deep trees or too many thresholds. */
export function compileFastForest(model: GbdtModel): FastForest | null {
  const p = model.numFeatures;
  if (2 * p * BLOCK_ROWS >= MAX_OFFSET) return null;
  const sets: Set<number>[] = Array.from({ length: p }, () => new Set<number>());
  const depths: number[] = [];
  for (const t of model.trees) {
    for (let k = 0; k < t.feature.length; k++) {
      if (t.categories[k]) return null;
      // +0 for -0: one rank for both zeros.
      sets[t.feature[k]].add(t.threshold[k] + 0);
    }
    const depthOf = (ref: number): number => (ref < 0 ? 0 : 1 + Math.max(depthOf(t.left[ref]), depthOf(t.right[ref])));
    const d = t.feature.length > 0 ? depthOf(0) : 0;
    if (d > FAST_MAX_DEPTH) return null;
    depths.push(d);
  }
  if (sets.some((s) => s.size > 254)) return null;
  const cuts = sets.map((s) => Float64Array.from(s).sort());
  const used = cuts.flatMap((c, j) => (c.length > 0 ? [j] : []));
  const T = model.trees.length;
  const f: FastForest = {
    numFeatures: p,
    baseMargin: model.baseMargin,
    blockRows: BLOCK_ROWS,
    numTrees: T,
    treeDepth: shared(Int32Array, T),
    treeNode: shared(Int32Array, T),
    treeLeaf: shared(Int32Array, T),
    word: shared(Int32Array, depths.reduce((s, d) => s + (1 << d) - 1, 0)),
    wordNoMissing: shared(Int32Array, depths.reduce((s, d) => s + (1 << d) - 1, 0)),
    leaf: shared(Float64Array, depths.reduce((s, d) => s + (1 << d), 0)),
    treeGroup: shared(Int32Array, T).fill(-1),
    groupLeafAt: shared(Int32Array, T),
    groupWord: shared(Int32Array, 0),
    groupWordNoMissing: shared(Int32Array, 0),
    groupLeaf: shared(Float64Array, 0),
    usedFeatures: shared(Int32Array, used.length),
    edgeStart: shared(Int32Array, used.length),
    edges: shared(Float64Array, 0),
    low: shared(Float64Array, used.length),
    scale: shared(Float64Array, used.length),
    bucketTop: shared(Int32Array, used.length),
    bucketStart: shared(Int32Array, used.length),
    perBucket: shared(Int32Array, used.length),
    bucketCodes: shared(Uint8Array, 0),
  };
  const edges: number[] = [];
  const buckets: Uint8Array[] = [];
  let bucketBase = 0;
  let e = 0;
  used.forEach((j, u) => {
    const index = bucketIndex(cuts[j]);
    f.usedFeatures[u] = j;
    f.low[u] = index.low;
    f.scale[u] = index.scale;
    f.bucketTop[u] = index.top;
    f.bucketStart[u] = bucketBase;
    f.perBucket[u] = index.perBucket;
    buckets.push(index.start);
    bucketBase += index.start.length;
    f.edgeStart[u] = e;
    // A threshold of Number.MAX_VALUE becomes +Infinity among the edges: then #(edges < v) is
    // #(thresholds < v) for every finite v and for v = ±Infinity taken as ±Number.MAX_VALUE, with no clamp.
    const padded = paddedCuts(cuts[j], index.perBucket).map((c) => (c === Number.MAX_VALUE ? Infinity : c));
    edges.push(...padded);
    e += padded.length;
  });
  f.edges = shared(Float64Array, e);
  f.edges.set(edges);
  f.bucketCodes = shared(Uint8Array, bucketBase);
  let at = 0;
  for (const b of buckets) {
    f.bucketCodes.set(b, at);
    at += b.length;
  }
  const B = BLOCK_ROWS;
  let nodeBase = 0;
  let leafBase = 0;
  model.trees.forEach((t, ti) => {
    const D = depths[ti];
    f.treeDepth[ti] = D;
    f.treeNode[ti] = nodeBase;
    f.treeLeaf[ti] = leafBase - ((1 << D) - 1);
    // Padding: feature 0, code A, threshold 255: every row goes left.
    f.word.fill(255, nodeBase, nodeBase + (1 << D) - 1);
    f.wordNoMissing.fill(255, nodeBase, nodeBase + (1 << D) - 1);
    const fill = (ref: number, h: number, d: number): void => {
      if (ref < 0) {
        const span = 1 << (D - d);
        const first = ((h + 1) << (D - d)) - 1 - ((1 << D) - 1);
        f.leaf.fill(t.leafValue[~ref], leafBase + first, leafBase + first + span);
        return;
      }
      const j = t.feature[ref];
      const k = rankOf(cuts[j], t.threshold[ref] + 0);
      f.word[nodeBase + h] = t.defaultLeft[ref] ? (((p + j) * B) << 8) | (k + 1) : ((j * B) << 8) | k;
      f.wordNoMissing[nodeBase + h] = ((j * B) << 8) | k;
      fill(t.left[ref], 2 * h + 1, d + 1);
      fill(t.right[ref], 2 * h + 2, d + 1);
    };
    fill(t.feature.length > 0 ? 0 : -1, 0, 0);
    nodeBase += (1 << D) - 1;
    leafBase += 1 << D;
  });
  interleaveGroups(f);
  return f;
}

/** Finds the runs of GROUP_TREES trees of one depth and lays them out interleaved (see FastForest.treeGroup). */
function interleaveGroups(f: FastForest): void {
  const G = GROUP_TREES;
  const starts: number[] = [];
  for (let t = 0; t + G <= f.numTrees; ) {
    const D = f.treeDepth[t];
    let same = D > 0;
    for (let l = 1; l < G && same; l++) same = f.treeDepth[t + l] === D;
    if (same) {
      starts.push(t);
      t += G;
    } else t++;
  }
  const words = starts.reduce((s, t) => s + G * ((1 << f.treeDepth[t]) - 1), 0);
  const leaves = starts.reduce((s, t) => s + G * (1 << f.treeDepth[t]), 0);
  f.groupWord = shared(Int32Array, words);
  f.groupWordNoMissing = shared(Int32Array, words);
  f.groupLeaf = shared(Float64Array, leaves);
  let wordBase = 0;
  let leafBase = 0;
  for (const t0 of starts) {
    const internal = (1 << f.treeDepth[t0]) - 1;
    f.treeGroup[t0] = wordBase;
    f.groupLeafAt[t0] = leafBase - G * internal;
    for (let l = 0; l < G; l++) {
      const t = t0 + l;
      for (let k = 0; k < internal; k++) {
        f.groupWord[wordBase + G * k + l] = f.word[f.treeNode[t] + k];
        f.groupWordNoMissing[wordBase + G * k + l] = f.wordNoMissing[f.treeNode[t] + k];
      }
      for (let j = 0; j <= internal; j++) f.groupLeaf[leafBase + G * j + l] = f.leaf[f.treeLeaf[t] + internal + j];
    }
    wordBase += G * internal;
    leafBase += G * (internal + 1);
  }
}

/*
 * The kernels below also run in prediction worker threads from their source text (see
 * predict-threads.ts): they may use only their arguments, each other and JavaScript built-ins.
 * Compiled code reaches an imported function through its module object, so the kernels call
 * bucket-index's rankValues and simd-walk's simdWalkInstance under local names, which the worker
 * source binds to their text too.
 */
const rankColumn = rankValues;
const simdInstance = simdWalkInstance;

/**
 * What one thread predicts with: the block of codes (2 x numFeatures x blockRows bytes), and the
 * thread's instance of the forest's SIMD walk, whose memory then holds the block, or null for the
 * JavaScript walk.
 */
export interface FastScratch {
  blk: Uint8Array;
  simd: SimdWalk | null;
}

/**
 * A thread's scratch, with its own instance of the SIMD walk when given one. V8 reserves address space
 * for every WebAssembly memory; should that run out, the JavaScript walk does the work.
 */
export function fastScratch(F: FastForest, simd: SimdWalkModule | null): FastScratch {
  if (simd) {
    try {
      const s = simdInstance(simd, F);
      return { blk: s.blk, simd: s };
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  return { blk: new Uint8Array(2 * F.numFeatures * F.blockRows), simd: null };
}

/** Calls with fewer rows take the JavaScript walk (generating a forest's SIMD walk takes milliseconds). */
export const SIMD_MIN_ROWS = 1024;
const callerScratches = new WeakMap<FastForest, FastScratch>();

/** The calling thread's scratch for a call of `rows` rows (its SIMD instance is made once per forest). */
export function callerScratch(F: FastForest, rows: number): FastScratch {
  if (rows < SIMD_MIN_ROWS) return fastScratch(F, null);
  let s = callerScratches.get(F);
  if (!s) {
    s = fastScratch(F, simdWalkModule(F));
    callerScratches.set(F, s);
  }
  return s;
}

/**
 * Margins of `count` rows of a column-major matrix (feature j of row i at j*stride + i), rows
 * xStart.. of it, into out[outStart..], block by block: quantized here, walked by the scratch's SIMD
 * walk or, without one, by fastWalkBlock (the same margins, bitwise).
 */
export function fastPredictRange(
  F: FastForest,
  x: Float32Array | Float64Array,
  stride: number,
  xStart: number,
  count: number,
  out: Float64Array,
  outStart: number,
  scratch: FastScratch,
): void {
  const B = F.blockRows;
  const { blk, simd } = scratch;
  for (let b = 0; b < count; b += B) {
    const m = count - b < B ? count - b : B;
    const missing = fastQuantizeBlock(F, x, stride, xStart + b, m, blk);
    const o = outStart + b;
    if (simd) {
      simd.walk(missing ? 1 : 0, (m + 15) >> 4);
      const margins = simd.out;
      for (let i = 0; i < m; i++) out[o + i] = margins[i];
    } else {
      for (let i = 0; i < m; i++) out[o + i] = F.baseMargin;
      fastWalkBlock(F, missing, blk, m, out, o);
    }
  }
}

/** Codes A of every used feature for rows r0..r0+m-1, and codes B if one is missing (returns whether; see FastForest). */
export function fastQuantizeBlock(F: FastForest, x: Float32Array | Float64Array, stride: number, r0: number, m: number, blk: Uint8Array): boolean {
  const { usedFeatures } = F;
  const B = F.blockRows;
  let missing = false;
  for (let u = 0; u < usedFeatures.length; u++) {
    const j = usedFeatures[u];
    const col = (j * stride + r0) | 0;
    const a = (j * B) | 0;
    const ranked = rankColumn(x, col, m, F.low[u], F.scale[u], F.bucketTop[u], F.perBucket[u], F.bucketCodes, F.bucketStart[u], F.edges, F.edgeStart[u], blk, a, 0);
    if (ranked) missing = true;
  }
  if (!missing) return false;
  const pB = F.numFeatures * B;
  for (let u = 0; u < usedFeatures.length; u++) {
    const a = usedFeatures[u] * B;
    // B = A + 1, and 255 (missing) wraps to 0.
    for (let i = 0; i < m; i++) blk[a + pB + i] = (blk[a + i] + 1) & 255;
  }
  return true;
}

/**
 * Adds every tree's leaf value to out[o + i] for the m rows of a quantized block, tree by tree: a
 * group of trees (see FastForest.treeGroup) one row at a time through all of them in step, any other
 * tree eight rows in step. A block with a missing value reads F.word, one without F.wordNoMissing.
 */
export function fastWalkBlock(F: FastForest, missing: boolean, blk: Uint8Array, m: number, out: Float64Array, o: number): void {
  const { treeDepth, treeNode, treeLeaf, leaf, treeGroup, groupLeafAt, groupLeaf } = F;
  const word = missing ? F.word : F.wordNoMissing;
  const groupWord = missing ? F.groupWord : F.groupWordNoMissing;
  const m8 = m - (m % 8);
  for (let t = 0; t < F.numTrees; ) {
    const depth = treeDepth[t];
    if (treeGroup[t] >= 0) {
      fastWalk(true, depth)(groupWord, blk, groupLeaf, treeGroup[t], groupLeafAt[t], m, out, o);
      t += 8;
      continue;
    }
    const nb = treeNode[t];
    const lb = treeLeaf[t];
    if (depth === 0) {
      const v = leaf[lb];
      for (let i = 0; i < m; i++) out[o + i] += v;
    } else {
      if (m8 > 0) fastWalk(false, depth)(word, blk, leaf, nb, lb, m8, out, o);
      if (m8 < m) fastWalkRest(word, blk, leaf, nb, depth, lb, m8, m, out, o);
    }
    t++;
  }
}

/**
 * A generated walk of a block's rows, words from `base`, leaves at `leafBase`: through one tree (rows
 * 0..m-1, m a multiple of eight) or through the eight trees of a group (any m; see FastForest.treeGroup).
 */
export type FastWalk = (word: Int32Array, blk: Uint8Array, leaf: Float64Array, base: number, leafBase: number, m: number, out: Float64Array, o: number) => void;

/**
 * The walk of eight trees in step (`trees`) or of one tree eight rows in step, for trees of `depth`
 * levels, its levels written out: without a loop over levels, whose every iteration V8 starts by
 * re-checking the typed arrays, the walk takes ~7% less time. Generated once per kind, depth and thread.
 */
export function fastWalk(trees: boolean, depth: number): FastWalk {
  const cache = fastWalk as unknown as { made?: FastWalk[] };
  const made = (cache.made ??= []);
  const key = (trees ? 16 : 0) + depth;
  made[key] ??= new Function('word', 'blk', 'leaf', 'base', 'leafBase', 'm', 'out', 'o', trees ? treesInStepSource(depth) : rowsInStepSource(depth)) as FastWalk;
  return made[key];
}

/**
 * One row at a time through the eight trees of a group. Tree l's index K = 8k + l (k its heap node)
 * steps to 8(2k + 1 + bit) + l = 2K + 8 - l + 8·bit, so the eight walks share the row's offset and take
 * constants instead of eight row offsets: fewer values than registers, ~8% less time than eight rows
 * through one tree. The leaves are added in tree order, as tree by tree.
 */
export function treesInStepSource(depth: number): string {
  const trees = [0, 1, 2, 3, 4, 5, 6, 7];
  const level = () =>
    '{\n' +
    trees.map((l) => `const w${l} = word[(base + K${l}) | 0];\n`).join('') +
    trees.map((l) => `K${l} = (2 * K${l} + ${8 - l} + ((((w${l} & 255) - blk[(i + (w${l} >> 8)) | 0]) >>> 31) << 3)) | 0;\n`).join('') +
    '}\n';
  return `
    ${trees.map((l) => `const rf${l} = word[base + ${l}] >> 8; const rt${l} = word[base + ${l}] & 255;`).join('\n')}
    for (let i = 0; i < m; i++) {
      ${trees.map((l) => `let K${l} = (${8 + l} + (((rt${l} - blk[(i + rf${l}) | 0]) >>> 31) << 3)) | 0;`).join('\n')}
      ${Array.from({ length: depth - 1 }, level).join('')}
      let s = out[o + i];
      ${trees.map((l) => `s += leaf[(leafBase + K${l}) | 0];`).join('\n')}
      out[o + i] = s;
    }`;
}

/** Eight rows in step through one tree (heap node k of row l in k_l). The root is the same node for every row. */
export function rowsInStepSource(depth: number): string {
  const lanes = [0, 1, 2, 3, 4, 5, 6, 7];
  const level = () =>
    '{\n' +
    lanes.map((l) => `const w${l} = word[(base + k${l}) | 0];\n`).join('') +
    lanes.map((l) => `k${l} = (2 * k${l} + 1 + (((w${l} & 255) - blk[(i + ${l} + (w${l} >> 8)) | 0]) >>> 31)) | 0;\n`).join('') +
    '}\n';
  return `
    const rootFeature = word[base] >> 8;
    const rootThreshold = word[base] & 255;
    for (let i = 0; i < m; i += 8) {
      const q = (i + rootFeature) | 0;
      ${lanes.map((l) => `let k${l} = (1 + ((rootThreshold - blk[q + ${l}]) >>> 31)) | 0;`).join('\n')}
      ${Array.from({ length: depth - 1 }, level).join('')}
      const r = o + i;
      ${lanes.map((l) => `out[r + ${l}] += leaf[leafBase + k${l}];`).join('\n')}
    }`;
}

/** Rows m8..m-1 one at a time (kept apart from the hot loop, which V8 would otherwise deoptimise). */
export function fastWalkRest(
  word: Int32Array,
  blk: Uint8Array,
  leaf: Float64Array,
  nb: number,
  depth: number,
  lb: number,
  m8: number,
  m: number,
  out: Float64Array,
  o: number,
): void {
  for (let i = m8; i < m; i++) {
    let k = 0;
    for (let d = 0; d < depth; d++) {
      const w = word[nb + k];
      k = 2 * k + 1 + (((w & 255) - blk[i + (w >> 8)]) >>> 31);
    }
    out[o + i] += leaf[lb + k];
  }
}

/** Source text of the kernels, for worker threads. */
export function fastKernelSource(): string {
  const kernels = [fastScratch, fastPredictRange, fastQuantizeBlock, fastWalkBlock, fastWalk, treesInStepSource, rowsInStepSource, fastWalkRest].map((fn) => fn.toString());
  return [`const rankColumn = ${rankValues.toString()};`, `const simdInstance = ${simdWalkInstance.toString()};`, ...kernels].join('\n');
}
