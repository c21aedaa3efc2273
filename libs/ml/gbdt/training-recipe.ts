import { designMatrix, fitLinearDesign } from '../linear/linear-design';
import { fitLogistic, LogisticFit, trainLogistic } from '../linear/logistic-regression';
import { rocAuc } from '../metrics/roc-auc';
import { stratifiedFolds } from '../random/stratified-folds';
import { ProgressCallback, trainGbdt, TrainingData } from './booster';
import { averageModels } from './average-models';
import { blendWithLinear } from './blend-linear';
import { GbdtModel } from './model-format';
import { GbdtParams, resolveParams } from './params';
import { predictMargins } from './predict';
import { selectTrainingRows } from './select-rows';

export interface RecipeOptions {
  seed?: number;
  numThreads?: number;
  /** Progress of every training the recipe runs (the early-stopped ones, then the refit). */
  onRound?: ProgressCallback;
}

export interface RecipeResult {
  model: GbdtModel;
  /** Parameters of the trees (rounds = the number of trees of one refit). */
  params: GbdtParams;
  /** 0-based best round found by early stopping (mean over the inner validation folds). */
  bestIteration: number;
  /** Validation AUC of the chosen model (mean over the inner validation folds). */
  validAuc: number;
  /** Whether the trees were refitted on all rows with the early-stopped number of rounds. */
  refitted: boolean;
  /**
   * Weight of the trees in the model's margin (1: trees only; 0: the logistic regression alone; between:
   * their stacked blend), whichever has the best inner validation AUC.
   */
  treeWeight: number;
  /** The logistic regression candidate (tables below LOGISTIC_MAX_ROWS): its penalty and validation AUC. */
  logistic: { C: number; validAuc: number } | null;
}

/** How the recipe trains a table of a given size. */
interface RecipePlan {
  params: GbdtParams;
  /** Tree sizes to choose from by validation loss (one: no choice). */
  treeSizes: Pick<GbdtParams, 'maxDepth' | 'maxLeaves'>[];
  /** Inner stratified folds; `validations` of them serve in turn as the early-stopping set. */
  folds: number;
  validations: number;
  refit: boolean;
  /** Refits with consecutive seeds whose average is the model (1: a single refit). */
  refitSeeds: number;
  /** Whether a logistic regression (alone or blended with the trees) is a candidate. */
  logistic: boolean;
}

/** Below this many rows a table is "small": slow-learning, regularised trees, size chosen by inner CV. */
const SMALL_TABLE_ROWS = 20_000;
/** Up to this many rows the final model is refitted on all rows; above, the early-stopped model is kept. */
const REFIT_MAX_ROWS = 200_000;
/**
 * Below this many rows a logistic regression is a candidate too. Larger tables are where boosted trees
 * win anyway (interactions have the data to show), and the regression's Newton steps cost n·d² each.
 */
export const LOGISTIC_MAX_ROWS = REFIT_MAX_ROWS;
/** Penalties tried for the logistic regression (scikit-learn's C = 1/λ), strongest first (warm starts). */
const LOGISTIC_C = [0.01, 0.03, 0.1, 0.3, 1, 3, 10];

/**
 * Small tables overfit deep trees and greedy learning rates (on the CDNOW and churn tables the library
 * defaults lose to a logistic regression or to BG/NBD), so they get a small learning rate, L2, row and
 * column subsampling, a tree size picked from shallow to moderate by inner cross-validation, and the
 * average of ten refits with different seeds (which bag different rows and columns);
 * larger tables get bigger trees, a larger learning rate and a single validation split.
 */
