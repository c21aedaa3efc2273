import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { scoreSetKey } from '../../libs/domain/model-version';
import { Audience, inAudience, toPredictionDefinition } from '../../libs/domain/prediction';
import { PredictionDefinition } from '../../libs/domain/prediction-definition';
import { RescorePlan, RescoreRange, RescoreStats, zeroRescoreStats } from '../../libs/domain/prediction-workflows';
import { buildScoringSet } from '../../libs/ml/datasets/training-set';
import { FeatureSchema } from '../../libs/ml/features';
import { CompiledForest, compileModel, parseModel, predictMargins } from '../../libs/ml/gbdt';
import { scoreMargins } from '../../libs/ml/pipeline';
import { PlattCalibrator, percentileCutPoints } from '../../libs/ml/scores';
import { ModelVersionsRepository } from '../../libs/persistence/model-versions.repository';
import { PredictionsRepository } from '../../libs/persistence/predictions.repository';
import { ScoresRepository, NewScore } from '../../libs/persistence/scores.repository';
import { ScoreSnapshotDoc } from '../../libs/persistence/score-snapshot.schema';
import { UserHistoriesReader } from '../../libs/persistence/user-histories.reader';
import { Activity } from '../../libs/temporal/activity.decorator';
import { keepHeartbeating } from './keep-heartbeating';
import { loadPrediction } from './prediction-config';

export interface ScoreRangeInput {
  predictionId: string;
  modelVersion: number;
  scoreSet: string;
  asOf: number;
  range: RescoreRange;
  /** Users per write (and per heartbeat). */
  chunkSize?: number;
}

/** Where a range stands: every user up to `lastUserId` (inclusive) has its score written. */
interface RangeCheckpoint {
  lastUserId: string | null;
  stats: RescoreStats;
}

interface LoadedModel {
  forest: CompiledForest;
  schema: FeatureSchema;
  calibrator: PlattCalibrator;
  def: PredictionDefinition;
  audience: Audience;
}

const DEFAULT_CHUNK = 2000;

/** Rescoring steps: plan key ranges, score a range (resumable), finish (snapshot, switch, clean up). */
@Injectable()
export class ScoringActivities {
  private readonly modelCache = new Map<string, LoadedModel>();

  constructor(
    @Inject(PredictionsRepository) private readonly predictions: PredictionsRepository,
    @Inject(ModelVersionsRepository) private readonly models: ModelVersionsRepository,
    @Inject(ScoresRepository) private readonly scores: ScoresRepository,
    @Inject(UserHistoriesReader) private readonly histories: UserHistoriesReader,
  ) {}

  /** Picks the model version, cuts the user ids into `partitions` equal key ranges, registers the score set. */
  @Activity()
  async planRescore(input: { predictionId: string; modelVersion?: number; partitions: number; asOf: number }): Promise<RescorePlan> {
    const p = await loadPrediction(this.predictions, input.predictionId);
    const modelVersion = input.modelVersion ?? p.activeModelVersion;
    if (modelVersion === null || modelVersion === undefined) {
      throw ApplicationFailure.nonRetryable(`prediction ${p.id} has no active model yet: retrain it first`, 'NoActiveModel');
    }
    if (!(await this.models.find(p.id, modelVersion))) {
      throw ApplicationFailure.nonRetryable(`prediction ${p.id} has no model version ${modelVersion}`, 'NoSuchModel');
    }
    const ids = await keepHeartbeating(() => 'listing users', () => this.histories.allUserIds());
    const parts = Math.max(1, Math.min(input.partitions, Math.ceil(ids.length / 100) || 1));
    const ranges: RescoreRange[] = [];
    for (let k = 0; k < parts; k++) {
      const a = Math.floor((k * ids.length) / parts);
      const b = Math.floor(((k + 1) * ids.length) / parts);
      ranges.push({ from: k === 0 ? '' : ids[a], to: k === parts - 1 ? null : ids[b], users: b - a });
    }
    const scoreSet = scoreSetKey(modelVersion, input.asOf);
    await this.predictions.addScoreSet(p.id, { key: scoreSet, modelVersion, asOf: new Date(input.asOf), state: 'writing' });
    return { modelVersion, scoreSet, asOf: input.asOf, ranges, totalUsers: ids.length };
  }

