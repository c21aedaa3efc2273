import { GbdtModel } from './model-format';
import { MAX_CATEGORY_CODE } from './quantile-binner';

/**
 * A model's trees flattened into typed arrays over all nodes (internal node ids are global; a child
 * c < 0 is leaf ~c of the global leaf array), so prediction walks numbers, not objects.
 */
export interface CompiledForest {
  numFeatures: number;
  baseMargin: number;
  /** Root of each tree: a node id, or ~leaf for single-leaf trees. */
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
  /** Per node: offset of its 256-bit category set in catBits, or -1 for a numeric node. */
  catOffset: Int32Array;
  catBits: Uint32Array;
  leafValue: Float64Array;
  hasCategorical: boolean;
}

const CAT_WORDS = 8;
/** Rows per block: the block's features (transposed to row-major) stay in L1 while every tree runs over them. */
const BLOCK = 128;

export function compileModel(model: GbdtModel): CompiledForest {
  let nodes = 0;
  let leaves = 0;
  let catNodes = 0;
  for (const t of model.trees) {
    nodes += t.feature.length;
    leaves += t.leafValue.length;
    for (const c of t.categories) if (c) catNodes++;
  }
  const f: CompiledForest = {
    numFeatures: model.numFeatures,
    baseMargin: model.baseMargin,
    roots: new Int32Array(model.trees.length),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    defaultLeft: new Uint8Array(nodes),
    catOffset: new Int32Array(nodes).fill(-1),
    catBits: new Uint32Array(catNodes * CAT_WORDS),
    leafValue: new Float64Array(leaves),
    hasCategorical: catNodes > 0,
  };
  let nodeBase = 0;
  let leafBase = 0;
  let catBase = 0;
  const child = (c: number) => (c >= 0 ? nodeBase + c : ~(leafBase + ~c));
  model.trees.forEach((t, ti) => {
    f.roots[ti] = t.feature.length > 0 ? nodeBase : ~leafBase;
    for (let k = 0; k < t.feature.length; k++) {
      const g = nodeBase + k;
      f.feature[g] = t.feature[k];
      f.threshold[g] = t.threshold[k];
      f.left[g] = child(t.left[k]);
      f.right[g] = child(t.right[k]);
      f.defaultLeft[g] = t.defaultLeft[k] ? 1 : 0;
      const cats = t.categories[k];
      if (cats) {
        f.catOffset[g] = catBase;
        for (const c of cats) if (c >= 0 && c <= MAX_CATEGORY_CODE) f.catBits[catBase + (c >>> 5)] |= 1 << (c & 31);
        catBase += CAT_WORDS;
      }
    }
    f.leafValue.set(t.leafValue, leafBase);
    nodeBase += t.feature.length;
    leafBase += t.leafValue.length;
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

/** Numeric-only walk: NaN fails `v <= t` and then takes the default direction. */
function walkNumeric(f: CompiledForest, root: number, row: Float64Array, base: number): number {
  const { feature, threshold, left, right, defaultLeft } = f;
  let node = root;
  while (node >= 0) {
    const v = row[base + feature[node]];
    node = v <= threshold[node] || (v !== v && defaultLeft[node] === 1) ? left[node] : right[node];
  }
  return node;
}

function walkMixed(f: CompiledForest, root: number, row: Float64Array, base: number): number {
  const { feature, threshold, left, right, defaultLeft, catOffset, catBits } = f;
  let node = root;
  while (node >= 0) {
    const v = row[base + feature[node]];
    const co = catOffset[node];
    let goLeft: boolean;
    if (co < 0) goLeft = v <= threshold[node] || (v !== v && defaultLeft[node] === 1);
    else if (v >= 0 && v <= MAX_CATEGORY_CODE) {
      const c = v | 0;
      goLeft = ((catBits[co + (c >>> 5)] >>> (c & 31)) & 1) === 1;
    } else goLeft = defaultLeft[node] === 1;
    node = goLeft ? left[node] : right[node];
  }
  return node;
}

/**
 * Margins (log-odds) for n rows of a column-major matrix (feature j of row i at j*n + i).
 * Rows go in blocks: a block is transposed once, then each tree runs over the whole block.
 */
export function predictMargins(
  model: GbdtModel | CompiledForest,
  x: Float32Array | Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  const f = forestOf(model);
  const p = f.numFeatures;
  if (x.length !== n * p) throw new RangeError(`gbdt predict: expected ${n}x${p} values, got ${x.length}`);
  const block = new Float64Array(BLOCK * p);
  const acc = new Float64Array(BLOCK);
  const { roots, leafValue } = f;
  const walk = f.hasCategorical ? walkMixed : walkNumeric;
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const m = Math.min(BLOCK, n - b0);
    for (let j = 0; j < p; j++) {
      const col = j * n + b0;
      for (let i = 0; i < m; i++) block[i * p + j] = x[col + i];
    }
    acc.fill(f.baseMargin);
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t];
      for (let i = 0; i < m; i++) acc[i] += leafValue[~walk(f, root, block, i * p)];
    }
    for (let i = 0; i < m; i++) out[b0 + i] = acc[i];
  }
  return out;
}

/** Probabilities of the positive class for n rows of a column-major matrix. */
export function predict(model: GbdtModel | CompiledForest, x: Float32Array | Float64Array, n: number): Float64Array {
  const out = predictMargins(model, x, n);
  for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-out[i]));
  return out;
}
