import { GbdtModel } from './model-format';

/**
 * One model whose margin is the mean of the given models' margins (same features and base margin):
 * their trees one after another, each leaf value divided by their number. Averaging models trained with
 * different seeds (bags of rows and columns) cancels much of the variance a small table gives them.
 */
export function averageModels(models: GbdtModel[]): GbdtModel {
  const [first] = models;
  if (!first) throw new RangeError('gbdt: no models to average');
  for (const m of models) {
    if (m.numFeatures !== first.numFeatures || m.baseMargin !== first.baseMargin) {
      throw new RangeError('gbdt: averaged models must share their features and base margin');
    }
  }
  const k = models.length;
  const trees = models.flatMap((m) => m.trees.map((t) => ({ ...t, leafValue: t.leafValue.map((v) => v / k) })));
  return { ...first, bestIteration: trees.length - 1, trees };
}
