import { rocAuc } from '../metrics/roc-auc';
import { stratifiedFolds } from '../random/stratified-folds';
import { ProgressCallback, trainGbdt, TrainingData } from './booster';
import { averageModels } from './average-models';
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
  /** Parameters of the returned model (rounds = its number of trees). */
  params: GbdtParams;
  /** 0-based best round found by early stopping (mean over the inner validation folds). */
  bestIteration: number;
  /** Validation AUC of the early-stopped models (mean over the inner validation folds). */
  validAuc: number;
  /** Whether the returned model was refitted on all rows with the early-stopped number of rounds. */
  refitted: boolean;
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
}

/** Below this many rows a table is "small": slow-learning, regularised trees, size chosen by inner CV. */
const SMALL_TABLE_ROWS = 20_000;
/** Up to this many rows the final model is refitted on all rows; above, the early-stopped model is kept. */
const REFIT_MAX_ROWS = 200_000;

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
    };
  }
  return {
    params: resolveParams({ ...common, rounds: 2000, learningRate: 0.1, maxDepth: 10, maxLeaves: 127, minChildWeight: 20, lambda: 1, earlyStoppingRounds: 50 }),
    treeSizes: [{ maxDepth: 10, maxLeaves: 127 }],
    folds: 10,
    validations: 1,
    refit: false,
    refitSeeds: 1,
  };
}

/**
 * The one training recipe used for every table (and by production retraining): parameters from the
 * table size, early stopping (on AUC) on stratified inner validation folds (which also pick the tree
 * size of small tables), then, unless the table is large, a refit on all rows with the early-stopped number of
 * rounds scaled to the larger training set.
 */
export function trainWithRecipe(data: TrainingData, opts: RecipeOptions = {}): RecipeResult {
  const seed = opts.seed ?? 0;
  const plan = recipePlan(data.n, seed);
  const folds = stratifiedFolds(data.y, plan.folds, seed);
  const splits = Array.from({ length: plan.validations }, (_, v) => {
    const fit: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < data.n; i++) (folds[i] === v ? held : fit).push(i);
    return { train: selectTrainingRows(data, fit), valid: selectTrainingRows(data, held) };
  });
  let best: { params: GbdtParams; auc: number; rounds: number; model: GbdtModel } | null = null;
  for (const size of plan.treeSizes) {
    const params = { ...plan.params, ...size };
    let auc = 0;
    let rounds = 0;
    let model: GbdtModel | null = null;
    for (const { train, valid } of splits) {
      model = trainGbdt(train, params, { valid, numThreads: opts.numThreads, onRound: opts.onRound });
      auc += rocAuc(valid.y, predictMargins(model, valid.x, valid.n)) / splits.length;
      rounds += model.trees.length / splits.length;
    }
    if (!best || auc > best.auc) best = { params, auc, rounds, model: model! };
  }
  const chosen = best!;
  const bestIteration = Math.round(chosen.rounds) - 1;
  if (!plan.refit) return { model: chosen.model, params: chosen.model.params, bestIteration, validAuc: chosen.auc, refitted: false };
  const rounds = Math.max(1, Math.round((chosen.rounds * data.n) / splits[0].train.n));
  const refits = Array.from({ length: plan.refitSeeds }, (_, r) =>
    trainGbdt(data, { ...chosen.params, seed: chosen.params.seed + r, rounds, earlyStoppingRounds: 0 }, { numThreads: opts.numThreads, onRound: opts.onRound }),
  );
  const final = averageModels(refits);
  return { model: final, params: final.params, bestIteration, validAuc: chosen.auc, refitted: true };
}
