import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { Audience, inAudience, Prediction, recommendationDefinition, toPredictionDefinition } from '../../libs/domain/prediction';
import { fromJsonText, STORED_REASONS, toJsonText } from '../../libs/domain/prediction-outputs';
import { RescorePartition, RescorePlan, RescoreStats, RESCORE_PARTITION_USERS, zeroRescoreStats } from '../../libs/domain/prediction-workflows';
import { UserTimeline } from '../../libs/domain/user-timeline';
import { buildScoringSet } from '../../libs/ml/datasets/training-set';
import { compileModel, parseModel, PARALLEL_MIN_ROWS, predictMargins } from '../../libs/ml/gbdt';
import { explainTop, parseRecommender, recommendForUsers, runInThread, ScoredChunk, scoreLifetimeValue, scoreMargins, StoredClvModel } from '../../libs/ml/pipeline';
import { percentileCutPoints } from '../../libs/ml/scores';
import { ModelVersionDoc } from '../../libs/persistence/model-version.schema';
import { ModelVersionsRepository } from '../../libs/persistence/model-versions.repository';
import { PredictionsRepository } from '../../libs/persistence/predictions.repository';
import { ScoreDistribution, ScoreDoc, ScoreSetDoc } from '../../libs/persistence/score-set.schema';
import { ScoreSetsRepository } from '../../libs/persistence/score-sets.repository';
import { rescorePartitionUsers } from '../../libs/domain/rescore-partition-size';
import { slotChunks } from '../../libs/domain/slot-chunks';
import { slotGroup, slotPartitions, userSlot } from '../../libs/domain/user-slots';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { Activity } from '../../libs/temporal/activity.decorator';
import { countScoresWritten } from '../worker-metrics';
import { CpuSlots } from './cpu-slots';
import { keepHeartbeating } from './keep-heartbeating';
import { loadPrediction } from './prediction-config';

export interface ScorePartitionInput {
  predictionId: string;
  modelVersion: number;
  scoreSet: string;
  asOf: number;
  partition: RescorePartition;
}

/** Rows scored and explained on the event loop (tens of ms at most); more go to a thread. */
const INLINE_SCORING_MAX_ROWS = 256;

/** Where a partition stands: every slot before `nextSlot` has all its scores written. */
interface PartitionCheckpoint {
  nextSlot: number;
  stats: RescoreStats;
}

/** A user's score document before its slot fields. */
type UserScoreDoc = Omit<ScoreDoc, 's' | 'g'>;

/** A model ready to score a chunk of users (those in the audience it can score). */
interface LoadedModel {
  audience: Audience;
  score(users: readonly UserTimeline[], asOf: number): Promise<UserScoreDoc[]>;
}

export interface FinishRescoreResult {
  users: number;
  categories: ScoreDistribution['categories'];
  /** A newer set was already complete: this one was dropped without ever being read. */
  superseded: boolean;
  /** Older sets dropped now (their grace period over). */
  dropped: string[];
}

/** Rescoring steps: plan partitions, score a partition (resumable), finish (distribution, switch, clean up). */
@Injectable()
export class ScoringActivities {
  private readonly modelCache = new Map<string, LoadedModel>();

  constructor(
    @Inject(PredictionsRepository) private readonly predictions: PredictionsRepository,
    @Inject(ModelVersionsRepository) private readonly models: ModelVersionsRepository,
    @Inject(ScoreSetsRepository) private readonly scoreSets: ScoreSetsRepository,
    @Inject(UserRecordsRepository) private readonly users: UserRecordsRepository,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @Inject(CpuSlots) private readonly cpu: CpuSlots,
  ) {}

  /**
   * Picks the model version, registers this run's score set and cuts the user base into partitions
   * of at most `partitionUsers` users (contiguous hash slots), so no activity's work grows with the
   * user count, and into at least as many as the run scores at once (`parallelism`; histories from before
   * it was passed: the deployment's RESCORE_PARALLELISM) when they would not be small
   * (rescorePartitionUsers), so partitions overlap.
   */
  @Activity()
  async planRescore(input: { predictionId: string; modelVersion?: number; partitionUsers?: number; parallelism?: number; asOf: number }): Promise<RescorePlan> {
    const p = await loadPrediction(this.predictions, input.predictionId);
    const modelVersion = input.modelVersion ?? p.activeModelVersion;
    if (modelVersion === null || modelVersion === undefined) {
      throw ApplicationFailure.nonRetryable(`prediction ${p.id} has no active model yet: retrain it first`, 'NoActiveModel');
    }
    if (!(await this.models.find(p.id, modelVersion))) {
      throw ApplicationFailure.nonRetryable(`prediction ${p.id} has no model version ${modelVersion}`, 'NoSuchModel');
    }
    const totalUsers = await this.users.estimatedUsers();
    const set = await this.scoreSets.register(p.id, modelVersion, input.asOf);
    return { modelVersion, scoreSet: set.key, asOf: input.asOf, partitions: slotPartitions(totalUsers, rescorePartitionUsers(totalUsers, input.partitionUsers ?? RESCORE_PARTITION_USERS, input.parallelism ?? this.cfg.RESCORE_PARALLELISM)), totalUsers };
  }

