import { Schema } from 'mongoose';
import { Typology } from '../domain/typology';

/** A typology definition (validated by typologySchema before it is stored); `_id` is its id. */
export interface TypologyDoc extends Omit<Typology, 'id'> {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
}

export const TYPOLOGY_MODEL = 'Typology';

export const typologySchema = new Schema<TypologyDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String },
    rules: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'typologies', versionKey: false, minimize: false },
);
