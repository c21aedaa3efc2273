/** Training parameters of the boosted trees (binary logistic loss). */
export interface GbdtParams {
  /** Boosting rounds (trees), an upper bound when early stopping is on. */
  rounds: number;
  /** Shrinkage applied to every leaf value. */
  learningRate: number;
  /** Maximum depth of a leaf (root = 0); 0 = unlimited (then maxLeaves alone bounds the tree). */
  maxDepth: number;
  /** Maximum leaves per tree; trees grow leaf-wise (best gain first) up to it. */
  maxLeaves: number;
  /** Minimum hessian sum in each child of a split. */
  minChildWeight: number;
  /** Minimum loss reduction for a split to be made. */
  minSplitGain: number;
  /** L2 regularisation of leaf values. */
  lambda: number;
  /** Fraction of rows sampled (without replacement, per row) for each tree. */
  rowSubsample: number;
  /** Fraction of features a tree may split on. */
  colSubsample: number;
  /** Stop when the validation metric has not improved for this many rounds (0 = off; needs a validation set). */
  earlyStoppingRounds: number;
  /**
   * What early stopping watches: log-loss, or AUC, which often keeps improving after the log-loss
   * optimum (ranking still sharpens while probabilities get overconfident).
   */
  earlyStoppingMetric: 'logloss' | 'auc';
  /** Seeds sampling of rows, features and binning samples: same data + params + seed = same model. */
  seed: number;
  /** Maximum bins per feature including the missing-value bin (<= 255). */
  maxBins: number;
  /** Added to the hessian when categories are ordered by gradient/hessian, shrinking rare ones to 0. */
  catSmooth: number;
  /** Extra L2 for categorical splits, which can fit noise more easily than thresholds. */
  catL2: number;
  /**
   * A category takes part in a categorical split (can be put in the left set) only with at least this
   * hessian in the leaf; rarer ones stay on the right. Stops many-level factors from fitting noise.
   */
  catMinHessian: number;
}

export const DEFAULT_GBDT_PARAMS: Readonly<GbdtParams> = {
  rounds: 100,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 64,
  minChildWeight: 1,
  minSplitGain: 0,
  lambda: 1,
  rowSubsample: 1,
  colSubsample: 1,
  earlyStoppingRounds: 0,
  earlyStoppingMetric: 'logloss',
  seed: 0,
  maxBins: 255,
  catSmooth: 10,
  catL2: 10,
  catMinHessian: 20,
};

/** Fills defaults and checks ranges. Without an explicit maxLeaves, a depth limit alone bounds the tree. */
export function resolveParams(partial: Partial<GbdtParams> = {}): GbdtParams {
  const maxDepth = partial.maxDepth ?? DEFAULT_GBDT_PARAMS.maxDepth;
  const maxLeaves =
    partial.maxLeaves ?? (maxDepth > 0 ? 2 ** Math.min(maxDepth, 12) : DEFAULT_GBDT_PARAMS.maxLeaves);
  const p: GbdtParams = { ...DEFAULT_GBDT_PARAMS, ...partial, maxDepth, maxLeaves };
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`gbdt: invalid parameter ${what}`);
  };
  check(Number.isInteger(p.rounds) && p.rounds >= 1, `rounds=${p.rounds}`);
  check(p.learningRate > 0 && p.learningRate <= 1, `learningRate=${p.learningRate}`);
  check(Number.isInteger(p.maxDepth) && p.maxDepth >= 0, `maxDepth=${p.maxDepth}`);
  check(Number.isInteger(p.maxLeaves) && p.maxLeaves >= 2 && p.maxLeaves <= 65536, `maxLeaves=${p.maxLeaves}`);
  check(p.minChildWeight >= 0, `minChildWeight=${p.minChildWeight}`);
  check(p.minSplitGain >= 0, `minSplitGain=${p.minSplitGain}`);
  check(p.lambda >= 0, `lambda=${p.lambda}`);
  check(p.rowSubsample > 0 && p.rowSubsample <= 1, `rowSubsample=${p.rowSubsample}`);
  check(p.colSubsample > 0 && p.colSubsample <= 1, `colSubsample=${p.colSubsample}`);
  check(Number.isInteger(p.earlyStoppingRounds) && p.earlyStoppingRounds >= 0, `earlyStoppingRounds=${p.earlyStoppingRounds}`);
  check(p.earlyStoppingMetric === 'logloss' || p.earlyStoppingMetric === 'auc', `earlyStoppingMetric=${p.earlyStoppingMetric}`);
  check(Number.isInteger(p.seed), `seed=${p.seed}`);
  check(Number.isInteger(p.maxBins) && p.maxBins >= 3 && p.maxBins <= 255, `maxBins=${p.maxBins}`);
  check(p.catSmooth >= 0 && p.catL2 >= 0 && p.catMinHessian >= 0, `catSmooth=${p.catSmooth}, catL2=${p.catL2}, catMinHessian=${p.catMinHessian}`);
  return p;
}
