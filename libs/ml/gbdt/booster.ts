import { rocAuc } from '../metrics/roc-auc';
import { SplitMix64 } from '../random/splitmix64';
import { logisticLoss } from './logistic-loss';
import { GbdtModel, MODEL_FORMAT, MODEL_VERSION, TreeJson } from './model-format';
import { GbdtParams, resolveParams } from './params';
import { fitBinning } from './quantile-binner';
import { BinRows } from './histogram';
import { TreeBuilder } from './tree-builder';

/** A column-major table: feature j of row i at x[j*n + i]; NaN = missing. */
export interface FeatureMatrix {
  x: Float32Array;
  n: number;
}

export interface TrainingData extends FeatureMatrix {
  /** 0/1 labels. */
  y: Float32Array | Uint8Array;
  featureNames?: string[];
  /** Indices of features holding integer category codes (0..253; others count as missing). */
  categoricalFeatures?: number[];
}

/** Called after every round; validLoss is undefined without a validation set. */
export type ProgressCallback = (round: number, trainLoss: number, validLoss: number | undefined) => void;

export interface TrainOptions {
  /** Validation rows (same features) for the loss report and early stopping. */
  valid?: FeatureMatrix & { y: Float32Array | Uint8Array };
  onRound?: ProgressCallback;
  /** Threads for histograms, gradients and partitions (default 1; worker_threads on shared memory). The model is the same for any thread count. */
  numThreads?: number;
}

function numFeatures(m: FeatureMatrix, what: string): number {
  if (!Number.isInteger(m.n) || m.n < 1 || m.x.length % m.n !== 0) {
    throw new RangeError(`gbdt: ${what} matrix of ${m.x.length} values is not n=${m.n} rows`);
  }
  return m.x.length / m.n;
}

function binaryLabels(y: ArrayLike<number>, n: number, what: string): Uint8Array {
  if (y.length !== n) throw new RangeError(`gbdt: ${what} has ${y.length} labels for ${n} rows`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) throw new RangeError(`gbdt: ${what} label ${i} is ${v}, expected 0 or 1`);
    out[i] = v;
  }
  return out;
}

/**
 * Trains gradient-boosted trees for binary classification with the histogram algorithm
 * (LightGBM / XGBoost `hist`): quantile bins, histogram subtraction, leaf-wise growth, learned
 * missing-value directions and categorical splits; histograms of quantized gradients (LightGBM's
 * quantized training, see gradient-quantizer.ts) with leaf values from the exact ones. Deterministic for
 * a given seed, whatever the thread count.
 */
export function trainGbdt(data: TrainingData, params: Partial<GbdtParams> = {}, options: TrainOptions = {}): GbdtModel {
  const prm = resolveParams(params);
  const { n, x } = data;
  const p = numFeatures(data, 'training');
  const y = binaryLabels(data.y, n, 'training');
  const categoricalFeatures = [...new Set(data.categoricalFeatures ?? [])].sort((a, b) => a - b);
  const isCat = new Array<boolean>(p).fill(false);
  for (const j of categoricalFeatures) {
    if (!Number.isInteger(j) || j < 0 || j >= p) throw new RangeError(`gbdt: categorical feature ${j} out of range`);
    isCat[j] = true;
  }
  const featureNames = data.featureNames ?? Array.from({ length: p }, (_, j) => `f${j}`);
  if (featureNames.length !== p) throw new RangeError(`gbdt: ${featureNames.length} feature names for ${p} features`);
  const { valid } = options;
  if (prm.earlyStoppingRounds > 0 && !valid) throw new Error('gbdt: earlyStoppingRounds needs a validation set');

  const threads = options.numThreads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`gbdt: numThreads must be a positive integer, got ${threads}`);

  const rng = new SplitMix64(prm.seed);
  const binnings = fitBinning(x, n, p, isCat, prm.maxBins, rng);
  const columnFeature = Int32Array.from(binnings.flatMap((b, j) => (b.trivial ? [] : [j])));
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i];
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / n));
  const baseMargin = Math.log(rate / (1 - rate));
  const builder = new TreeBuilder({ x, n, columnFeature, binnings }, y, baseMargin, prm, threads);
  let trees: TreeJson[];
  try {
    let validation: Validation | null = null;
    if (valid) {
      if (numFeatures(valid, 'validation') !== p) throw new RangeError('gbdt: validation set has a different number of features');
      validation = {
        bins: builder.encode(valid.x, valid.n),
        y: binaryLabels(valid.y, valid.n, 'validation'),
        margin: new Float64Array(valid.n).fill(baseMargin),
      };
    }
    trees = boostRounds(builder, prm, rng, validation, options.onRound);
  } finally {
    builder.close();
  }
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    objective: 'binary:logistic',
    numFeatures: p,
    featureNames,
    categoricalFeatures,
    baseMargin,
    params: prm,
    bestIteration: trees.length - 1,
    trees,
  };
}

interface Validation {
  bins: BinRows;
  y: Uint8Array;
  margin: Float64Array;
}

/** The boosting loop: per round, sample rows and columns, grow a tree, update margins and gradients. */
function boostRounds(
  builder: TreeBuilder,
  prm: GbdtParams,
  rng: SplitMix64,
  validation: Validation | null,
  onRound: ProgressCallback | undefined,
): TreeJson[] {
  const q = builder.columns;
  builder.gradients(false);
  const mask = new Uint8Array(q);
  const columnOrder = Int32Array.from({ length: q }, (_, c) => c);
  const columnsPerTree = Math.max(1, Math.round(q * prm.colSubsample));
  const trees: TreeJson[] = [];
  // Lower is better: log-loss, or minus the AUC.
  let best = Infinity;
  let bestRound = -1;

  for (let round = 0; round < prm.rounds; round++) {
    if (prm.rowSubsample < 1) builder.sampleRows(rng, prm.rowSubsample);
    if (columnsPerTree < q) {
      // Partial Fisher-Yates: the first columnsPerTree entries are a uniform sample.
      mask.fill(0);
      for (let c = 0; c < columnsPerTree; c++) {
        const r = c + rng.nextInt(q - c);
        const t = columnOrder[c];
        columnOrder[c] = columnOrder[r];
        columnOrder[r] = t;
        mask[columnOrder[c]] = 1;
      }
    } else mask.fill(1);

    trees.push(builder.build(mask));
    let validLoss: number | undefined;
    if (validation) {
      builder.addToEncodedRows(validation.bins, 0, validation.y.length, validation.margin);
      validLoss = logisticLoss(validation.margin, validation.y);
    }
    // Adds the tree to the training margins too.
    const trainLoss = builder.gradients(onRound !== undefined);
    onRound?.(round, trainLoss, validLoss);
    if (validation && validLoss !== undefined) {
      const score = prm.earlyStoppingMetric === 'auc' ? -rocAuc(validation.y, validation.margin) : validLoss;
      if (score < best) {
        best = score;
        bestRound = round;
      } else if (prm.earlyStoppingRounds > 0 && round - bestRound >= prm.earlyStoppingRounds) break;
    }
  }
  if (prm.earlyStoppingRounds > 0) trees.length = bestRound + 1;
  return trees;
}
