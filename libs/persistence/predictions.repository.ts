import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DEFAULT_QUALITY_GATE, Prediction } from '../domain/prediction';
import { PREDICTION_MODEL, PredictionDoc } from './prediction.schema';

/** The API's view of a stored prediction; the active score set is derived from the score sets. */
export function toPrediction(d: PredictionDoc, activeScoreSet: string | null = null): Prediction {
  const { _id, qualityGate, ...rest } = d;
  return { id: _id, ...rest, qualityGate: { ...DEFAULT_QUALITY_GATE, ...qualityGate }, activeScoreSet };
}

/** Predictions are few (one document each): plain reads and single-document updates are cheap. */
@Injectable()
export class PredictionsRepository {
  constructor(@InjectModel(PREDICTION_MODEL) private readonly predictions: Model<PredictionDoc>) {}

  async create(doc: PredictionDoc): Promise<void> {
    await this.predictions.collection.insertOne(doc as never);
  }

  findById(id: string): Promise<PredictionDoc | null> {
    return this.predictions.findById(id).lean<PredictionDoc>().exec();
  }

  list(): Promise<PredictionDoc[]> {
    return this.predictions.find({}).sort({ createdAt: 1 }).lean<PredictionDoc[]>().exec();
  }

  /** Sets the given fields; returns the updated document, null if there is none. */
  async update(id: string, set: Partial<Omit<PredictionDoc, '_id'>>): Promise<PredictionDoc | null> {
    return this.predictions
      .findOneAndUpdate({ _id: id }, { $set: { ...set, updatedAt: new Date() } }, { new: true })
      .lean<PredictionDoc>()
      .exec();
  }

  async delete(id: string): Promise<boolean> {
    return (await this.predictions.deleteOne({ _id: id }).exec()).deletedCount === 1;
  }
}
