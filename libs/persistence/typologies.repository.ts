import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Typology } from '../domain/typology';
import { insertNew } from './insert-new';
import { TYPOLOGY_MODEL, TypologyDoc } from './typology.schema';

const toTypology = ({ _id, name, description, rules }: TypologyDoc): Typology => ({
  id: _id,
  name,
  ...(description === undefined ? {} : { description }),
  rules,
});

/** Typology definitions (validated with typologySchema by the caller). */
@Injectable()
export class TypologiesRepository {
  constructor(@InjectModel(TYPOLOGY_MODEL) private readonly typologies: Model<TypologyDoc>) {}

  /** False when the id is taken. */
  async create(t: Typology, now = new Date()): Promise<boolean> {
    const { id, ...rest } = t;
    const { inserted } = await insertNew(this.typologies.collection, [{ _id: id, ...rest, createdAt: now, updatedAt: now }]);
    return inserted === 1;
  }

  async findById(id: string): Promise<Typology | null> {
    const doc = await this.typologies.findById(id).lean<TypologyDoc>().exec();
    return doc ? toTypology(doc) : null;
  }

  async list(): Promise<Typology[]> {
    const docs = await this.typologies.find({}).lean<TypologyDoc[]>().exec();
    return docs.map(toTypology).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Replaces a definition (one writer: the API); false when there is none. */
  async replace(t: Typology, now = new Date()): Promise<boolean> {
    const { id, ...rest } = t;
    const res = await this.typologies.updateOne({ _id: id }, { $set: { ...rest, updatedAt: now } }).exec();
    return res.matchedCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.typologies.deleteOne({ _id: id }).exec()).deletedCount === 1;
  }
}
