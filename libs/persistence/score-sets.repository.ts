import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { MongoServerError } from 'mongodb';
import { Model } from 'mongoose';
import { activeScoreSet, droppableScoreSets, scoreSetKey } from '../domain/score-sets';
import { SLOT_GROUPS } from '../domain/user-slots';
import { IdBatchReader } from './id-batch-reader';
import { insertNew, InsertNewResult } from './insert-new';
import { PassScoreDoc, ScoreDistribution, ScoreDoc, ScoreSetDoc, SCORE_SET_MODEL } from './score-set.schema';

const NAMESPACE_NOT_FOUND = 26;
/**
 * What population passes (distributions, segments) read of a score: everything but the reasons,
 * which no pass uses and which are a third of a stored score's bytes.
 */
const WITHOUT_REASONS = { reasons: 0 } as const;
/** Score collections whose batched readers are kept (the active sets of the predictions being read). */
const READERS_KEPT = 32;

const state = (d: ScoreSetDoc) => ({ ...d, asOf: d.asOf.getTime(), createdAt: d.createdAt.getTime(), completedAt: d.completedAt?.getTime() });

/** Score sets (see score-set.schema.ts): which set readers use is derived, never stored. */
@Injectable()
export class ScoreSetsRepository {
  private readonly readers = new Map<string, IdBatchReader<ScoreDoc>>();

  constructor(@InjectModel(SCORE_SET_MODEL) private readonly sets: Model<ScoreSetDoc>) {}

  /** Registers a run's set (idempotent: a retried start finds it). */
  async register(predictionId: string, modelVersion: number, asOf: number): Promise<ScoreSetDoc> {
    const key = scoreSetKey(modelVersion, asOf);
    const doc: ScoreSetDoc = {
      _id: `${predictionId}:${key}`,
      predictionId,
      key,
      modelVersion,
      asOf: new Date(asOf),
      collectionName: `scores_${predictionId}_v${modelVersion}_${asOf}`,
      state: 'writing',
      createdAt: new Date(),
    };
    await insertNew(this.sets.collection, [doc]);
    const stored = (await this.get(predictionId, key)) ?? doc;
    const scores = this.sets.db.db!.collection(stored.collectionName);
    await scores.createIndex({ g: 1 });
    await scores.createIndex({ s: 1 });
    return stored;
  }

  get(predictionId: string, key: string): Promise<ScoreSetDoc | null> {
    return this.sets.findById(`${predictionId}:${key}`).lean<ScoreSetDoc>().exec();
  }

  list(predictionId: string): Promise<ScoreSetDoc[]> {
    return this.sets.find({ predictionId }).lean<ScoreSetDoc[]>().exec();
  }

  /** The set readers use now, with its distribution; null before the first rescore completes. */
  async active(predictionId: string): Promise<ScoreSetDoc | null> {
    const sets = await this.list(predictionId);
    const best = activeScoreSet(sets.map(state));
    return best ? sets.find((s) => s._id === best._id)! : null;
  }

  /** Append-only and idempotent: a score already written by an earlier attempt is left as it is. */
  writeScores(set: Pick<ScoreSetDoc, 'collectionName'>, scores: readonly ScoreDoc[]): Promise<InsertNewResult> {
    return insertNew(this.sets.db.db!.collection(set.collectionName), scores);
  }

  /** One scan of a set's scores (without their reasons, as every population pass reads them). */
  async *streamScores(set: Pick<ScoreSetDoc, 'collectionName'>): AsyncGenerator<PassScoreDoc> {
    for await (const d of this.sets.db.db!.collection<ScoreDoc>(set.collectionName).find({}, { batchSize: 5000, projection: WITHOUT_REASONS })) yield d;
  }

  /** The scores of one slot group's users, or one slot's (as a population pass reads the user records), without their reasons. */
  scoresOf(set: Pick<ScoreSetDoc, 'collectionName'>, where: { g: number } | { s: number }): Promise<PassScoreDoc[]> {
    return this.sets.db.db!.collection<ScoreDoc>(set.collectionName).find(where, { projection: WITHOUT_REASONS }).toArray();
  }

  /**
   * Every score of a set, one slot group at a time in group order, with `ahead` groups read at once:
   * the store serves a few indexed equalities side by side faster than one cursor over the set.
   */
  async *scoresByGroup(set: Pick<ScoreSetDoc, 'collectionName'>, ahead = 4): AsyncGenerator<PassScoreDoc[]> {
    const reads: Promise<PassScoreDoc[]>[] = [];
    let next = 0;
    const readNext = () => {
      if (next >= SLOT_GROUPS) return;
      const read = this.scoresOf(set, { g: next++ });
      read.catch(() => undefined); // a read that fails while an earlier one is awaited is thrown when its turn comes
      reads.push(read);
    };
    for (let k = 0; k < ahead; k++) readNext();
    while (reads.length > 0) {
      const docs = await reads.shift()!;
      readNext();
      yield docs;
    }
  }

  /** One user's score; concurrent callers' lookups in the same set share a round trip. */
  findScore(set: Pick<ScoreSetDoc, 'collectionName'>, userId: string): Promise<ScoreDoc | null> {
    let reader = this.readers.get(set.collectionName);
    if (!reader) {
      reader = new IdBatchReader<ScoreDoc>(this.sets.db.db!.collection(set.collectionName));
      this.readers.set(set.collectionName, reader);
      if (this.readers.size > READERS_KEPT) this.readers.delete(this.readers.keys().next().value!);
    }
    return reader.findById(userId);
  }

  /** Marks the run's own set complete with its distribution (the run is this document's only writer). */
  async complete(set: Pick<ScoreSetDoc, '_id'>, distribution: ScoreDistribution): Promise<void> {
    await this.sets.updateOne({ _id: set._id }, { $set: { ...distribution, state: 'complete', completedAt: new Date() } }).exec();
  }

  /** Drops the prediction's sets that nobody reads any more (see droppableScoreSets); returns their keys. */
  async dropStale(predictionId: string, graceMs: number, now = Date.now()): Promise<string[]> {
    const sets = await this.list(predictionId);
    const stale = droppableScoreSets(sets.map(state), now, graceMs);
    for (const s of stale) await this.drop(sets.find((d) => d._id === s._id)!);
    return stale.map((s) => s.key);
  }

  async drop(set: Pick<ScoreSetDoc, '_id' | 'collectionName'>): Promise<void> {
    await this.sets.db.db!.dropCollection(set.collectionName).catch((err: unknown) => {
      if (!(err instanceof MongoServerError && err.code === NAMESPACE_NOT_FOUND)) throw err;
    });
    await this.sets.deleteOne({ _id: set._id }).exec();
  }

  async deleteAll(predictionId: string): Promise<void> {
    for (const s of await this.list(predictionId)) await this.drop(s);
  }
}
