import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { API_KEY_MODEL, ApiKeyDoc } from './api-key.schema';

/** Keys are few; verification reads one by `_id`. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectModel(API_KEY_MODEL) private readonly keys: Model<ApiKeyDoc>) {}

  async create(doc: ApiKeyDoc): Promise<void> {
    await this.keys.collection.insertOne(doc as never);
  }

  findById(id: string): Promise<ApiKeyDoc | null> {
    return this.keys.findById(id).lean<ApiKeyDoc>().exec();
  }

  list(): Promise<ApiKeyDoc[]> {
    return this.keys.find({}).sort({ createdAt: 1 }).lean<ApiKeyDoc[]>().exec();
  }

  /** Marks a key revoked (once: a second revoke keeps the first time); null when there is no such key. */
  async revoke(id: string, at: Date): Promise<ApiKeyDoc | null> {
    const doc = await this.findById(id);
    if (!doc || doc.revokedAt) return doc;
    await this.keys.updateOne({ _id: id }, { $set: { revokedAt: at } }).exec();
    return { ...doc, revokedAt: at };
  }
}