  /**
   * Scores every user of a partition: reads it slot by slot, scores users in chunks large enough for
   * the prediction threads, writes append-only, and heartbeats the next slot to do once every slot
   * before it is written. A retry (worker killed) resumes at that slot; a score written twice is a
   * no-op.
   */
  @Activity()
  async scorePartition(input: ScorePartitionInput): Promise<RescoreStats> {
    const resumed = Context.current().info.heartbeatDetails as PartitionCheckpoint | undefined;
    const { partition } = input;
    const stats: RescoreStats = resumed?.stats ? { ...resumed.stats } : zeroRescoreStats();
    const model = await this.model(input.predictionId, input.modelVersion);
    const set = await this.scoreSet(input.predictionId, input.scoreSet);
    const predict = async (users: UserTimeline[]) => {
      const t = Date.now();
      const audience = users.filter((u) => inAudience(model.audience, u.attributes, u.subscription.email !== 'unsubscribed'));
      const docs: ScoreDoc[] = (await model.score(audience, input.asOf)).map((d) => {
        const slot = userSlot(d._id);
        return { ...d, s: slot, g: slotGroup(slot) };
      });
      stats.predictMs += Date.now() - t;
      return { users: users.length, docs };
    };
    const write = async ({ users, docs }: { users: number; docs: ScoreDoc[] }) => {
      const t = Date.now();
      const written = docs.length ? await this.scoreSets.writeScores(set, docs) : { inserted: 0 };
      stats.writeMs += Date.now() - t;
      stats.users += users;
      stats.scored += docs.length;
      stats.inserted += written.inserted;
      countScoresWritten(written.inserted);
    };

    // One chunk's scores are written while the next users are read and scored (one write in flight:
    // memory holds at most two chunks). Chunks are whole slot batches, and the checkpoint moves past a
    // chunk's slots once its scores are written, with the stats counted up to there, and is sent at
    // once (the SDK throttles); the timer keeps heartbeating it through long reads.
    let checkpoint: PartitionCheckpoint = { nextSlot: resumed?.nextSlot ?? partition.fromSlot, stats: { ...stats } };
    let writing: Promise<void> = Promise.resolve();
    await keepHeartbeating(
      () => checkpoint,
      async () => {
        let t = Date.now();
        for await (const chunk of slotChunks(this.users.scan(partition, checkpoint.nextSlot), this.cfg.RESCORE_CHUNK_USERS ?? PARALLEL_MIN_ROWS, partition.toSlot - 1)) {
          stats.readMs += Date.now() - t;
          const scored = chunk.users.length > 0 ? await predict(chunk.users) : { users: 0, docs: [] };
          await writing;
          writing = write(scored).then(() => {
            checkpoint = { nextSlot: chunk.nextSlot, stats: { ...stats } };
            heartbeat(checkpoint);
          });
          writing.catch(() => undefined); // observed at the next await of `writing`, not as an unhandled rejection
          t = Date.now();
        }
        await writing;
      },
    );
    return stats;
  }

  /**
   * After every partition: the set's distribution (histogram, categories, percentile cut points) and
   * its completion, which makes it the one readers use unless a newer set completed first (then it
   * is dropped unread); then older sets past their grace period are dropped. Idempotent.
   */
  @Activity()
  async finishRescore(input: { predictionId: string; plan: RescorePlan; seconds: number }): Promise<FinishRescoreResult> {
    const { plan } = input;
    const set = await this.scoreSet(input.predictionId, plan.scoreSet);
    const graceMs = this.cfg.SCORE_SET_GRACE_SECONDS * 1000;
    if (set.state !== 'complete') {
      const distribution = await keepHeartbeating(() => 'distribution', () => this.distribution(set, input.seconds));
      const active = await this.scoreSets.active(input.predictionId);
      if (active && (active.asOf.getTime() > plan.asOf || (active.asOf.getTime() === plan.asOf && active.key > plan.scoreSet))) {
        await this.scoreSets.drop(set);
        return { users: distribution.users, categories: distribution.categories, superseded: true, dropped: [set.key] };
      }
      await this.scoreSets.complete(set, distribution);
      return { users: distribution.users, categories: distribution.categories, superseded: false, dropped: await this.scoreSets.dropStale(input.predictionId, graceMs) };
    }
    return { users: set.users ?? 0, categories: set.categories ?? { Low: 0, Medium: 0, High: 0 }, superseded: false, dropped: await this.scoreSets.dropStale(input.predictionId, graceMs) };
  }

