import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { inAudience, QualityGatePolicy, toPredictionDefinition } from '../../libs/domain/prediction';
import { RESCORE_PARTITION_USERS } from '../../libs/domain/prediction-workflows';
import { UserTimeline } from '../../libs/domain/user-timeline';
import { buildTrainingSet, trainingCutoff } from '../../libs/ml/datasets/training-set';
import { FeatureSchema } from '../../libs/ml/features';
import { checkTrainingData, runInThread } from '../../libs/ml/pipeline';
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
    @Inject(CpuSlots) private readonly cpu: CpuSlots,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
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
   */
  @Activity()
  async trainCandidate(input: { predictionId: string; retrainId: string }): Promise<CandidateResult> {
    const p = await loadPrediction(this.predictions, input.predictionId);
    const stored = await keepHeartbeating(() => ({ step: 'loading' }), () => this.trainingSets.load<TrainingSetHeader>(input.retrainId));
    if (!stored) throw ApplicationFailure.nonRetryable(`training set of ${input.retrainId} is missing`, 'MissingTrainingSet');
    const { header, X, y, n } = stored;
    // On a thread of its own (ML_THREADS threads in all), so this process's event loop keeps sending
    // heartbeats and serving other activities; cancellation (worker shutdown, timeout) ends the thread.
    const { cancellationSignal } = Context.current();
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
    const history = await this.models.history(p.id);
    const active = history.find((m) => m.status === 'active' && m.version === p.activeModelVersion) ?? null;
    const doc = await this.models.storeOnce({
      predictionId: p.id,
      status: 'candidate',
      reasons: [],
      retrainId: input.retrainId,
      cutoff: new Date(header.cutoff),
      createdAt: new Date(),
      params: trained.params,
      metrics: trained.metrics,
      thresholds: trained.thresholds,
      importance: trained.importance,
      featureNames: header.featureNames,
      trees: trained.model.trees.length,
      modelJson: trained.modelJson,
      featureSchema: header.schema,
      calibrator: trained.calibrator,
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
