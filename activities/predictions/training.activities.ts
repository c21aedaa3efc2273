import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { modelGrade } from '../../libs/domain/model-version';
import { clvDefinition, inAudience, Prediction, QualityGatePolicy, recommendationDefinition, toPredictionDefinition } from '../../libs/domain/prediction';
import { modelKind } from '../../libs/domain/prediction-definition';
import { gateMetricsOf, GateMetrics } from '../../libs/domain/quality-gate';
import { RESCORE_PARTITION_USERS } from '../../libs/domain/prediction-workflows';
import { UserTimeline } from '../../libs/domain/user-timeline';
import { buildTrainingSet, trainingCutoff } from '../../libs/ml/datasets/training-set';
import { FeatureSchema } from '../../libs/ml/features';
import {
  checkTrainingData,
  purchaseCounts,
  PurchaseFitInput,
  purchaseTable,
  PurchaseTableHeader,
  PURCHASE_COLUMNS,
  runInThread,
} from '../../libs/ml/pipeline';
import { ModelVersionDoc } from '../../libs/persistence/model-version.schema';
import { ModelVersionsRepository } from '../../libs/persistence/model-versions.repository';
import { PredictionsRepository } from '../../libs/persistence/predictions.repository';
import { TrainingSetsRepository } from '../../libs/persistence/training-sets.repository';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { Activity } from '../../libs/temporal/activity.decorator';
import { CpuSlots } from './cpu-slots';
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
  /** What the set holds, in words, when rows are not labelled users (lifetime value, recommendations). */
  description?: string;
}

interface TrainingSetHeader {
  schema: FeatureSchema;
  featureNames: string[];
  categorical: number[];
  cutoff: number;
}

/** The candidate's gate metrics (a yes/no model's `auc` and `liftQuality`, as always), with the active model's. */
export type CandidateResult = GateMetrics & {
  version: number;
  grade: string;
  trees: number;
  active: (GateMetrics & { version: number }) | null;
  gate: QualityGatePolicy;
};

/** Fewer customers than this cannot fit lifetime value or recommendations (a quarter as many repeat buyers for lifetime value). */
const MIN_CUSTOMERS = 40;

