import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { FeatureImportanceRow, ModelMetrics } from '../../libs/domain/model-version';
import { RESCORE_PARTITION_USERS } from '../../libs/domain/prediction-workflows';
import { UserTimeline } from '../../libs/domain/user-timeline';
import { DEFAULT_MIN_POSITIVES, DEFAULT_MIN_ROWS, inAudience, QualityGatePolicy, toPredictionDefinition } from '../../libs/domain/prediction';
import { buildTrainingSet, trainingCutoff } from '../../libs/ml/datasets/training-set';
import { FeatureSchema } from '../../libs/ml/features';
import { featureImportance, GbdtModel, predictMargins, resolveParams, selectTrainingRows, serializeModel, trainGbdt, trainWithRecipe } from '../../libs/ml/gbdt';
import { TrainingData } from '../../libs/ml/gbdt/booster';
import { calibrationTable, liftQuality, logLoss, prAuc, rocAuc, thresholdTable } from '../../libs/ml/metrics';
import { stratifiedFolds } from '../../libs/ml/random/stratified-folds';
import { applyPlatt, fitPlatt, likelihoodScore } from '../../libs/ml/scores';
import { ModelVersionsRepository } from '../../libs/persistence/model-versions.repository';
import { PredictionsRepository } from '../../libs/persistence/predictions.repository';
import { TrainingSetsRepository } from '../../libs/persistence/training-sets.repository';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { Activity } from '../../libs/temporal/activity.decorator';
import { keepHeartbeating } from './keep-heartbeating';
import { loadPrediction } from './prediction-config';

export interface BuildTrainingSetInput {
  predictionId: string;
  retrainId: string;
  /** The workflow's "now": labels are observed up to it, features are taken at now - window. */
  now: number;
}

export interface TrainingSetSummary {
  cutoff: number;
  users: number;
  rows: number;
  positives: number;
  features: number;
  constantFeatures: string[];
}

interface TrainingSetHeader {
  schema: FeatureSchema;
  featureNames: string[];
  categorical: number[];
  cutoff: number;
}

export interface CandidateResult {
  version: number;
  auc: number;
  liftQuality: number;
  grade: string;
  trees: number;
  active: { version: number; auc: number; liftQuality: number } | null;
  gate: QualityGatePolicy;
}

/** Training steps of the retrain workflow; each is safe to retry. */
@Injectable()
export class TrainingActivities {
  constructor(
    @Inject(PredictionsRepository) private readonly predictions: PredictionsRepository,
    @Inject(ModelVersionsRepository) private readonly models: ModelVersionsRepository,
    @Inject(TrainingSetsRepository) private readonly trainingSets: TrainingSetsRepository,
    @Inject(UserRecordsRepository) private readonly records: UserRecordsRepository,
  ) {}

