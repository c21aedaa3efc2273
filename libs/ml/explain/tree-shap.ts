import { FeatureMatrix } from '../gbdt/booster';
import { categoricalTerm, CompiledLinear, compileLinear, numericTerm } from '../gbdt/linear-term';
import { GbdtModel, TreeJson } from '../gbdt/model-format';
import { MAX_CATEGORY_CODE } from '../gbdt/quantile-binner';
import { leafShapley, shapleyWeightTable } from './path-shapley';

/**
 * Exact TreeSHAP (path-dependent, Lundberg et al. 2018) for our models: per row, each feature's share of
 * margin − baseValue, where baseValue is the margin expected over the training data (cover-weighted
 * leaves). Contributions plus the base value equal the model's margin (up to float rounding), and a
 * linear part (version 2 models) adds coef × (value − mean) per feature, exactly.
 *
 * How a row is explained (O(leaves · depth) per tree, "Fast TreeSHAP v2", Yang 2021): a leaf's
 * contribution depends on the row only through its hot mask (which of the leaf's distinct path features
 * the row follows, path-shapley.ts), so each leaf gets a table of its contributions for all 2^D masks
 * (while the table budget lasts; other leaves compute theirs in O(D²)). A feature's bit on a path is fixed
 * by its first node from the root, hence the same for every leaf below that node: one pass over a tree's
 * nodes gives every leaf its mask (the branch the row does not take clears the node's bit). Rows go in
 * blocks, tree by tree, so a tree's tables stay in cache. Missing values and categorical codes go the
 * way prediction sends them.
 */

export interface TreeExplainer {
  numFeatures: number;
  featureNames: string[];
  /** Expected margin over the training data: margin = baseValue + Σ contributions. */
  baseValue: number;
  trees: ExplainTree[];
  linear: CompiledLinear | null;
  /** Per-leaf contribution tables of all trees (see ExplainTree.tableAt). */
  tables: Float64Array;
  maxPathFeatures: number;
}

interface ExplainTree {
  nodes: number;
  feature: Int32Array;
  threshold: Float64Array;
  defaultLeft: Uint8Array;
  /** Per node: offset of its 256-bit category set in catBits, or -1 for a numeric node. */
  catOffset: Int32Array;
  catBits: Uint32Array;
  left: Int32Array;
  right: Int32Array;
  /** Bit of the node's feature in the masks of the leaves below it. */
  bit: Int32Array;
  leaves: number;
  value: Float64Array;
  /** Distinct path features of each leaf: features/zeroFraction[pathAt[l] .. pathAt[l] + pathLength[l]). */
  pathAt: Int32Array;
  pathLength: Int32Array;
  pathFeature: Int32Array;
  zeroFraction: Float64Array;
  /** Offset of the leaf's table (2^D rows of D contributions) in TreeExplainer.tables, or -1. */
  tableAt: Int32Array;
}

export interface ExplainerOptions {
  /**
   * Rows whose counts stand in for the covers of a model trained before leaf covers were recorded
   * (e.g. the rows being explained). Ignored when every tree has its covers.
   */
  background?: FeatureMatrix;
  /** Numbers the contribution tables may hold (default 4M, 32 MB); leaves beyond compute on the fly. */
  tableBudget?: number;
}

/** Distinct path features a mask can hold (bits of an int32). */
const MAX_PATH_FEATURES = 30;
/** Leaves with more distinct path features than this are not tabled (2^D rows). */
const MAX_TABLED_PATH = 10;
const DEFAULT_TABLE_BUDGET = 4 << 20;
const BLOCK = 128;
const CAT_WORDS = 8;

/** Whether a value goes left at a node, as prediction decides (NaN and codes outside 0..253 take the default). */
function goesLeft(t: ExplainTree, k: number, v: number): boolean {
  if (v !== v) return t.defaultLeft[k] === 1;
  const co = t.catOffset[k];
  if (co < 0) return (v > Number.MAX_VALUE ? Number.MAX_VALUE : v) <= t.threshold[k];
  if (!(v >= 0 && v <= MAX_CATEGORY_CODE)) return t.defaultLeft[k] === 1;
  const c = v | 0;
  return ((t.catBits[co + (c >>> 5)] >>> (c & 31)) & 1) === 1;
}

/** Row counts reaching each node and leaf of a tree (covers from data). */
function coversFromRows(t: ExplainTree, bg: FeatureMatrix): { node: Float64Array; leaf: Float64Array } {
  const node = new Float64Array(t.nodes);
  const leaf = new Float64Array(t.leaves);
  for (let i = 0; i < bg.n; i++) {
    let ref = t.nodes > 0 ? 0 : -1;
    while (ref >= 0) {
      node[ref]++;
      ref = goesLeft(t, ref, bg.x[t.feature[ref] * bg.n + i]) ? t.left[ref] : t.right[ref];
    }
    leaf[~ref]++;
  }
  return { node, leaf };
}

