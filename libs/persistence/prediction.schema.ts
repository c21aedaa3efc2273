import { Schema } from 'mongoose';
import type { Cadence } from '../domain/cadence';
import type { AnyDefinition, Audience, ModelParams, PredictionStatus, QualityGatePolicy } from '../domain/prediction';
import type { PredictionType } from '../domain/prediction-definition';

/** A prediction's configuration and its active model version. Small collection. */
export interface PredictionDoc {
  _id: string;
  name: string;
  type: PredictionType;
  definition: AnyDefinition;
  audience: Audience;
  modelParams: ModelParams;
  qualityGate: Partial<QualityGatePolicy>;
  retrainCadence: Cadence;
  rescoreCadence: Cadence;
  status: PredictionStatus;
  archived: boolean;
  activeModelVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export const PREDICTION_MODEL = 'Prediction';

export const predictionSchema = new Schema<PredictionDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    type: { type: String, required: true },
    definition: { type: Schema.Types.Mixed, required: true },
    audience: { type: Schema.Types.Mixed, default: {} },
    modelParams: { type: Schema.Types.Mixed, default: {} },
    qualityGate: { type: Schema.Types.Mixed, default: {} },
    retrainCadence: { type: Schema.Types.Mixed, required: true },
    rescoreCadence: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: ['preview', 'active'], required: true },
    archived: { type: Boolean, default: false },
    activeModelVersion: { type: Number, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'predictions', versionKey: false, minimize: false },
);