  /**
   * Features as of the cutoff and outcomes after it, for the prediction's audience; refuses
   * degenerate data (too few rows, one class, too few positives, nothing varies) with a
   * non-retryable error naming what it found and what it needs. Stored for the training activity.
   */
  @Activity()
  async buildTrainingSet(input: BuildTrainingSetInput): Promise<TrainingSetSummary> {
    const p = await loadPrediction(this.predictions, input.predictionId);
    const def = toPredictionDefinition(p);
    if (p.type === 'clv') throw ApplicationFailure.nonRetryable('clv predictions cannot be trained as yes/no models', 'BadPrediction');
    const cutoff = trainingCutoff(def, input.now);
    const users: UserTimeline[] = [];
    let read = 0;
    await keepHeartbeating(
      () => ({ step: 'reading', users: read }),
      async () => {
        for await (const batch of this.records.population(RESCORE_PARTITION_USERS)) {
          read += batch.length;
          for (const u of batch) if (inAudience(p.audience, u.attributes, u.subscription.email !== 'unsubscribed')) users.push(u);
        }
      },
    );
    heartbeat({ step: 'features', users: users.length });
    const set = buildTrainingSet(users, def, cutoff);
    let positives = 0;
    for (let i = 0; i < set.n; i++) positives += set.y[i];
    const p_ = set.n > 0 ? set.X.length / set.n : set.schema.features.length;
    const outcome = p.type === 'churn' ? `churned within ${p.definition.windowDays} days` : p.type === 'purchase' ? `purchased within ${p.definition.windowDays} days` : `responded (${p.type})`;
    const asOf = new Date(cutoff).toISOString().slice(0, 10);
    const where = `for prediction ${p.id} at cutoff ${asOf} (${users.length} users in the audience)`;
    if (set.n < DEFAULT_MIN_ROWS) {
      throw ApplicationFailure.nonRetryable(`too few users to train ${where}: found ${set.n} eligible users, needs at least ${DEFAULT_MIN_ROWS}`, 'DegenerateTrainingData');
    }
    if (positives === 0 || positives === set.n) {
      throw ApplicationFailure.nonRetryable(
        `one class only ${where}: ${positives === 0 ? 'none' : 'all'} of the ${set.n} eligible users ${outcome}; a model needs both outcomes`,
        'DegenerateTrainingData',
      );
    }
    const minority = Math.min(positives, set.n - positives);
    if (minority < DEFAULT_MIN_POSITIVES) {
      throw ApplicationFailure.nonRetryable(
        `too few ${minority === positives ? 'positive' : 'negative'} examples ${where}: found ${minority} of ${set.n} eligible users, needs at least ${DEFAULT_MIN_POSITIVES}`,
        'DegenerateTrainingData',
      );
    }
    const featureNames = set.schema.features.map((f) => f.name);
    const constantFeatures = featureNames.filter((_, j) => {
      const col = set.X.subarray(j * set.n, (j + 1) * set.n);
      const first = col[0];
      for (let i = 1; i < col.length; i++) if (!(col[i] === first || (col[i] !== col[i] && first !== first))) return false;
      return true;
    });
    if (constantFeatures.length === p_) {
      throw ApplicationFailure.nonRetryable(`every feature is constant ${where}: the ${set.n} users look identical, nothing to learn from`, 'DegenerateTrainingData');
    }
    const header: TrainingSetHeader = {
      schema: set.schema,
      featureNames,
      categorical: set.schema.features.flatMap((f, j) => (f.kind === 'categorical' ? [j] : [])),
      cutoff,
    };
    await keepHeartbeating(() => ({ step: 'storing' }), () => this.trainingSets.save(input.retrainId, header as never, set.X, set.y, set.n, p_));
    return { cutoff, users: users.length, rows: set.n, positives, features: p_, constantFeatures };
  }

  /**
   * Trains on the stored set with early stopping on a validation split (heartbeating the round),
   * evaluates on a stratified holdout, calibrates (Platt, on the holdout margins) and stores the
   * model as a candidate version: metrics, thresholds table, feature schema and importances.
   */
  @Activity()
  async trainCandidate(input: { predictionId: string; retrainId: string }): Promise<CandidateResult> {
    const p = await loadPrediction(this.predictions, input.predictionId);
    const stored = await keepHeartbeating(() => ({ step: 'loading' }), () => this.trainingSets.load<TrainingSetHeader>(input.retrainId));
    if (!stored) throw ApplicationFailure.nonRetryable(`training set of ${input.retrainId} is missing`, 'MissingTrainingSet');
    const { header, X, y, n } = stored;
    const seed = p.modelParams.seed ?? 0;
    const holdoutShare = p.modelParams.holdoutShare ?? 0.2;
    const folds = stratifiedFolds(y, Math.round(1 / holdoutShare), seed + 1);
    const fitRows: number[] = [];
    const holdRows: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === 0 ? holdRows : fitRows).push(i);
    const all: TrainingData = { x: X, y, n, featureNames: header.featureNames, categoricalFeatures: header.categorical };
    const fit = selectTrainingRows(all, fitRows);
    const hold = selectTrainingRows(all, holdRows);

