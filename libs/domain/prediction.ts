import { z } from 'zod';
import { cadenceSchema } from './cadence';
import { EVENT_TYPE_PATTERN } from './event';
import { PredictionDefinition } from './prediction-definition';
import { ATTRIBUTE_NAME_PATTERN } from './user';

/**
 * A prediction as configuration: what it forecasts, for whom, how its model is trained, and when it
 * retrains and rescores. `preview` predictions can be built and analysed but feed no segment or
 * journey (as in Braze); archiving pauses both schedules.
 */
export const PREDICTION_TYPES = ['churn', 'purchase', 'engagement', 'unsubscribe', 'clv', 'subscription_churn'] as const;
export const MAX_WINDOW_DAYS = 60;

export const predictionStatusSchema = z.enum(['preview', 'active']);
export type PredictionStatus = z.infer<typeof predictionStatusSchema>;

const eventType = z.string().regex(EVENT_TYPE_PATTERN, 'must be an event type (lower_snake_case)');
const scalar = z.union([z.string().max(1024), z.number().finite(), z.boolean(), z.null()]);

export const predictionDefinitionSchema = z
  .object({
    windowDays: z
      .number()
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(MAX_WINDOW_DAYS, `at most ${MAX_WINDOW_DAYS} days: longer windows leave too little recent history to learn from`),
    /** Churn: actions that count as activity (default session, purchase). */
    qualifyingEventTypes: z.array(eventType).min(1).max(20).optional(),
    /** Purchase: the event that counts as a purchase (default purchase). */
    purchaseEventType: eventType.optional(),
  })
  .strict();

/**
 * Who is scored and trained on: a whitelist of shapes, applied in Node to loaded profiles (never a
 * user-supplied Mongo query). Attribute values listed under a name are OR-ed; names are AND-ed.
 */
export const audienceSchema = z
  .object({
    attributes: z
      .record(z.array(scalar).min(1).max(100))
      .refine((a) => Object.keys(a).every((k) => ATTRIBUTE_NAME_PATTERN.test(k)), 'attribute names must match ' + ATTRIBUTE_NAME_PATTERN)
      .refine((a) => Object.keys(a).length <= 20, 'at most 20 attributes')
      .optional(),
    emailSubscribed: z.boolean().optional(),
  })
  .strict();
export type Audience = z.infer<typeof audienceSchema>;

/** Overrides of the training recipe; none means the size-adapted recipe (libs/ml/gbdt/training-recipe). */
export const modelParamsSchema = z
  .object({
    rounds: z.number().int().min(1).max(5000).optional(),
    learningRate: z.number().gt(0).max(1).optional(),
    maxDepth: z.number().int().min(1).max(16).optional(),
    maxLeaves: z.number().int().min(2).max(1024).optional(),
    minChildWeight: z.number().min(0).optional(),
    lambda: z.number().min(0).optional(),
    earlyStoppingRounds: z.number().int().min(0).max(1000).optional(),
    seed: z.number().int().optional(),
    /** Share of labelled users held out to evaluate the model (and fit its calibration). */
    holdoutShare: z.number().min(0.1).max(0.5).optional(),
  })
  .strict();
export type ModelParams = z.infer<typeof modelParamsSchema>;

export const qualityGatePolicySchema = z
  .object({
    minAuc: z.number().min(0.5).max(1),
    minLiftQuality: z.number().min(0).max(100),
    /** A candidate may be this much worse than the active model (AUC points, 0-1 scale). */
    aucTolerance: z.number().min(0).max(0.5),
    /** ... and this much worse in lift quality (percent points). */
    liftQualityTolerance: z.number().min(0).max(100),
  })
  .strict();
export type QualityGatePolicy = z.infer<typeof qualityGatePolicySchema>;
export const DEFAULT_QUALITY_GATE: QualityGatePolicy = { minAuc: 0.6, minLiftQuality: 10, aucTolerance: 0.02, liftQualityTolerance: 5 };

/** Fewer positives than this (in the labelled training users) cannot train a useful model. */
export const DEFAULT_MIN_POSITIVES = 50;
export const DEFAULT_MIN_ROWS = 200;

const nameSchema = z.string().trim().min(1).max(200);

export const createPredictionSchema = z
  .object({
    name: nameSchema,
    type: z.enum(PREDICTION_TYPES),
    definition: predictionDefinitionSchema,
    audience: audienceSchema.default({}),
    modelParams: modelParamsSchema.default({}),
    qualityGate: qualityGatePolicySchema.partial().default({}),
    retrainCadence: cadenceSchema.default({ every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' }),
    rescoreCadence: cadenceSchema.default({ every: 'daily', at: '05:00', timezone: 'UTC' }),
    status: predictionStatusSchema.default('preview'),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.type === 'clv') {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'clv forecasts a value, not a yes/no outcome: use the CLV report; it cannot be trained as a prediction yet' });
    }
    if (p.definition.qualifyingEventTypes && p.type !== 'churn') {
      ctx.addIssue({ code: 'custom', path: ['definition', 'qualifyingEventTypes'], message: `only churn predictions take qualifyingEventTypes (this one is ${p.type})` });
    }
    if (p.definition.purchaseEventType && p.type !== 'purchase') {
      ctx.addIssue({ code: 'custom', path: ['definition', 'purchaseEventType'], message: `only purchase predictions take purchaseEventType (this one is ${p.type})` });
    }
  });
export type CreatePrediction = z.infer<typeof createPredictionSchema>;

/** Everything but the type can change; a changed definition applies from the next retrain. */
export const updatePredictionSchema = z
  .object({
    name: nameSchema,
    definition: predictionDefinitionSchema,
    audience: audienceSchema,
    modelParams: modelParamsSchema,
    qualityGate: qualityGatePolicySchema.partial(),
    retrainCadence: cadenceSchema,
    rescoreCadence: cadenceSchema,
    status: predictionStatusSchema,
    archived: z.boolean(),
  })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).length > 0, 'give at least one field to change');
export type UpdatePrediction = z.infer<typeof updatePredictionSchema>;

/** A stored prediction as the API returns it. */
export interface Prediction extends Omit<CreatePrediction, 'qualityGate'> {
  id: string;
  qualityGate: QualityGatePolicy;
  archived: boolean;
  activeModelVersion: number | null;
  /** The score set readers use (`v<model>@<as-of>`), null before the first rescore. */
  activeScoreSet: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toPredictionDefinition(p: Pick<Prediction, 'type' | 'definition'>): PredictionDefinition {
  return { type: p.type, ...p.definition };
}

/** Whether a user's profile is in the audience (the whitelist compiled to a plain predicate). */
export function inAudience(audience: Audience, attributes: Record<string, unknown>, emailSubscribed: boolean): boolean {
  if (audience.emailSubscribed !== undefined && audience.emailSubscribed !== emailSubscribed) return false;
  for (const [name, values] of Object.entries(audience.attributes ?? {})) {
    if (!values.includes((attributes[name] ?? null) as never)) return false;
  }
  return true;
}