export function recipePlan(n: number, seed: number): RecipePlan {
  // Early stopping on AUC: the models rank customers, and AUC keeps improving past the log-loss optimum.
  const common = { seed, rowSubsample: 0.8, colSubsample: 0.8, minSplitGain: 0, earlyStoppingMetric: 'auc' as const };
  if (n < SMALL_TABLE_ROWS) {
    return {
      params: resolveParams({ ...common, rounds: 2000, learningRate: 0.05, minChildWeight: 1, lambda: 1, earlyStoppingRounds: 50 }),
      treeSizes: [
        { maxDepth: 2, maxLeaves: 4 },
        { maxDepth: 3, maxLeaves: 8 },
        { maxDepth: 6, maxLeaves: 64 },
      ],
      folds: 5,
      validations: 5,
      refit: true,
      refitSeeds: 10,
      logistic: true,
    };
  }
  if (n < REFIT_MAX_ROWS) {
    return {
      params: resolveParams({ ...common, rounds: 3000, learningRate: 0.05, maxDepth: 8, maxLeaves: 31, minChildWeight: 5, lambda: 1, earlyStoppingRounds: 100 }),
      treeSizes: [{ maxDepth: 8, maxLeaves: 31 }],
      folds: 10,
      validations: 1,
      refit: true,
      refitSeeds: 1,
      logistic: true,
    };
  }
  return {
    params: resolveParams({ ...common, rounds: 2000, learningRate: 0.1, maxDepth: 10, maxLeaves: 127, minChildWeight: 20, lambda: 1, earlyStoppingRounds: 50 }),
    treeSizes: [{ maxDepth: 10, maxLeaves: 127 }],
    folds: 10,
    validations: 1,
    refit: false,
    refitSeeds: 1,
    logistic: false,
  };
}

/**
 * Stratified inner folds leave a validation fold without one class when that class has fewer rows than
 * there are folds; fail here, naming the counts, rather than deep inside early stopping.
 */
function checkClassCounts(data: TrainingData, folds: number): void {
  let positives = 0;
  for (let i = 0; i < data.n; i++) positives += data.y[i] > 0.5 ? 1 : 0;
  const negatives = data.n - positives;
  if (Math.min(positives, negatives) < folds) {
    throw new RangeError(
      `trainWithRecipe: the table has ${positives} positive and ${negatives} negative rows; ` +
        `its ${folds} inner cross-validation folds need at least ${folds} rows of each class`,
    );
  }
}

/**
 * The blend's tree weight by stacking (Wolpert 1992; Breiman 1996): a logistic regression of the
 * labels on the two models' validation margins, pooled over the splits, weighs each model; α is the
 * trees' share of the two weights (0 or 1 when one weight is not positive). A smooth estimate, where
 * picking α from a grid by validation AUC chases noise on small tables.
 */
function stackedTreeWeight(splits: { valid: TrainingData }[], trees: Float64Array[], linear: Float64Array[]): number {
  const n = splits.reduce((s, { valid }) => s + valid.n, 0);
  const X = new Float64Array(2 * n);
  const y = new Uint8Array(n);
  let at = 0;
  splits.forEach(({ valid }, v) => {
    for (let i = 0; i < valid.n; i++, at++) {
      X[2 * at] = trees[v][i];
      X[2 * at + 1] = linear[v][i];
      y[at] = valid.y[i];
    }
  });
  const [wt, wl] = fitLogistic(X, y, n, 2, 1e-6).weights;
  if (!(wt > 0)) return 0;
  if (!(wl > 0)) return 1;
  return wt / (wt + wl);
}

/** Mean over the splits of the AUC of α·trees + (1 − α)·regression margins. */
function blendAuc(splits: { valid: TrainingData }[], trees: Float64Array[], linear: Float64Array[], alpha: number): number {
  let auc = 0;
  splits.forEach(({ valid }, v) => {
    const m = Float64Array.from(trees[v], (t, i) => alpha * t + (1 - alpha) * linear[v][i]);
    auc += rocAuc(valid.y, m) / splits.length;
  });
  return auc;
}

/**
 * The logistic regression's penalty by the inner folds: each split's path of penalties (warm-started,
 * strongest first) is scored by validation AUC, and the strongest penalty within one standard error of
 * the best mean AUC is kept (the one-standard-error rule, Hastie, Tibshirani & Friedman §7.10: the AUC
 * curve over C is flat near its top, and its argmax chases noise). Returns it with its validation margins.
 */
function selectLogistic(splits: { train: TrainingData; valid: TrainingData }[]): { C: number; auc: number; margins: Float64Array[] } {
  const aucs: number[][] = LOGISTIC_C.map(() => []);
  const margins: Float64Array[][] = LOGISTIC_C.map(() => []);
  for (const { train, valid } of splits) {
    const design = fitLinearDesign(train);
    const X = designMatrix(design, train.x, train.n);
    const V = designMatrix(design, valid.x, valid.n);
    let fit: LogisticFit | undefined;
    LOGISTIC_C.forEach((C, c) => {
      fit = fitLogistic(X, train.y, train.n, design.d, 1 / C, fit);
      const m = new Float64Array(valid.n);
      for (let i = 0; i < valid.n; i++) {
        let s = fit.intercept;
        for (let a = 0; a < design.d; a++) s += V[i * design.d + a] * fit.weights[a];
        m[i] = s;
      }
      margins[c].push(m);
      aucs[c].push(rocAuc(valid.y, m));
    });
  }
  const k = splits.length;
  const means = aucs.map((a) => a.reduce((s, v) => s + v, 0) / k);
  let best = 0;
  for (let c = 1; c < LOGISTIC_C.length; c++) if (means[c] > means[best]) best = c;
  const sd = Math.sqrt(aucs[best].reduce((s, v) => s + (v - means[best]) ** 2, 0) / Math.max(1, k - 1));
  const chosen = means.findIndex((m) => m >= means[best] - sd / Math.sqrt(k));
  return { C: LOGISTIC_C[chosen], auc: means[chosen], margins: margins[chosen] };
}