  /**
   * Scores every user of a key range: one streamed read of the range's profiles and events, then
   * chunks of users (features, predict, append-only write), heartbeating the last user written. A
   * retry (worker killed) resumes after that user; a chunk written twice is a no-op (insertNew).
   */
  @Activity()
  async scoreRange(input: ScoreRangeInput): Promise<RescoreStats> {
    const resumed = Context.current().info.heartbeatDetails as RangeCheckpoint | undefined;
    let checkpoint: RangeCheckpoint = resumed?.stats ? resumed : { lastUserId: null, stats: zeroRescoreStats() };
    const model = await this.model(input.predictionId, input.modelVersion);
    const chunkSize = input.chunkSize ?? DEFAULT_CHUNK;
    const stats = { ...checkpoint.stats };

    let t = Date.now();
    // Resume strictly after the last written user (the key range narrows the read too).
    const from = checkpoint.lastUserId !== null ? checkpoint.lastUserId + '\u0000' : input.range.from;
    const users = await keepHeartbeating(() => checkpoint, () => this.histories.load({ from, to: input.range.to }));
    stats.readMs += Date.now() - t;

    for (let i = 0; i < users.length; i += chunkSize) {
      const chunk = users.slice(i, i + chunkSize);
      t = Date.now();
      const audience = chunk.filter((h) => inAudience(model.audience, h.attributes, h.emailSubscribed));
      const set = buildScoringSet(audience, model.def, input.asOf, model.schema);
      const margins = set.n > 0 ? predictMargins(model.forest, set.X, set.n) : new Float64Array(0);
      const scored = scoreMargins(model.calibrator, margins);
      const docs: NewScore[] = set.userIds.map((userId, k) => ({
        predictionId: input.predictionId,
        scoreSet: input.scoreSet,
        modelVersion: input.modelVersion,
        userId,
        ...scored[k],
      }));
      stats.predictMs += Date.now() - t;
      t = Date.now();
      const written = docs.length ? await this.scores.insertNew(docs) : { inserted: 0, duplicates: 0 };
      stats.writeMs += Date.now() - t;
      stats.users += chunk.length;
      stats.scored += docs.length;
      stats.inserted += written.inserted;
      checkpoint = { lastUserId: chunk[chunk.length - 1].userId, stats: { ...stats } };
      heartbeat(checkpoint);
    }
    return stats;
  }

  /**
   * After every range: the score-set snapshot (histogram, categories, percentile cut points), then
   * the switch to the new set and one deleteMany of the older ones. A run overtaken by a newer
   * completed set deletes its own scores instead. Idempotent.
   */
  @Activity()
  async finishRescore(input: { predictionId: string; plan: RescorePlan; seconds: number }): Promise<{
    users: number;
    categories: { Low: number; Medium: number; High: number };
    superseded: boolean;
    deleted: number;
  }> {
    const { plan } = input;
    const p = await this.predictions.findById(input.predictionId);
    if (!p) throw ApplicationFailure.nonRetryable(`prediction ${input.predictionId} does not exist (deleted?)`, 'PredictionNotFound');
    const newer = p.scoreSets.find((s) => s.state === 'active' && new Date(s.asOf).getTime() > plan.asOf);
    if (newer) {
      const deleted = await this.scores.deleteSets(p._id, [plan.scoreSet]);
      await this.predictions.update(p._id, { scoreSets: p.scoreSets.filter((s) => s.key !== plan.scoreSet) });
      return { users: 0, categories: { Low: 0, Medium: 0, High: 0 }, superseded: true, deleted };
    }
    const snap =
      (await this.scores.snapshot(p._id, plan.scoreSet)) ??
      (await keepHeartbeating(() => 'snapshot', () => this.snapshot(p._id, plan, input.seconds)));
    const older = p.scoreSets.filter((s) => s.key !== plan.scoreSet && new Date(s.asOf).getTime() <= plan.asOf).map((s) => s.key);
    const deleted = await this.scores.deleteSets(p._id, older);
    await this.predictions.update(p._id, {
      activeScoreSet: plan.scoreSet,
      scoreSets: p.scoreSets
        .filter((s) => !older.includes(s.key))
        .map((s) => (s.key === plan.scoreSet ? { ...s, state: 'active' as const } : s)),
    });
    return { users: snap.users, categories: snap.categories, superseded: false, deleted };
  }

  /** One scan of the score set: histogram, category and per-score counts, percentile cut points. */
  private async snapshot(predictionId: string, plan: RescorePlan, seconds: number): Promise<ScoreSnapshotDoc> {
    const histogram = Array.from({ length: 20 }, (_, b) => ({ from: b * 5, to: b === 19 ? 100 : b * 5 + 5, users: 0 }));
    const categories = { Low: 0, Medium: 0, High: 0 };
    const scoreCounts = new Array<number>(101).fill(0);
    const probs: number[] = [];
    for await (const s of this.scores.streamSet(predictionId, plan.scoreSet)) {
      histogram[Math.min(19, Math.floor(s.score / 5))].users++;
      categories[s.category]++;
      scoreCounts[s.score]++;
      probs.push(s.probability);
    }
    const snap: ScoreSnapshotDoc = {
      _id: `${predictionId}:${plan.scoreSet}`,
      predictionId,
      scoreSet: plan.scoreSet,
      modelVersion: plan.modelVersion,
      asOf: new Date(plan.asOf),
      users: probs.length,
      histogram,
      categories,
      scoreCounts,
      percentiles: percentileCutPoints(probs),
      seconds,
      usersPerSecond: seconds > 0 ? plan.totalUsers / seconds : 0,
      createdAt: new Date(),
    };
    await this.scores.saveSnapshot(snap);
    return snap;
  }

  private async model(predictionId: string, version: number): Promise<LoadedModel> {
    const key = `${predictionId}:v${version}`;
    const cached = this.modelCache.get(key);
    if (cached) return cached;
    const p = await loadPrediction(this.predictions, predictionId);
    const doc = await this.models.find(predictionId, version);
    if (!doc) throw ApplicationFailure.nonRetryable(`prediction ${predictionId} has no model version ${version}`, 'NoSuchModel');
    const loaded: LoadedModel = {
      forest: compileModel(parseModel(doc.modelJson)),
      schema: doc.featureSchema,
      calibrator: doc.calibrator,
      def: toPredictionDefinition(p),
      audience: p.audience,
    };
    if (this.modelCache.size > 20) this.modelCache.clear();
    this.modelCache.set(key, loaded);
    return loaded;
  }
}
