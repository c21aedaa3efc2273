import { DEFAULT_MIN_POSITIVES, DEFAULT_MIN_ROWS } from '../../domain/prediction';
import { PredictionDefinition } from '../../domain/prediction-definition';

/** The labelled table as built for training (column-major: feature j of row i at j*n + i). */
export interface LabelledTable {
  X: Float32Array;
  y: ArrayLike<number>;
  n: number;
  featureNames: readonly string[];
}

/** What the messages name, so an operator sees which prediction, cutoff and audience failed. */
export interface TrainingDataContext {
  predictionId: string;
  definition: PredictionDefinition;
  cutoff: number;
  /** Users in the prediction's audience, eligible or not. */
  audienceUsers: number;
}

export interface TrainingDataLimits {
  minRows: number;
  /** Of the minority class, positive or negative. */
  minPositives: number;
}

export type TrainingDataVerdict =
  | { ok: true; positives: number; features: number; constantFeatures: string[] }
  | { ok: false; reason: string };

const DEFAULT_LIMITS: TrainingDataLimits = { minRows: DEFAULT_MIN_ROWS, minPositives: DEFAULT_MIN_POSITIVES };

function outcomeWords(def: PredictionDefinition): string {
  if (def.type === 'churn') return `churned within ${def.windowDays} days`;
  if (def.type === 'purchase') return `purchased within ${def.windowDays} days`;
  return `responded (${def.type})`;
}

/** Whether every value of a column equals the first (NaN counts as equal to NaN). */
function isConstant(col: Float32Array): boolean {
  const first = col[0];
  for (let i = 1; i < col.length; i++) if (!(col[i] === first || (col[i] !== col[i] && first !== first))) return false;
  return true;
}

/**
 * Refuses data no model can learn from (too few rows, one class, too few of the minority class,
 * every feature constant), in words that say what was found and what is needed.
 */
export function checkTrainingData(set: LabelledTable, ctx: TrainingDataContext, limits: TrainingDataLimits = DEFAULT_LIMITS): TrainingDataVerdict {
  const { n } = set;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += set.y[i];
  const features = n > 0 ? set.X.length / n : set.featureNames.length;
  const asOf = new Date(ctx.cutoff).toISOString().slice(0, 10);
  const where = `for prediction ${ctx.predictionId} at cutoff ${asOf} (${ctx.audienceUsers} users in the audience)`;
  if (n < limits.minRows) {
    return { ok: false, reason: `too few users to train ${where}: found ${n} eligible users, needs at least ${limits.minRows}` };
  }
  if (positives === 0 || positives === n) {
    return {
      ok: false,
      reason: `one class only ${where}: ${positives === 0 ? 'none' : 'all'} of the ${n} eligible users ${outcomeWords(ctx.definition)}; a model needs both outcomes`,
    };
  }
  const minority = Math.min(positives, n - positives);
  if (minority < limits.minPositives) {
    return {
      ok: false,
      reason: `too few ${minority === positives ? 'positive' : 'negative'} examples ${where}: found ${minority} of ${n} eligible users, needs at least ${limits.minPositives}`,
    };
  }
  const constantFeatures = set.featureNames.filter((_, j) => isConstant(set.X.subarray(j * n, (j + 1) * n)));
  if (constantFeatures.length === features) {
    return { ok: false, reason: `every feature is constant ${where}: the ${n} users look identical, nothing to learn from` };
  }
  return { ok: true, positives, features, constantFeatures };
}