/**
 * The one training recipe used for every table (and by production retraining): parameters from the
 * table size, early stopping (on AUC) on stratified inner validation folds (which also pick the tree
 * size of small tables), then, unless the table is large, a refit on all rows with the early-stopped number of
 * rounds scaled to the larger training set. Below LOGISTIC_MAX_ROWS the same folds also fit a
 * regularised logistic regression (penalty by validation AUC) and stack it with the trees: the model is
 * the trees, the regression, or the blend α·trees + (1 − α)·regression, whichever validates best
 * (trees alone on ties), so small, mostly linear tables get the regression's ranking where it is better.
 */
export function trainWithRecipe(data: TrainingData, opts: RecipeOptions = {}): RecipeResult {
  const seed = opts.seed ?? 0;
  const plan = recipePlan(data.n, seed);
  checkClassCounts(data, plan.folds);
  const folds = stratifiedFolds(data.y, plan.folds, seed);
  const splits = Array.from({ length: plan.validations }, (_, v) => {
    const fit: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < data.n; i++) (folds[i] === v ? held : fit).push(i);
    return { train: selectTrainingRows(data, fit), valid: selectTrainingRows(data, held) };
  });
  let best: { params: GbdtParams; auc: number; rounds: number; model: GbdtModel; margins: Float64Array[] } | null = null;
  for (const size of plan.treeSizes) {
    const params = { ...plan.params, ...size };
    let auc = 0;
    let rounds = 0;
    let model: GbdtModel | null = null;
    const margins: Float64Array[] = [];
    for (const { train, valid } of splits) {
      model = trainGbdt(train, params, { valid, numThreads: opts.numThreads, onRound: opts.onRound });
      margins.push(predictMargins(model, valid.x, valid.n));
      auc += rocAuc(valid.y, margins[margins.length - 1]) / splits.length;
      rounds += model.trees.length / splits.length;
    }
    if (!best || auc > best.auc) best = { params, auc, rounds, model: model!, margins };
  }
  const chosen = best!;
  const bestIteration = Math.round(chosen.rounds) - 1;
  let treeWeight = 1;
  let validAuc = chosen.auc;
  let logistic: RecipeResult['logistic'] = null;
  if (plan.logistic) {
    const lr = selectLogistic(splits);
    logistic = { C: lr.C, validAuc: lr.auc };
    // Keep the better on the validation folds: trees, the regression, or their stacked blend.
    const alpha = stackedTreeWeight(splits, chosen.margins, lr.margins);
    for (const a of [0, alpha]) {
      const auc = a === 1 ? chosen.auc : blendAuc(splits, chosen.margins, lr.margins, a);
      if (auc > validAuc) {
        validAuc = auc;
        treeWeight = a;
      }
    }
  }
  const linear = treeWeight < 1 ? trainLogistic(data, logistic!.C) : null;
  const done = (trees: GbdtModel, refitted: boolean): RecipeResult => ({
    model: linear ? blendWithLinear(trees, linear, treeWeight) : trees,
    params: trees.params,
    bestIteration,
    validAuc,
    refitted,
    treeWeight,
    logistic,
  });
  if (!plan.refit || treeWeight === 0) return done(chosen.model, false);
  const rounds = Math.max(1, Math.round((chosen.rounds * data.n) / splits[0].train.n));
  const refits = Array.from({ length: plan.refitSeeds }, (_, r) =>
    trainGbdt(data, { ...chosen.params, seed: chosen.params.seed + r, rounds, earlyStoppingRounds: 0 }, { numThreads: opts.numThreads, onRound: opts.onRound }),
  );
  return done(averageModels(refits), true);
}
