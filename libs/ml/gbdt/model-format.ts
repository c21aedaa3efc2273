import { GbdtParams } from './params';

export const MODEL_FORMAT = 'propensity-gbdt';
/** Trees only. */
export const MODEL_VERSION = 1;
/** Trees plus a linear term (a logistic regression, alone or blended with the trees). */
export const LINEAR_MODEL_VERSION = 2;
/**
 * A linear term whose numeric terms may carry spline curves: a reader of version 2 would ignore the
 * curves and mispredict, so such models say so and older code refuses them.
 */
export const CURVED_MODEL_VERSION = 3;

/**
 * One tree as parallel arrays over its internal nodes (node 0 is the root unless the tree is a single
 * leaf). A child reference c >= 0 is an internal node; c < 0 is leaf ~c (i.e. -c - 1).
 * A row goes left when: numeric — x <= threshold (±Infinity count as ±Number.MAX_VALUE, as in training);
 * categorical — its integer code is in `categories`;
 * missing (NaN, or a code outside 0..253) — defaultLeft.
 */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  defaultLeft: boolean[];
  /** Category codes going left, for categorical nodes; null for numeric ones. */
  categories: (number[] | null)[];
  left: number[];
  right: number[];
  /** Loss reduction of each split (for importance). */
  gain: number[];
  /** Hessian sum reaching each node. */
  cover: number[];
  /** Leaf outputs on the margin (log-odds) scale, shrinkage included. */
  leafValue: number[];
  /**
   * Hessian sum reaching each leaf (the split's two sides, so a node's cover is its children's sum);
   * what TreeSHAP weighs unknown features by. Absent in models trained before it was recorded.
   */
  leafCover?: number[];
}

/**
 * A numeric feature's linear term: coef · (c − center) / scale + Σ_k curve[k] · N_k(c), where
 * c = min(max(x, low), high), a missing value counts as c = `fill` and adds `missingCoef`, and N_k are
 * the nonlinear basis functions of the natural cubic spline on `knots` (libs/ml/linear/natural-spline;
 * no knots: a straight line).
 */
export interface NumericTermJson {
  feature: number;
  low: number;
  high: number;
  fill: number;
  center: number;
  scale: number;
  coef: number;
  missingCoef: number;
  /** Ascending, at least three; absent with `curve` when the term is a straight line. */
  knots?: number[];
  /** knots.length − 2 coefficients. */
  curve?: number[];
  /** The term's mean over the training rows (what a reason is measured from). */
  mean: number;
}

/** A categorical feature's linear term: coefs[k] for code codes[k]; other codes and missing get otherCoef. */
export interface CategoricalTermJson {
  feature: number;
  codes: number[];
  coefs: number[];
  otherCoef: number;
  /** The term's mean over the training rows. */
  mean: number;
}

/** A linear part added to the trees' margin: intercept + Σ terms (version 2 models). */
export interface LinearTermJson {
  intercept: number;
  numeric: NumericTermJson[];
  categorical: CategoricalTermJson[];
}

export interface GbdtModel {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION | typeof LINEAR_MODEL_VERSION | typeof CURVED_MODEL_VERSION;
  objective: 'binary:logistic';
  numFeatures: number;
  featureNames: string[];
  /** Indices of features read as integer category codes. */
  categoricalFeatures: number[];
  /** Starting margin: log-odds of the training positive rate. */
  baseMargin: number;
  params: GbdtParams;
  /** 0-based round of the last tree kept (the best one under early stopping); trees.length - 1. */
  bestIteration: number;
  trees: TreeJson[];
  /** Version 2 only: margin = baseMargin + Σ trees + linear part. */
  linear?: LinearTermJson;
}

/** JSON text of a model; numbers are written in shortest round-trip form, so parsing gives identical doubles. */
export function serializeModel(model: GbdtModel): string {
  return JSON.stringify(model);
}

function fail(msg: string): never {
  throw new Error(`gbdt model: ${msg}`);
}

