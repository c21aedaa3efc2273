import { Schema } from 'mongoose';

/**
 * A training set between the activity that builds it and the one that trains on it (which may run
 * on another machine): chunk `k` of retrain run `retrainId` holds rows [k*rows, ...) column-major as
 * Float32 bytes, labels as bytes; chunk -1 is the header (feature schema, sizes). Deleted after use.
 */
export interface TrainingSetChunkDoc {
  _id: string; // `${retrainId}#${k}`
  retrainId: string;
  k: number;
  n: number;
  p: number;
  x?: Buffer;
  y?: Buffer;
  header?: Record<string, unknown>;
  createdAt: Date;
}

export const TRAINING_SET_MODEL = 'TrainingSetChunk';

export const trainingSetSchema = new Schema<TrainingSetChunkDoc>(
  {
    _id: { type: String, required: true },
    retrainId: { type: String, required: true },
    k: { type: Number, required: true },
    n: { type: Number, required: true },
    p: { type: Number, required: true },
    x: { type: Buffer },
    y: { type: Buffer },
    header: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
  },
  { collection: 'training_sets', versionKey: false },
);