function structureOf(tree: TreeJson): ExplainTree {
  const nodes = tree.feature.length;
  let catNodes = 0;
  for (const c of tree.categories) if (c) catNodes++;
  const t: ExplainTree = {
    nodes,
    feature: Int32Array.from(tree.feature),
    threshold: Float64Array.from(tree.threshold),
    defaultLeft: Uint8Array.from(tree.defaultLeft, (d) => (d ? 1 : 0)),
    catOffset: new Int32Array(nodes).fill(-1),
    catBits: new Uint32Array(catNodes * CAT_WORDS),
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    bit: new Int32Array(nodes),
    leaves: nodes + 1,
    value: Float64Array.from(tree.leafValue),
    pathAt: new Int32Array(nodes + 1),
    pathLength: new Int32Array(nodes + 1),
    pathFeature: new Int32Array(0),
    zeroFraction: new Float64Array(0),
    tableAt: new Int32Array(nodes + 1).fill(-1),
  };
  let at = 0;
  tree.categories.forEach((cats, k) => {
    if (!cats) return;
    t.catOffset[k] = at;
    for (const c of cats) if (c >= 0 && c <= MAX_CATEGORY_CODE) t.catBits[at + (c >>> 5)] |= 1 << (c & 31);
    at += CAT_WORDS;
  });
  return t;
}

/** Walks every root-to-leaf path: bits of the nodes, distinct path features and zero fractions of the leaves. */
function describePaths(t: ExplainTree, nodeCover: ArrayLike<number>, leafCover: ArrayLike<number>): number {
  const paths: { features: number[]; z: number[] }[] = new Array(t.leaves);
  const coverOf = (ref: number) => Math.max(0, ref >= 0 ? nodeCover[ref] : leafCover[~ref]);
  const visit = (ref: number, features: number[], z: number[]): void => {
    if (ref < 0) {
      paths[~ref] = { features, z };
      return;
    }
    const f = t.feature[ref];
    let b = features.indexOf(f);
    if (b < 0) {
      b = features.length;
      if (b >= MAX_PATH_FEATURES) throw new RangeError(`explain: a path has more than ${MAX_PATH_FEATURES} distinct features`);
      features = [...features, f];
      z = [...z, 1];
    }
    t.bit[ref] = b;
    const cl = coverOf(t.left[ref]);
    const cr = coverOf(t.right[ref]);
    const shareLeft = cl + cr > 0 ? cl / (cl + cr) : 0.5;
    const zl = z.slice();
    zl[b] *= shareLeft;
    const zr = z.slice();
    zr[b] *= 1 - shareLeft;
    visit(t.left[ref], features, zl);
    visit(t.right[ref], features, zr);
  };
  visit(t.nodes > 0 ? 0 : -1, [], []);
  let total = 0;
  for (let l = 0; l < t.leaves; l++) {
    t.pathAt[l] = total;
    t.pathLength[l] = paths[l].features.length;
    total += paths[l].features.length;
  }
  t.pathFeature = new Int32Array(total);
  t.zeroFraction = new Float64Array(total);
  let expected = 0;
  for (let l = 0; l < t.leaves; l++) {
    t.pathFeature.set(paths[l].features, t.pathAt[l]);
    t.zeroFraction.set(paths[l].z, t.pathAt[l]);
    expected += t.value[l] * paths[l].z.reduce((a, b) => a * b, 1);
  }
  return expected;
}

/**
 * Prepares a model for explanation: covers (the model's, or counted on `options.background`), path
 * fractions, the base value and the contribution tables.
 */
export function compileExplainer(model: GbdtModel, options: ExplainerOptions = {}): TreeExplainer {
  const budget = options.tableBudget ?? DEFAULT_TABLE_BUDGET;
  const weights = shapleyWeightTable(MAX_PATH_FEATURES);
  const poly = new Float64Array(MAX_PATH_FEATURES + 1);
  let baseValue = model.baseMargin;
  let maxPathFeatures = 0;
  const pending: { t: ExplainTree; l: number; size: number }[] = [];
  let tableSize = 0;
  const trees = model.trees.map((tree, ti) => {
    const t = structureOf(tree);
    let covers: { node: ArrayLike<number>; leaf: ArrayLike<number> };
    if (tree.leafCover) covers = { node: tree.cover, leaf: tree.leafCover };
    else if (t.nodes === 0) covers = { node: [], leaf: [1] };
    else if (options.background) covers = coversFromRows(t, options.background);
    else throw new Error(`explain: tree ${ti} has no leaf covers (a model trained before they were recorded): pass background rows`);
    baseValue += describePaths(t, covers.node, covers.leaf);
    for (let l = 0; l < t.leaves; l++) {
      const D = t.pathLength[l];
      maxPathFeatures = Math.max(maxPathFeatures, D);
      const size = D * 2 ** D;
      if (D > 0 && D <= MAX_TABLED_PATH && tableSize + size <= budget) {
        pending.push({ t, l, size });
        tableSize += size;
      }
    }
    return t;
  });
  const tables = new Float64Array(tableSize);
  let at = 0;
  for (const { t, l, size } of pending) {
    t.tableAt[l] = at;
    const D = t.pathLength[l];
    for (let mask = 0; mask < 1 << D; mask++) {
      leafShapley(t.zeroFraction, t.pathAt[l], D, t.value[l], mask, weights, poly, tables, at + mask * D);
    }
    at += size;
  }
  const linear = model.linear ? compileLinear(model.linear) : null;
  if (linear) {
    baseValue += linear.intercept;
    for (const term of [...linear.numeric, ...linear.categorical]) baseValue += term.mean;
  }
  return { numFeatures: model.numFeatures, featureNames: model.featureNames, baseValue, trees, linear, tables, maxPathFeatures };
}

