import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew, InsertNewResult } from './insert-new';
import { SCORE_MODEL, ScoreDoc } from './score.schema';
import { SCORE_SNAPSHOT_MODEL, ScoreSnapshotDoc } from './score-snapshot.schema';

export type NewScore = Omit<ScoreDoc, '_id'>;

export const scoreId = (s: Pick<ScoreDoc, 'predictionId' | 'scoreSet' | 'userId'>) => `${s.predictionId}:${s.scoreSet}:${s.userId}`;

@Injectable()
export class ScoresRepository {
  constructor(
    @InjectModel(SCORE_MODEL) private readonly scores: Model<ScoreDoc>,
    @InjectModel(SCORE_SNAPSHOT_MODEL) private readonly snapshots: Model<ScoreSnapshotDoc>,
  ) {}

  /** Append-only and idempotent: a score already written by an earlier attempt is left as it is. */
  insertNew(scores: readonly NewScore[]): Promise<InsertNewResult> {
    return insertNew(this.scores.collection, scores.map((s) => ({ _id: scoreId(s), ...s })));
  }

  /** Streams one score set (one scan), for the snapshot. */
  async *streamSet(predictionId: string, scoreSet: string): AsyncGenerator<Pick<ScoreDoc, 'userId' | 'probability' | 'score' | 'category'>> {
    const cursor = this.scores.collection.find(
      { predictionId, scoreSet },
      { projection: { _id: 0, userId: 1, probability: 1, score: 1, category: 1 }, batchSize: 5000 },
    );
    for await (const d of cursor) yield d as never;
  }

  /** Deletes the given score sets of a prediction (one deleteMany). */
  async deleteSets(predictionId: string, scoreSets: string[]): Promise<number> {
    if (scoreSets.length === 0) return 0;
    return (await this.scores.deleteMany({ predictionId, scoreSet: { $in: scoreSets } }).exec()).deletedCount;
  }

  async deleteAll(predictionId: string): Promise<void> {
    await this.scores.deleteMany({ predictionId }).exec();
    await this.snapshots.deleteMany({ predictionId }).exec();
  }

  findForUser(predictionId: string, scoreSet: string, userId: string): Promise<ScoreDoc | null> {
    return this.scores.findById(scoreId({ predictionId, scoreSet, userId })).lean<ScoreDoc>().exec();
  }

  async saveSnapshot(s: ScoreSnapshotDoc): Promise<void> {
    await insertNew(this.snapshots.collection, [s]);
  }

  snapshot(predictionId: string, scoreSet: string): Promise<ScoreSnapshotDoc | null> {
    return this.snapshots.findById(`${predictionId}:${scoreSet}`).lean<ScoreSnapshotDoc>().exec();
  }
}