    let lastBeat = 0;
    const onRound = (round: number, trainLoss: number, validLoss: number | undefined) => {
      const t = Date.now();
      if (t - lastBeat < 1000) return;
      lastBeat = t;
      heartbeat({ step: 'training', round, trainLoss, validLoss });
    };
    const { modelParams } = p;
    const custom = Object.keys(modelParams).some((k) => k !== 'seed' && k !== 'holdoutShare');
    let model: GbdtModel;
    if (custom) {
      const params = resolveParams({ ...modelParams, seed });
      if (params.earlyStoppingRounds > 0) {
        const inner = stratifiedFolds(fit.y, 5, seed + 2);
        const tr: number[] = [];
        const va: number[] = [];
        for (let i = 0; i < fit.n; i++) (inner[i] === 0 ? va : tr).push(i);
        model = trainGbdt(selectTrainingRows(fit, tr), params, { valid: selectTrainingRows(fit, va) as never, onRound });
      } else model = trainGbdt(fit, params, { onRound });
    } else {
      model = trainWithRecipe(fit, { seed, onRound }).model;
    }
    heartbeat({ step: 'evaluating' });
    const margins = predictMargins(model, hold.x, hold.n);
    const calibrator = fitPlatt(hold.y, margins);
    const probs = Float64Array.from(margins, (m) => applyPlatt(calibrator, m));
    const scores = Float64Array.from(probs, (q) => likelihoodScore(q));
    let holdPos = 0;
    for (let i = 0; i < hold.n; i++) holdPos += hold.y[i];
    let fitPos = 0;
    for (let i = 0; i < fit.n; i++) fitPos += fit.y[i];
    const lift = liftQuality(hold.y, margins);
    const metrics: ModelMetrics = {
      auc: rocAuc(hold.y, margins),
      prAuc: prAuc(hold.y, margins),
      logLoss: logLoss(hold.y, probs),
      liftQuality: lift.percent,
      grade: lift.grade,
      trainRows: fit.n,
      trainPositives: fitPos,
      holdoutRows: hold.n,
      holdoutPositives: holdPos,
      calibration: calibrationTable(hold.y, probs, 10),
    };
    const imp = featureImportance(model);
    const totalGain = imp.reduce((s, f) => s + f.gain, 0) || 1;
    const importance: FeatureImportanceRow[] = imp.slice(0, 20).map((f) => ({ name: f.name, share: f.gain / totalGain, splits: f.splits }));
    const history = await this.models.history(p.id);
    const active = history.find((m) => m.status === 'active' && m.version === p.activeModelVersion) ?? null;
    const doc = await this.models.storeOnce({
      predictionId: p.id,
      status: 'candidate',
      reasons: [],
      retrainId: input.retrainId,
      cutoff: new Date(header.cutoff),
      createdAt: new Date(),
      params: { ...model.params, recipe: !custom },
      metrics,
      thresholds: thresholdTable(hold.y, scores),
      importance,
      featureNames: header.featureNames,
      trees: model.trees.length,
      modelJson: serializeModel(model),
      featureSchema: header.schema,
      calibrator,
    });
    return {
      version: doc.version,
      auc: doc.metrics.auc,
      liftQuality: doc.metrics.liftQuality,
      grade: doc.metrics.grade,
      trees: doc.trees,
      active: active ? { version: active.version, auc: active.metrics.auc, liftQuality: active.metrics.liftQuality } : null,
      gate: p.qualityGate,
    };
  }

  /** Makes the version the one that scores; the previous active version is retired. Idempotent. */
  @Activity()
  async promoteModel(input: { predictionId: string; version: number; reasons: string[] }): Promise<void> {
    await this.models.setStatus(input.predictionId, input.version, 'active', input.reasons);
    await this.models.retireOthers(input.predictionId, input.version);
    await this.predictions.update(input.predictionId, { activeModelVersion: input.version });
  }

  /** Keeps the candidate, marked rejected with the gate's reasons; the active model is untouched. */
  @Activity()
  async rejectModel(input: { predictionId: string; version: number; reasons: string[] }): Promise<void> {
    await this.models.setStatus(input.predictionId, input.version, 'rejected', input.reasons);
  }

  @Activity()
  async dropTrainingSet(retrainId: string): Promise<void> {
    await this.trainingSets.delete(retrainId);
  }
}