  /**
   * One pass over the set: histogram, category and per-score counts, percentile cut points (of the
   * probability; of the expected value for lifetime value), and the kind's own totals.
   */
  private async distribution(set: ScoreSetDoc, seconds: number): Promise<ScoreDistribution> {
    const histogram = Array.from({ length: 20 }, (_, b) => ({ from: b * 5, to: b === 19 ? 100 : b * 5 + 5, users: 0 }));
    const categories = { Low: 0, Medium: 0, High: 0 };
    const scoreCounts = new Array<number>(101).fill(0);
    const ranked: number[] = [];
    let clv: ScoreDistribution['clv'];
    const firsts = new Map<string, { productId: string; category: string | null; users: number }>();
    for await (const group of this.scoreSets.scoresByGroup(set)) {
      for (const s of group) {
        histogram[Math.min(19, Math.floor(s.score / 5))].users++;
        categories[s.category]++;
        scoreCounts[s.score]++;
        const value = s.clv === undefined ? undefined : fromJsonText(s.clv);
        ranked.push(value ? value.expectedValue : s.probability);
        if (value) {
          clv ??= { totalExpectedValue: 0, tiers: { high: 0, medium: 0, low: 0 } };
          clv.totalExpectedValue += value.expectedValue;
          clv.tiers[value.tier]++;
        }
        const first = s.recs === undefined ? undefined : fromJsonText(s.recs)[0];
        if (first) {
          const f = firsts.get(first.p) ?? { productId: first.p, category: first.c, users: 0 };
          f.users++;
          firsts.set(first.p, f);
        }
      }
    }
    const topProducts = [...firsts.values()].sort((a, b) => b.users - a.users || a.productId.localeCompare(b.productId)).slice(0, 20);
    return {
      users: ranked.length,
      histogram,
      categories,
      scoreCounts,
      percentiles: percentileCutPoints(ranked),
      seconds,
      usersPerSecond: seconds > 0 ? ranked.length / seconds : 0,
      ...(clv ? { clv } : {}),
      ...(firsts.size ? { recommendations: { topProducts } } : {}),
    };
  }

  /**
   * A chunk's margins and reasons are computed on a thread of its own (with ML_THREADS prediction
   * threads), so the event loop keeps heartbeating and serving other activities; only a few rows here.
   * (The reasons cost ~1 ms a row: a chunk of 32,768 users whose audience keeps 18,000 blocked the
   * event loop for 29 s when "small" meant under PARALLEL_MIN_ROWS.)
   */
  private async scoreChunk(modelJson: string, x: Float32Array, n: number): Promise<ScoredChunk> {
    if (n <= INLINE_SCORING_MAX_ROWS) {
      const model = parseModel(modelJson);
      return { margins: predictMargins(compileModel(model), x, n, undefined, { numThreads: 1 }), reasons: await explainTop(model, x, n, STORED_REASONS) };
    }
    const { cancellationSignal } = Context.current();
    return this.cpu.run(
      () => runInThread({ kind: 'scores', modelJson, x, n, numThreads: this.cfg.ML_THREADS, reasons: STORED_REASONS }, { signal: cancellationSignal }),
      cancellationSignal,
    );
  }

  private async scoreSet(predictionId: string, key: string): Promise<ScoreSetDoc> {
    const set = await this.scoreSets.get(predictionId, key);
    if (!set) throw ApplicationFailure.nonRetryable(`score set ${key} of prediction ${predictionId} is not registered (dropped?)`, 'NoSuchScoreSet');
    return set;
  }

  private async model(predictionId: string, version: number): Promise<LoadedModel> {
    const key = `${predictionId}:v${version}`;
    const cached = this.modelCache.get(key);
    if (cached) return cached;
    const p = await loadPrediction(this.predictions, predictionId);
    const doc = await this.models.find(predictionId, version);
    if (!doc) throw ApplicationFailure.nonRetryable(`prediction ${predictionId} has no model version ${version}`, 'NoSuchModel');
    const loaded: LoadedModel = { audience: p.audience, score: this.scorerOf(p, doc) };
    if (this.modelCache.size > 20) this.modelCache.clear();
    this.modelCache.set(key, loaded);
    return loaded;
  }

  /** How a stored model scores users, by its kind. */
  private scorerOf(p: Prediction, doc: ModelVersionDoc): LoadedModel['score'] {
    const kind = doc.kind ?? 'binary';
    if (kind === 'clv') {
      const stored = JSON.parse(doc.modelJson) as StoredClvModel;
      return async (users, asOf) => scoreLifetimeValue(stored, users, asOf).map(({ userId, clv, ...rest }) => ({ _id: userId, ...rest, clv: toJsonText(clv) }));
    }
    if (kind === 'recommendation') {
      const model = parseRecommender(doc.modelJson);
      const def = recommendationDefinition(p);
      return async (users, asOf) => recommendForUsers(model, users, asOf, def).map(({ userId, items, ...rest }) => ({ _id: userId, ...rest, recs: toJsonText(items) }));
    }
    const def = toPredictionDefinition(p);
    const schema = doc.featureSchema!;
    const calibrator = doc.calibrator!;
    return async (users, asOf) => {
      const data = buildScoringSet(users, def, asOf, schema);
      if (data.n === 0) return [];
      const { margins, reasons } = await this.scoreChunk(doc.modelJson, data.X, data.n);
      const scored = scoreMargins(calibrator, margins);
      return data.userIds.map((userId, k) => ({ _id: userId, ...scored[k], ...(reasons ? { reasons: toJsonText(reasons[k]) } : {}) }));
    };
  }
}
