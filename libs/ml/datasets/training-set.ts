import { UserHistory } from '../../domain/event';
import { PredictionDefinition } from '../../domain/prediction-definition';
import { eventsBefore } from '../features/cutoff-slices';
import { FEATURE_REGISTRY, SUBSCRIPTION_FEATURES } from '../features/feature-registry';
import { FeatureSchema, fitFeatureSchema } from '../features/feature-schema';
import { DAY_MS } from '../features/time';
import { buildFeatureMatrix } from './feature-matrix';
import { checkPredictionDefinition, isEligibleAt, labelHorizonDays, predictionLabels } from './prediction-labels';

export interface ScoringSet {
  /** Column-major: feature j of row i at j*n + i; NaN for missing. */
  X: Float32Array;
  n: number;
  schema: FeatureSchema;
  userIds: string[];
}

export interface TrainingSet extends ScoringSet {
  y: Uint8Array;
}

/** The latest cutoff whose labels are fully observed by `now`. */
export function trainingCutoff(def: PredictionDefinition, now: number): number {
  return now - labelHorizonDays(def) * DAY_MS;
}

/**
 * Features at the cutoff and outcomes after it, for the users the prediction can label. The schema
 * (attribute dictionaries included) is fitted on these users only and must be kept with the model.
 */
export function buildTrainingSet(histories: readonly UserHistory[], def: PredictionDefinition, cutoff: number): TrainingSet {
  const { eligible, labels } = predictionLabels(histories, def, cutoff);
  const users = Array.from(eligible, (i) => histories[i]);
  // Subscription churn adds the subscription features; every other type keeps the behavioural registry.
  const schema = fitFeatureSchema(users, def.type === 'subscription_churn' ? [...FEATURE_REGISTRY, ...SUBSCRIPTION_FEATURES] : FEATURE_REGISTRY);
  const { X, n } = buildFeatureMatrix(users, cutoff, schema);
  return { X, y: labels, n, schema, userIds: users.map((h) => h.userId) };
}

/** Features at `now` for every user in the prediction's audience, in the trained model's schema. */
export function buildScoringSet(
  histories: readonly UserHistory[],
  def: PredictionDefinition,
  now: number,
  schema: FeatureSchema,
): ScoringSet {
  checkPredictionDefinition(def);
  const users = histories.filter((h) => isEligibleAt(def, eventsBefore(h.events, now), now, h.createdAt));
  const { X, n } = buildFeatureMatrix(users, now, schema);
  return { X, n, schema, userIds: users.map((h) => h.userId) };
}
