import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ModelStatus } from '../domain/model-version';
import { insertNew } from './insert-new';
import { MODEL_VERSION_MODEL, ModelVersionDoc } from './model-version.schema';

const WITHOUT_MODEL = { modelJson: 0, featureSchema: 0 } as const;

@Injectable()
export class ModelVersionsRepository {
  constructor(@InjectModel(MODEL_VERSION_MODEL) private readonly models: Model<ModelVersionDoc>) {}

  /**
   * Stores a new version numbered after the prediction's highest, once per retrain run: a retried
   * activity finds the version its run already stored; two runs racing for a number retry the next.
   */
  async storeOnce(doc: Omit<ModelVersionDoc, '_id' | 'version'>): Promise<ModelVersionDoc> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const existing = await this.models.findOne({ retrainId: doc.retrainId }, WITHOUT_MODEL).lean<ModelVersionDoc>().exec();
      if (existing) return existing;
      const last = await this.models.find({ predictionId: doc.predictionId }, { version: 1 }).lean<{ version: number }[]>().exec();
      const version = last.reduce((m, v) => Math.max(m, v.version), 0) + 1;
      const full = { ...doc, version, _id: `${doc.predictionId}:v${version}` } as ModelVersionDoc;
      if ((await insertNew(this.models.collection, [full])).inserted === 1) return full;
    }
    throw new Error(`could not allocate a model version for ${doc.predictionId}`);
  }

  /** Versions of a prediction without the (large) model bodies, newest first. */
  history(predictionId: string): Promise<Omit<ModelVersionDoc, 'modelJson' | 'featureSchema'>[]> {
    return this.models.find({ predictionId }, WITHOUT_MODEL).sort({ version: -1 }).lean<ModelVersionDoc[]>().exec();
  }

  find(predictionId: string, version: number): Promise<ModelVersionDoc | null> {
    return this.models.findById(`${predictionId}:v${version}`).lean<ModelVersionDoc>().exec();
  }

  async setStatus(predictionId: string, version: number, status: ModelStatus, reasons?: string[]): Promise<void> {
    const set: Record<string, unknown> = { status, decidedAt: new Date() };
    if (reasons) set.reasons = reasons;
    await this.models.updateOne({ _id: `${predictionId}:v${version}` }, { $set: set }).exec();
  }

  /** Marks every other active version of the prediction retired. */
  async retireOthers(predictionId: string, keep: number): Promise<void> {
    await this.models.updateMany({ predictionId, status: 'active', version: { $ne: keep } }, { $set: { status: 'retired' } }).exec();
  }

  async deleteAll(predictionId: string): Promise<void> {
    await this.models.deleteMany({ predictionId }).exec();
  }
}
