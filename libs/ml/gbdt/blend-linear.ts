import { CURVED_MODEL_VERSION, GbdtModel, LINEAR_MODEL_VERSION, LinearTermJson } from './model-format';

/**
 * One model whose margin is treeWeight · (the trees' margin) + (1 − treeWeight) · (the linear part):
 * leaf values and base margin scaled by treeWeight, every linear coefficient by 1 − treeWeight. With
 * treeWeight 0 the trees are dropped for a single zero leaf (a logistic regression alone).
 */
export function blendWithLinear(trees: GbdtModel, linear: LinearTermJson, treeWeight: number): GbdtModel {
  if (!(treeWeight >= 0 && treeWeight < 1)) throw new RangeError(`blendWithLinear: treeWeight must be in [0, 1), got ${treeWeight}`);
  const a = treeWeight;
  const b = 1 - treeWeight;
  const kept =
    a > 0
      ? trees.trees.map((t) => ({ ...t, leafValue: t.leafValue.map((v) => a * v) }))
      : [{ feature: [], threshold: [], defaultLeft: [], categories: [], left: [], right: [], gain: [], cover: [], leafValue: [0], leafCover: [1] }];
  return {
    ...trees,
    version: linear.numeric.some((t) => t.curve) ? CURVED_MODEL_VERSION : LINEAR_MODEL_VERSION,
    baseMargin: a * trees.baseMargin,
    bestIteration: kept.length - 1,
    trees: kept,
    linear: {
      intercept: b * linear.intercept,
      numeric: linear.numeric.map((t) => ({
        ...t,
        coef: b * t.coef,
        missingCoef: b * t.missingCoef,
        mean: b * t.mean,
        ...(t.curve ? { curve: t.curve.map((c) => b * c) } : {}),
      })),
      categorical: linear.categorical.map((t) => ({ ...t, coefs: t.coefs.map((c) => b * c), otherCoef: b * t.otherCoef, mean: b * t.mean })),
    },
  };
}
