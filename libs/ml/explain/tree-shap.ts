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
 * How a row is explained (after "Fast TreeSHAP v2", Yang 2021, which tables each leaf): a leaf's
 * contribution depends on the row only through its hot mask (which of the leaf's distinct path features
 * the row follows, path-shapley.ts). A feature's bit on a path is fixed by its first node from the root,
 * hence the same for every leaf below that node, and the branch a row does not take clears the node's
 * bit. So the contributions of all leaves below a node s of height ≤ 2 depend only on the mask reaching
 * s and on the row's directions at the (up to three) nodes below it: each such group gets one table,
 * indexed by both, holding the summed contributions of its (up to four) leaves. Per row and tree, the
 * nodes above the groups pass masks down, each group reads its directions, and one table row is added:
 * a quarter of the additions of per-leaf tables, in less memory. Groups that would need too large a table
 * fall apart into smaller ones, down to single leaves, which compute their share on the fly in O(D²)
 * when even their table does not fit. Rows go in blocks, tree by tree, so a tree's tables stay in cache.
 * Missing values and categorical codes go the way prediction sends them.
 */

export interface TreeExplainer {
  numFeatures: number;
  featureNames: string[];
  /** Expected margin over the training data: margin = baseValue + Σ contributions. */
  baseValue: number;
  trees: ExplainTree[];
  linear: CompiledLinear | null;
  /** Group tables of all trees (see ExplainTree.groupInfo). */
  tables: Float64Array;
  maxPathFeatures: number;
  /** Most node and leaf slots of any tree (scratch size). */
  maxSlots: number;
}

interface ExplainTree {
  nodes: number;
  feature: Int32Array;
  /** Numeric thresholds (+0 for −0: the walk reads the sign of threshold − value, as prediction's). */
  threshold: Float64Array;
  /** 1 when missing values go left. */
  defaultLeft: Uint8Array;
  /** No categorical node: the branch-free numeric walk applies. */
  numeric: boolean;
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
  /** Distinct features on the path above each node (its own excluded unless it repeats). */
  above: Int32Array;
  /** Nodes above every group, ascending (parents first): they pass masks to their children's slots. */
  tall: Int32Array;
  /**
   * Per node, NODE_WORDS ints (one array: V8 re-checks every typed array a loop touches on each turn):
   * feature, bit, slot of the left child, slot of the right child, nanRight. A child's slot in the
   * mask scratch is its node index, or nodes + leaf for a leaf.
   */
  nodeInfo: Int32Array;
  groups: number;
  /** Groups [0, tabled) have tables, the rest are leaves computed on the fly. */
  tabled: number;
  /**
   * Per group, GROUP_WORDS ints: slot of its root (a node, or a leaf alone), the root's incoming mask
   * bits that index the table ((1 << above) − 1), first of its internal nodes in groupNode and their
   * number (direction i is bit i of the key), first of its features in groupFeature and their number
   * (the table's width), the table's offset in TreeExplainer.tables (row key · width) or -1 for a leaf
   * computed on the fly, and that leaf.
   */
  groupInfo: Int32Array;
  groupNode: Int32Array;
  groupFeature: Int32Array;
}

const NODE_WORDS = 5;
const GROUP_WORDS = 8;

export interface ExplainerOptions {
  /**
   * Rows whose counts stand in for the covers of a model trained before leaf covers were recorded
   * (e.g. the rows being explained). Ignored when every tree has its covers.
   */
  background?: FeatureMatrix;
  /** Numbers the contribution tables may hold (default 4M, 32 MB); beyond it, leaves compute on the fly. */
  tableBudget?: number;
}

/** Distinct path features a mask can hold (bits of an int32). */
const MAX_PATH_FEATURES = 30;
/** Height of the subtrees that share a table (2: up to three nodes and four leaves). */
const GROUP_HEIGHT = 2;
/** Largest table index of a group or leaf (incoming mask bits + directions): 2^12 rows. */
const MAX_TABLE_BITS = 12;
const DEFAULT_TABLE_BUDGET = 4 << 20;
const BLOCK = 128;
const CAT_WORDS = 8;

/** Index of the high 32-bit word of a float64 in an Int32Array view (the one with the sign bit). */
const HI_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * 1 when the value goes left at node k, as prediction decides: ±Infinity count as ±Number.MAX_VALUE;
 * NaN, and codes outside 0..253 at a categorical node, take the default direction.
 */