/**
 * Contributions of rows [from, to) of a column-major matrix of n rows (feature j of row i at j*n + i):
 * out[(i − from)*p + j] is feature j's share of row i's margin − baseValue (row-major, p = numFeatures).
 */
export function explainRows(
  explainer: TreeExplainer,
  x: Float32Array | Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n * explainer.numFeatures),
  from = 0,
  to = n,
): Float64Array {
  const p = explainer.numFeatures;
  if (x.length !== n * p) throw new RangeError(`explain: expected ${n}x${p} values, got ${x.length}`);
  if (!(0 <= from && from <= to && to <= n)) throw new RangeError(`explain: rows [${from}, ${to}) outside [0, ${n})`);
  if (out.length < (to - from) * p) throw new RangeError(`explain: output has room for ${out.length} of ${(to - from) * p} contributions`);
  out.fill(0, 0, (to - from) * p);
  const block = new Float64Array(BLOCK * p);
  const weights = shapleyWeightTable(Math.max(1, explainer.maxPathFeatures));
  const poly = new Float64Array(explainer.maxPathFeatures + 1);
  const leafOut = new Float64Array(explainer.maxPathFeatures);
  let maxNodes = 0;
  for (const t of explainer.trees) maxNodes = Math.max(maxNodes, t.nodes);
  const nodeMask = new Int32Array(maxNodes);
  const leafMask = new Int32Array(maxNodes + 1);
  const { tables } = explainer;
  for (let b0 = from; b0 < to; b0 += BLOCK) {
    const m = Math.min(BLOCK, to - b0);
    for (let j = 0; j < p; j++) for (let i = 0; i < m; i++) block[i * p + j] = x[j * n + b0 + i];
    for (const t of explainer.trees) {
      if (t.nodes === 0) continue;
      const { feature, left, right, bit, pathAt, pathLength, pathFeature, tableAt } = t;
      for (let i = 0; i < m; i++) {
        const row = i * p;
        const o = (b0 - from + i) * p;
        nodeMask[0] = -1;
        for (let k = 0; k < t.nodes; k++) {
          const mk = nodeMask[k];
          const off = mk & ~(1 << bit[k]);
          const toLeft = goesLeft(t, k, block[row + feature[k]]);
          const lm = toLeft ? mk : off;
          const rm = toLeft ? off : mk;
          const l = left[k];
          const r = right[k];
          if (l >= 0) nodeMask[l] = lm;
          else leafMask[~l] = lm;
          if (r >= 0) nodeMask[r] = rm;
          else leafMask[~r] = rm;
        }
        for (let l = 0; l < t.leaves; l++) {
          const D = pathLength[l];
          const pa = pathAt[l];
          const hot = leafMask[l] & ((1 << D) - 1);
          let ta = tableAt[l];
          let src = tables;
          if (ta < 0) {
            leafShapley(t.zeroFraction, pa, D, t.value[l], hot, weights, poly, leafOut, 0);
            src = leafOut;
            ta = 0;
          } else ta += hot * D;
          for (let d = 0; d < D; d++) out[o + pathFeature[pa + d]] += src[ta + d];
        }
      }
    }
    if (explainer.linear) addLinearContributions(explainer.linear, block, p, m, out, (b0 - from) * p);
  }
  return out;
}

function addLinearContributions(linear: CompiledLinear, block: Float64Array, p: number, m: number, out: Float64Array, at: number): void {
  for (const t of linear.numeric) {
    for (let i = 0; i < m; i++) out[at + i * p + t.feature] += numericTerm(t, block[i * p + t.feature]) - t.mean;
  }
  for (const t of linear.categorical) {
    for (let i = 0; i < m; i++) out[at + i * p + t.feature] += categoricalTerm(t, block[i * p + t.feature]) - t.mean;
  }
}