function isNumberArray(a: unknown, len?: number): a is number[] {
  return Array.isArray(a) && (len === undefined || a.length === len) && a.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function checkTree(t: TreeJson, i: number, numFeatures: number): void {
  const nodes = t.feature?.length;
  if (!isNumberArray(t.feature)) fail(`tree ${i}: feature must be an array of numbers`);
  for (const key of ['threshold', 'left', 'right', 'gain', 'cover'] as const) {
    if (!isNumberArray(t[key], nodes)) fail(`tree ${i}: ${key} must be ${nodes} numbers`);
  }
  if (!Array.isArray(t.defaultLeft) || t.defaultLeft.length !== nodes || !t.defaultLeft.every((v) => typeof v === 'boolean')) {
    fail(`tree ${i}: defaultLeft must be ${nodes} booleans`);
  }
  if (!Array.isArray(t.categories) || t.categories.length !== nodes) fail(`tree ${i}: categories must have ${nodes} entries`);
  if (!isNumberArray(t.leafValue) || t.leafValue.length !== nodes + 1) fail(`tree ${i}: leafValue must have ${nodes + 1} numbers`);
  if (t.leafCover !== undefined && !(isNumberArray(t.leafCover, nodes + 1) && t.leafCover.every((c) => c >= 0))) {
    fail(`tree ${i}: leafCover must be ${nodes + 1} non-negative numbers`);
  }
  for (let k = 0; k < nodes; k++) {
    const f = t.feature[k];
    if (!Number.isInteger(f) || f < 0 || f >= numFeatures) fail(`tree ${i} node ${k}: feature ${f} out of range`);
    const cats = t.categories[k];
    if (cats !== null && !isNumberArray(cats)) fail(`tree ${i} node ${k}: categories must be null or numbers`);
    for (const c of [t.left[k], t.right[k]]) {
      if (!Number.isInteger(c) || (c >= 0 ? c <= k || c >= nodes : ~c > nodes)) fail(`tree ${i} node ${k}: bad child ${c}`);
    }
  }
}

function checkLinear(l: LinearTermJson, numFeatures: number): void {
  const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const featureOk = (f: number) => Number.isInteger(f) && f >= 0 && f < numFeatures;
  if (!isNumber(l?.intercept) || !Array.isArray(l.numeric) || !Array.isArray(l.categorical)) fail('linear must have intercept, numeric and categorical');
  l.numeric.forEach((t, k) => {
    const fields = [t.low, t.high, t.fill, t.center, t.scale, t.coef, t.missingCoef, t.mean];
    if (!featureOk(t.feature) || !fields.every(isNumber) || !(t.scale > 0) || !(t.low <= t.high)) fail(`linear numeric term ${k} is invalid`);
    if (t.knots === undefined && t.curve === undefined) return;
    const ascending = isNumberArray(t.knots) && t.knots.length >= 3 && t.knots.every((v, i) => i === 0 || v > t.knots![i - 1]);
    if (!ascending || !isNumberArray(t.curve, t.knots!.length - 2)) fail(`linear numeric term ${k}: knots must ascend (three or more) with knots.length - 2 curve coefficients`);
  });
  l.categorical.forEach((t, k) => {
    if (!featureOk(t.feature) || !isNumberArray(t.codes) || !isNumberArray(t.coefs, t.codes.length) || !isNumber(t.otherCoef) || !isNumber(t.mean)) {
      fail(`linear categorical term ${k} is invalid`);
    }
  });
}

/** Parses and validates a model (format, version, array shapes, child references, the linear part). */
export function parseModel(text: string): GbdtModel {
  const m = JSON.parse(text) as GbdtModel;
  if (m?.format !== MODEL_FORMAT) fail(`format is ${JSON.stringify(m?.format)}, expected ${MODEL_FORMAT}`);
  const versions: number[] = [MODEL_VERSION, LINEAR_MODEL_VERSION, CURVED_MODEL_VERSION];
  if (!versions.includes(m.version)) fail(`unsupported version ${m.version} (this code reads ${versions.join(', ')})`);
  if ((m.version !== MODEL_VERSION) !== (m.linear !== undefined)) fail(`version ${m.version} ${m.linear ? 'cannot have' : 'needs'} a linear part`);
  const curved = m.linear?.numeric.some((t) => t.curve !== undefined) ?? false;
  if (curved && m.version !== CURVED_MODEL_VERSION) fail(`spline curves need version ${CURVED_MODEL_VERSION} (got ${m.version})`);
  if (m.objective !== 'binary:logistic') fail(`unsupported objective ${m.objective}`);
  if (!Number.isInteger(m.numFeatures) || m.numFeatures < 1) fail('numFeatures must be a positive integer');
  if (!Array.isArray(m.featureNames) || m.featureNames.length !== m.numFeatures) fail('featureNames must have numFeatures names');
  if (!isNumberArray(m.categoricalFeatures)) fail('categoricalFeatures must be numbers');
  if (typeof m.baseMargin !== 'number' || !Number.isFinite(m.baseMargin)) fail('baseMargin must be a finite number');
  if (!Array.isArray(m.trees) || m.trees.length < 1) fail('trees must be a non-empty array');
  if (m.bestIteration !== m.trees.length - 1) fail('bestIteration must be trees.length - 1');
  m.trees.forEach((t, i) => checkTree(t, i, m.numFeatures));
  if (m.linear) checkLinear(m.linear, m.numFeatures);
  return m;
}