function goesLeft(t: ExplainTree, k: number, v: number): number {
  if (v !== v) return t.defaultLeft[k];
  const co = t.catOffset[k];
  if (co < 0) return (v > Number.MAX_VALUE ? Number.MAX_VALUE : v) <= t.threshold[k] ? 1 : 0;
  if (!(v >= 0 && v <= MAX_CATEGORY_CODE)) return t.defaultLeft[k];
  const c = v | 0;
  return (t.catBits[co + (c >>> 5)] >>> (c & 31)) & 1;
}

/**
 * 1 when the value goes right at node k. Numeric trees without a branch on the data: the sign bit of
 * threshold − value (through `diff`'s high word `hi`), overridden by the node's nanRight for NaN; block
 * values are clamped as prediction's are.
 */
function goesRight(t: ExplainTree, k: number, v: number, diff: Float64Array, hi: Int32Array): number {
  if (!t.numeric) return goesLeft(t, k, v) ^ 1;
  diff[0] = t.threshold[k] - v;
  const s = hi[HI_WORD] >>> 31;
  return s ^ ((v !== v ? 1 : 0) & (s ^ t.nodeInfo[k * NODE_WORDS + 4]));
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
  const slot = (c: number) => (c >= 0 ? c : nodes + ~c);
  const t: ExplainTree = {
    nodes,
    feature: Int32Array.from(tree.feature),
    threshold: Float64Array.from(tree.threshold, (v) => v + 0),
    defaultLeft: Uint8Array.from(tree.defaultLeft, (d) => (d ? 1 : 0)),
    numeric: catNodes === 0,
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
    above: new Int32Array(nodes),
    tall: new Int32Array(0),
    nodeInfo: new Int32Array(nodes * NODE_WORDS),
    groups: 0,
    tabled: 0,
    groupInfo: new Int32Array(0),
    groupNode: new Int32Array(0),
    groupFeature: new Int32Array(0),
  };
  for (let k = 0; k < nodes; k++) {
    t.nodeInfo.set([tree.feature[k], 0, slot(tree.left[k]), slot(tree.right[k]), tree.defaultLeft[k] ? 0 : 1], k * NODE_WORDS);
  }
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
    t.above[ref] = features.length;
    const f = t.feature[ref];
    let b = features.indexOf(f);
    if (b < 0) {
      b = features.length;
      if (b >= MAX_PATH_FEATURES) throw new RangeError(`explain: a path has more than ${MAX_PATH_FEATURES} distinct features`);
      features = [...features, f];
      z = [...z, 1];
    }
    t.bit[ref] = b;
    t.nodeInfo[ref * NODE_WORDS + 1] = b;
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

/** A group before its table is written: its root reference, internal nodes and leaves with their paths. */
interface GroupPlan {
  t: ExplainTree;
  root: number;
  above: number;
  nodes: number[];
  /** Each leaf with the (node, went left) steps from the group's root to it. */
  leaves: { leaf: number; steps: [number, number][] }[];
  features: number[];
  /** Table size in numbers, 0 for a leaf computed on the fly. */
  size: number;
}

/** Splits a tree into groups (see the module comment), charging their tables to the shared budget. */
function planGroups(t: ExplainTree, budget: { left: number }): GroupPlan[] {
  const height = (ref: number): number => (ref < 0 ? 0 : 1 + Math.max(height(t.left[ref]), height(t.right[ref])));
  const tall: number[] = [];
  const plans: GroupPlan[] = [];
  const collect = (ref: number, steps: [number, number][], plan: GroupPlan): void => {
    if (ref < 0) {
      plan.leaves.push({ leaf: ~ref, steps });
      for (let i = 0; i < t.pathLength[~ref]; i++) {
        const f = t.pathFeature[t.pathAt[~ref] + i];
        if (!plan.features.includes(f)) plan.features.push(f);
      }
      return;
    }
    plan.nodes.push(ref);
    collect(t.left[ref], [...steps, [ref, 1]], plan);
    collect(t.right[ref], [...steps, [ref, 0]], plan);
  };
  const assign = (ref: number): void => {
    const plan: GroupPlan = { t, root: ref, above: ref >= 0 ? t.above[ref] : t.pathLength[~ref], nodes: [], leaves: [], features: [], size: 0 };
    if (ref >= 0 && height(ref) > GROUP_HEIGHT) {
      tall.push(ref);
      assign(t.left[ref]);
      assign(t.right[ref]);
      return;
    }
    collect(ref, [], plan);
    const bits = plan.above + plan.nodes.length;
    const size = 2 ** bits * plan.features.length;
    if (bits <= MAX_TABLE_BITS && size <= budget.left) {
      budget.left -= size;
      plan.size = size;
    } else if (ref >= 0) {
      tall.push(ref);
      assign(t.left[ref]);
      assign(t.right[ref]);
      return;
    }
    plans.push(plan);
  };
  assign(t.nodes > 0 ? 0 : -1);
  t.tall = Int32Array.from(tall.sort((a, b) => a - b));
  return plans;
}

/** Fills a group's table: for every incoming mask and set of directions, its leaves' summed contributions. */
function writeGroupTable(g: GroupPlan, tables: Float64Array, at: number, weights: Float64Array, poly: Float64Array, scratch: Float64Array): void {
  const { t } = g;
  const width = g.features.length;
  const m = g.nodes.length;
  const slotOf = new Map(g.features.map((f, s) => [f, s]));
  for (let incoming = 0; incoming < 1 << g.above; incoming++) {
    for (let dirs = 0; dirs < 1 << m; dirs++) {
      const row = at + ((incoming << m) | dirs) * width;
      for (const { leaf, steps } of g.leaves) {
        let mask = incoming | ~((1 << g.above) - 1);
        for (const [node, wentLeft] of steps) if (((dirs >>> g.nodes.indexOf(node)) & 1) !== wentLeft) mask &= ~(1 << t.bit[node]);
        const D = t.pathLength[leaf];
        leafShapley(t.zeroFraction, t.pathAt[leaf], D, t.value[leaf], mask & ((1 << D) - 1), weights, poly, scratch, 0);
        for (let i = 0; i < D; i++) tables[row + slotOf.get(t.pathFeature[t.pathAt[leaf] + i])!] += scratch[i];
      }
    }
  }
}

/**
 * Prepares a model for explanation: covers (the model's, or counted on `options.background`), path
 * fractions, the base value and the group tables.
 */
export function compileExplainer(model: GbdtModel, options: ExplainerOptions = {}): TreeExplainer {
  const budget = { left: options.tableBudget ?? DEFAULT_TABLE_BUDGET };
  const weights = shapleyWeightTable(MAX_PATH_FEATURES);
  const poly = new Float64Array(MAX_PATH_FEATURES + 1);
  const scratch = new Float64Array(MAX_PATH_FEATURES);
  let baseValue = model.baseMargin;
  let maxPathFeatures = 0;
  let maxSlots = 1;
  const plans: GroupPlan[][] = [];
  const trees = model.trees.map((tree, ti) => {
    const t = structureOf(tree);
    let covers: { node: ArrayLike<number>; leaf: ArrayLike<number> };
    if (tree.leafCover) covers = { node: tree.cover, leaf: tree.leafCover };
    else if (t.nodes === 0) covers = { node: [], leaf: [1] };
    else if (options.background) covers = coversFromRows(t, options.background);
    else throw new Error(`explain: tree ${ti} has no leaf covers (a model trained before they were recorded): pass background rows`);
    baseValue += describePaths(t, covers.node, covers.leaf);
    for (let l = 0; l < t.leaves; l++) maxPathFeatures = Math.max(maxPathFeatures, t.pathLength[l]);
    maxSlots = Math.max(maxSlots, t.nodes + t.leaves);
    plans.push(t.nodes > 0 ? planGroups(t, budget) : []);
    return t;
  });
  let tableSize = 0;
  for (const ps of plans) for (const g of ps) tableSize += g.size;
  const tables = new Float64Array(tableSize);
  let at = 0;
  trees.forEach((t, ti) => {
    // Tabled groups first: the hot loop then has no call in it.
    const ps = [...plans[ti].filter((g) => g.size > 0), ...plans[ti].filter((g) => g.size === 0)];
    t.groups = ps.length;
    t.tabled = ps.filter((g) => g.size > 0).length;
    t.groupNode = Int32Array.from(ps.flatMap((g) => g.nodes));
    t.groupFeature = Int32Array.from(ps.flatMap((g) => g.features));
    t.groupInfo = new Int32Array(ps.length * GROUP_WORDS);
    let nodeAt = 0;
    let featureAt = 0;
    ps.forEach((g, k) => {
      const root = g.root >= 0 ? g.root : t.nodes + ~g.root;
      t.groupInfo.set([root, (1 << g.above) - 1, nodeAt, g.nodes.length, featureAt, g.features.length, -1, g.root < 0 ? ~g.root : -1], k * GROUP_WORDS);
      nodeAt += g.nodes.length;
      featureAt += g.features.length;
    });
    ps.forEach((g, k) => {
      if (g.size === 0) return;
      t.groupInfo[k * GROUP_WORDS + 6] = at;
      writeGroupTable(g, tables, at, weights, poly, scratch);
      at += g.size;
    });
  });
  const linear = model.linear ? compileLinear(model.linear) : null;
  if (linear) {
    baseValue += linear.intercept;
    for (const term of [...linear.numeric, ...linear.categorical]) baseValue += term.mean;
  }
  return { numFeatures: model.numFeatures, featureNames: model.featureNames, baseValue, trees, linear, tables, maxPathFeatures, maxSlots };
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
  const mask = new Int32Array(explainer.maxSlots);
  // goesRight's scratch: a float64 and a view of its words.
  const diff = new Float64Array(1);
  const hi = new Int32Array(diff.buffer);
  const { tables } = explainer;
  for (let b0 = from; b0 < to; b0 += BLOCK) {
    const m = Math.min(BLOCK, to - b0);
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < m; i++) {
        const v = x[j * n + b0 + i];
        // As prediction's block: ±Infinity clamped to the largest finite values (NaN stays NaN).
        block[i * p + j] = v > Number.MAX_VALUE ? Number.MAX_VALUE : v < -Number.MAX_VALUE ? -Number.MAX_VALUE : v;
      }
    }
    for (const t of explainer.trees) {
      if (t.nodes === 0) continue;
      const { tall, groups, tabled, nodeInfo, groupInfo, groupNode, groupFeature } = t;
      const talls = tall.length;
      for (let i = 0; i < m; i++) {
        const row = i * p;
        const o = (b0 - from + i) * p;
        mask[0] = -1;
        for (let a = 0; a < talls; a++) {
          const k = tall[a];
          const ni = k * NODE_WORDS;
          const right = goesRight(t, k, block[row + nodeInfo[ni]], diff, hi);
          const mk = mask[k];
          const clear = 1 << nodeInfo[ni + 1];
          mask[nodeInfo[ni + 2]] = mk & ~(clear & -right);
          mask[nodeInfo[ni + 3]] = mk & ~(clear & (right - 1));
        }
        for (let g = 0; g < tabled; g++) {
          const gi = g * GROUP_WORDS;
          const n0 = groupInfo[gi + 2];
          const nodes = groupInfo[gi + 3];
          let key = (mask[groupInfo[gi]] & groupInfo[gi + 1]) << nodes;
          for (let q = 0; q < nodes; q++) {
            const k = groupNode[n0 + q];
            key |= (goesRight(t, k, block[row + nodeInfo[k * NODE_WORDS]], diff, hi) ^ 1) << q;
          }
          const f0 = groupInfo[gi + 4];
          const width = groupInfo[gi + 5];
          const ta = groupInfo[gi + 6] + key * width;
          for (let d = 0; d < width; d++) out[o + groupFeature[f0 + d]] += tables[ta + d];
        }
        // Leaves without a table (kept out of the loop above: a call there slows all of it).
        for (let g = tabled; g < groups; g++) {
          const gi = g * GROUP_WORDS;
          addLeafOnTheFly(t, groupInfo[gi + 7], mask[groupInfo[gi]] & groupInfo[gi + 1], weights, poly, leafOut, out, o);
        }
      }
    }
    if (explainer.linear) addLinearContributions(explainer.linear, x, n, b0, m, p, out, (b0 - from) * p);
  }
  return out;
}

/** A leaf without a table: its contributions for the hot mask, computed in O(D²) and added to the row. */
function addLeafOnTheFly(
  t: ExplainTree,
  leaf: number,
  hot: number,
  weights: Float64Array,
  poly: Float64Array,
  scratch: Float64Array,
  out: Float64Array,
  o: number,
): void {
  const at = t.pathAt[leaf];
  const D = t.pathLength[leaf];
  leafShapley(t.zeroFraction, at, D, t.value[leaf], hot, weights, poly, scratch, 0);
  for (let d = 0; d < D; d++) out[o + t.pathFeature[at + d]] += scratch[d];
}

function addLinearContributions(
  linear: CompiledLinear,
  x: Float32Array | Float64Array,
  n: number,
  b0: number,
  m: number,
  p: number,
  out: Float64Array,
  at: number,
): void {
  for (const t of linear.numeric) {
    for (let i = 0; i < m; i++) out[at + i * p + t.feature] += numericTerm(t, x[t.feature * n + b0 + i]) - t.mean;
  }
  for (const t of linear.categorical) {
    for (let i = 0; i < m; i++) out[at + i * p + t.feature] += categoricalTerm(t, x[t.feature * n + b0 + i]) - t.mean;
  }
}
