import { Schema } from 'mongoose';
import type { ModelVersionSummary } from '../domain/model-version';
import type { ModelKind } from '../domain/prediction-definition';
import type { FeatureSchema } from '../ml/features';
import type { PlattCalibrator } from '../ml/scores';

/**
 * One trained model of a prediction (`_id` = `<predictionId>:v<version>`), with everything needed
 * to score with it later whatever the code's feature registry holds then: the model JSON, the
 * feature schema (category dictionaries included) and the calibration. A lifetime-value or
 * recommendation model (`kind`) is its JSON alone.
 */
export interface ModelVersionDoc extends ModelVersionSummary {
  _id: string;
  /** Absent: binary (every model stored before the other kinds existed). */
  kind?: ModelKind;
  modelJson: string;
  featureSchema?: FeatureSchema;
  calibrator?: PlattCalibrator;
}

export const MODEL_VERSION_MODEL = 'ModelVersion';

export const modelVersionSchema = new Schema<ModelVersionDoc>(
  {
    _id: { type: String, required: true },
    predictionId: { type: String, required: true },
    version: { type: Number, required: true },
    status: { type: String, required: true },
    reasons: { type: [String], default: [] },
    retrainId: { type: String, required: true },
    cutoff: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    decidedAt: { type: Date },
    params: { type: Schema.Types.Mixed },
    metrics: { type: Schema.Types.Mixed },
    thresholds: { type: Schema.Types.Mixed },
    importance: { type: Schema.Types.Mixed },
    featureNames: { type: [String] },
    trees: { type: Number },
    kind: { type: String },
    modelJson: { type: String, required: true },
    featureSchema: { type: Schema.Types.Mixed },
    calibrator: { type: Schema.Types.Mixed },
  },
  { collection: 'models', versionKey: false, minimize: false },
);
modelVersionSchema.index({ predictionId: 1, version: 1 }, { unique: true });