/** Training steps of the retrain workflow; each is safe to retry. */
@Injectable()
export class TrainingActivities {
  constructor(
    @Inject(PredictionsRepository) private readonly predictions: PredictionsRepository,
    @Inject(ModelVersionsRepository) private readonly models: ModelVersionsRepository,
    @Inject(TrainingSetsRepository) private readonly trainingSets: TrainingSetsRepository,
    @Inject(UserRecordsRepository) private readonly records: UserRecordsRepository,
    @Inject(CpuSlots) private readonly cpu: CpuSlots,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /**
   * Features as of the cutoff and outcomes after it, for the prediction's audience; refuses
   * degenerate data (too few rows, one class, too few positives, nothing varies) with a
   * non-retryable error naming what it found and what it needs. Stored for the training activity.
   * Lifetime value and recommendations store the audience's purchases instead.
   */
  @Activity()
  async buildTrainingSet(input: BuildTrainingSetInput): Promise<TrainingSetSummary> {
    const p = await loadPrediction(this.predictions, input.predictionId);
    const users = await this.readAudience(p);
    if (modelKind(p.type) !== 'binary') return this.storePurchases(p, users, input);
    const def = toPredictionDefinition(p);
    const cutoff = trainingCutoff(def, input.now);
    heartbeat({ step: 'features', users: users.length });
    const set = buildTrainingSet(users, def, cutoff);
    const featureNames = set.schema.features.map((f) => f.name);
    const verdict = checkTrainingData({ ...set, featureNames }, { predictionId: p.id, definition: def, cutoff, audienceUsers: users.length });
    if (!verdict.ok) throw ApplicationFailure.nonRetryable(verdict.reason, 'DegenerateTrainingData');
    const { positives, features, constantFeatures } = verdict;
    const header: TrainingSetHeader = {
      schema: set.schema,
      featureNames,
      categorical: set.schema.features.flatMap((f, j) => (f.kind === 'categorical' ? [j] : [])),
      cutoff,
    };
    await keepHeartbeating(() => ({ step: 'storing' }), () => this.trainingSets.save(input.retrainId, header as never, set.X, set.y, set.n, features));
    return { cutoff, users: users.length, rows: set.n, positives, features, constantFeatures };
  }

  /**
   * Trains on the stored set, off the event loop, with early stopping on a validation split (heartbeating the round),
   * evaluates on a stratified holdout, calibrates (Platt, on the holdout margins) and stores the
   * model as a candidate version: metrics, thresholds table, feature schema and importances.
   * Lifetime value and recommendations are judged on a time-based holdout against their baseline.
   */
  @Activity()
  async trainCandidate(input: { predictionId: string; retrainId: string }): Promise<CandidateResult> {
    const p = await loadPrediction(this.predictions, input.predictionId);
    const stored = await keepHeartbeating(() => ({ step: 'loading' }), () => this.trainingSets.load<TrainingSetHeader | PurchaseTableHeader>(input.retrainId));
    if (!stored) throw ApplicationFailure.nonRetryable(`training set of ${input.retrainId} is missing`, 'MissingTrainingSet');
    const history = await this.models.history(p.id);
    const active = history.find((m) => m.status === 'active' && m.version === p.activeModelVersion) ?? null;
    const base = { predictionId: p.id, status: 'candidate' as const, reasons: [], retrainId: input.retrainId, createdAt: new Date() };
    let doc: Omit<ModelVersionDoc, '_id' | 'version'>;
    // Fits run on a thread of their own (ML_THREADS threads in all), so this process's event loop keeps
    // sending heartbeats and serving other activities; cancellation (worker shutdown, timeout) ends the thread.
    const { cancellationSignal } = Context.current();
    if ('kind' in stored.header && stored.header.kind === 'purchases') {
      const table = { header: stored.header, X: stored.X, n: stored.n };
      const input: PurchaseFitInput = p.type === 'clv' ? { kind: 'clv', table, definition: clvDefinition(p) } : { kind: 'recommendation', table, definition: recommendationDefinition(p) };
      let progress: unknown = { step: 'waiting for a CPU slot' };
      const fit = await keepHeartbeating(
        () => progress,
        () =>
          this.cpu.run(() => {
            progress = { step: 'fitting' };
            return runInThread({ kind: 'purchases', input }, { signal: cancellationSignal });
          }, cancellationSignal),
        1000,
      );
      if (fit.kind === 'refused') throw ApplicationFailure.nonRetryable(`prediction ${p.id}: ${fit.reason}`, 'DegenerateTrainingData');
      const { kind, params, metrics, modelJson } = fit;
      doc = { ...base, kind, params, metrics, modelJson, thresholds: [], importance: [], featureNames: [], trees: 0, cutoff: new Date(table.header.now) };
    } else {
      const header = stored.header as TrainingSetHeader;
      const { X, y, n } = stored;
      let progress: unknown = { step: 'waiting for a CPU slot' };
      const trained = await keepHeartbeating(
        () => progress,
        () =>
          this.cpu.run(
            () =>
              runInThread(
                {
                  kind: 'train',
                  input: { x: X, y, n, featureNames: header.featureNames, categorical: header.categorical, modelParams: p.modelParams, numThreads: this.cfg.ML_THREADS },
                },
                { signal: cancellationSignal, onProgress: (round) => (progress = round) },
              ),
            cancellationSignal,
          ),
        1000,
      );
      doc = {
        ...base,
        cutoff: new Date(header.cutoff),
        params: trained.params,
        metrics: trained.metrics,
        thresholds: trained.thresholds,
        importance: trained.importance,
        featureNames: header.featureNames,
        trees: trained.model.trees.length,
        modelJson: trained.modelJson,
        featureSchema: header.schema,
        calibrator: trained.calibrator,
      };
    }
    const saved = await this.models.storeOnce(doc);
    const m = saved.metrics;
    return {
      ...gateMetricsOf(m),
      version: saved.version,
      grade: modelGrade(m),
      trees: saved.trees,
      active: active ? { ...gateMetricsOf(active.metrics), version: active.version } : null,
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

  /** The users of the prediction's audience, read partition by partition (heartbeating the count). */
  private async readAudience(p: Prediction): Promise<UserTimeline[]> {
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
    return users;
  }

  /** Lifetime value and recommendations: the audience's purchases before now, checked for enough customers. */
  private async storePurchases(p: Prediction, users: UserTimeline[], input: BuildTrainingSetInput): Promise<TrainingSetSummary> {
    const kind = modelKind(p.type);
    const def = kind === 'clv' ? clvDefinition(p) : recommendationDefinition(p);
    const table = purchaseTable(users, input.now, def);
    const c = purchaseCounts(table);
    const where = `for prediction ${p.id} (${users.length} users in the audience)`;
    const short =
      kind === 'clv'
        ? c.customers < MIN_CUSTOMERS || c.repeatCustomers < MIN_CUSTOMERS / 4
          ? `too few customers to fit lifetime value ${where}: found ${c.customers} customers, ${c.repeatCustomers} of them repeat buyers; needs at least ${MIN_CUSTOMERS} and ${MIN_CUSTOMERS / 4}`
          : null
        : c.products < 2 || c.customers < MIN_CUSTOMERS
          ? `too few purchases with a product id to recommend ${where}: found ${c.customers} customers and ${c.products} products; needs at least ${MIN_CUSTOMERS} customers and 2 products`
          : null;
    if (short) throw ApplicationFailure.nonRetryable(short, 'DegenerateTrainingData');
    await keepHeartbeating(() => ({ step: 'storing' }), () => this.trainingSets.save(input.retrainId, table.header as never, table.X, new Uint8Array(table.n), table.n, PURCHASE_COLUMNS));
    return {
      cutoff: input.now,
      users: users.length,
      rows: c.purchases,
      positives: c.customers,
      features: c.products,
      constantFeatures: [],
      description: `on ${c.purchases} purchases of ${c.customers} customers (${c.repeatCustomers} repeat buyers${kind === 'recommendation' ? `, ${c.products} products` : ''}) of ${users.length} users`,
    };
  }
}
