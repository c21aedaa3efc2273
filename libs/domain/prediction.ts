import { z } from 'zod';
import { cadenceSchema } from './cadence';
import { EVENT_TYPE_PATTERN } from './event';
import { modelKind, PredictionDefinition, PredictionType } from './prediction-definition';
import { ATTRIBUTE_NAME_PATTERN } from './user';

/**
 * A prediction as configuration: what it forecasts, for whom, how its model is trained, and when it
 * retrains and rescores. `preview` predictions can be built and analysed but feed no segment or
 * journey (as in Braze); archiving pauses both schedules.
 */
export const PREDICTION_TYPES = ['churn', 'purchase', 'engagement', 'unsubscribe', 'clv', 'subscription_churn', 'recommendation'] as const satisfies readonly PredictionType[];
export const MAX_WINDOW_DAYS = 60;

export const predictionStatusSchema = z.enum(['preview', 'active']);
export type PredictionStatus = z.infer<typeof predictionStatusSchema>;

const eventType = z.string().regex(EVENT_TYPE_PATTERN, 'must be an event type (lower_snake_case)');
const scalar = z.union([z.string().max(1024), z.number().finite(), z.boolean(), z.null()]);

/** Yes/no predictions (churn, purchase, engagement, unsubscribe, subscription_churn). */
export const binaryDefinitionSchema = z
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
export type BinaryDefinition = z.infer<typeof binaryDefinitionSchema>;

/** Customer lifetime value: expected purchases and spend over the horizon (BG/NBD + Gamma-Gamma). */
export const clvDefinitionSchema = z
  .object({
    /** Days ahead the value is forecast over; the holdout that judges the model has this length (or half the history, if shorter). */
    horizonDays: z.number().int('must be a whole number of days').min(30, 'at least 30 days').max(1095, 'at most 1095 days (3 years)').default(365),
    /** Share of customers in the "high" tier (by expected value), and in "medium"; the rest are "low". */
    highShare: z.number().gt(0).max(0.9).default(0.2),
    mediumShare: z.number().min(0).max(0.9).default(0.3),
    /** The event that is a purchase, carrying `amount` (default purchase). */
    purchaseEventType: eventType.optional(),
  })
  .strict()
  .refine((d) => d.highShare + d.mediumShare <= 1, { path: ['mediumShare'], message: 'highShare + mediumShare must be at most 1' });
export type ClvDefinition = z.infer<typeof clvDefinitionSchema>;

const propertyName = z.string().regex(ATTRIBUTE_NAME_PATTERN, 'must be a property name');

/** Product recommendations: the top N products each user is likely to buy next (item-item similarity). */
export const recommendationDefinitionSchema = z
  .object({
    topN: z.number().int().min(1, 'at least 1 product').max(50, 'at most 50 products').default(10),
    /** Leave out what the user already bought (default true). */
    excludePurchased: z.boolean().default(true),
    /** Product ids never recommended (e.g. discontinued). */
    exclude: z.array(z.string().min(1).max(128)).max(1000).default([]),
    /** The last days of purchases held out to judge the model (precision/recall/NDCG@10 against popularity). */
    holdoutDays: z.number().int('must be a whole number of days').min(7, 'at least 7 days').max(180, 'at most 180 days').default(30),
    purchaseEventType: eventType.optional(),
    /** Purchase properties holding the product id (default productId) and its category (default category). */
    productProperty: propertyName.optional(),
    categoryProperty: propertyName.optional(),
  })
  .strict();
export type RecommendationDefinition = z.infer<typeof recommendationDefinitionSchema>;

export type AnyDefinition = BinaryDefinition | ClvDefinition | RecommendationDefinition;

/** The one definition schema of a prediction type. */
export function definitionSchemaFor(type: PredictionType): z.ZodType<AnyDefinition, z.ZodTypeDef, unknown> {
  const kind = modelKind(type);
  return kind === 'clv' ? clvDefinitionSchema : kind === 'recommendation' ? recommendationDefinitionSchema : binaryDefinitionSchema;
}

/** Any type's definition, as responses show it. */
export const predictionDefinitionSchema = z.union([binaryDefinitionSchema, clvDefinitionSchema, recommendationDefinitionSchema]);

/** Checks a definition against its type's schema, naming fields under `definition`; the parsed value (defaults applied) or null. */
function checkDefinition(type: PredictionType, raw: unknown, ctx: z.RefinementCtx): AnyDefinition | null {
  const parsed = definitionSchemaFor(type).safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['definition', ...i.path], message: i.message });
    return null;
  }
  const d = parsed.data as Partial<BinaryDefinition>;
  if (d.qualifyingEventTypes && type !== 'churn') {
    ctx.addIssue({ code: 'custom', path: ['definition', 'qualifyingEventTypes'], message: `only churn predictions take qualifyingEventTypes (this one is ${type})` });
  }
  if (d.purchaseEventType && modelKind(type) === 'binary' && type !== 'purchase') {
    ctx.addIssue({ code: 'custom', path: ['definition', 'purchaseEventType'], message: `only purchase, clv and recommendation predictions take purchaseEventType (this one is ${type})` });
  }
  return parsed.data;
}

/** `{ definition }` checked against a stored prediction's type (an edit), errors named under `definition`. */
export function definitionBodySchema(type: PredictionType) {
  return z.object({ definition: z.unknown() }).transform((b, ctx) => ({ definition: checkDefinition(type, b.definition, ctx) ?? (z.NEVER as AnyDefinition) }));
}

const DEFINITION_DOC =
  'by type: churn, purchase, engagement, unsubscribe, subscription_churn take { windowDays, qualifyingEventTypes (churn), purchaseEventType (purchase) }; ' +
  'clv takes { horizonDays (365), highShare (0.2), mediumShare (0.3), purchaseEventType }; ' +
  'recommendation takes { topN (10), excludePurchased (true), exclude, holdoutDays (30), purchaseEventType, productProperty, categoryProperty }';

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
    definition: z.record(z.unknown()).describe(DEFINITION_DOC),
    audience: audienceSchema.default({}),
    modelParams: modelParamsSchema.default({}),
    qualityGate: qualityGatePolicySchema.partial().default({}),
    retrainCadence: cadenceSchema.default({ every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' }),
    rescoreCadence: cadenceSchema.default({ every: 'daily', at: '05:00', timezone: 'UTC' }),
    status: predictionStatusSchema.default('preview'),
  })
  .strict()
  .transform((p, ctx) => ({ ...p, definition: checkDefinition(p.type, p.definition, ctx) ?? (z.NEVER as AnyDefinition) }));
export type CreatePrediction = z.infer<typeof createPredictionSchema>;

/** Everything but the type can change; a changed definition applies from the next retrain. */
export const updatePredictionSchema = z
  .object({
    name: nameSchema,
    /** Checked against the stored prediction's type by the service (parseDefinition). */
    definition: z.record(z.unknown()).describe(DEFINITION_DOC),
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

/** A yes/no prediction's definition as labels and features read it (throws for clv and recommendation). */
export function toPredictionDefinition(p: Pick<Prediction, 'type' | 'definition'>): PredictionDefinition {
  if (modelKind(p.type) !== 'binary') throw new Error(`${p.type} predictions have no yes/no definition`);
  return { type: p.type as PredictionDefinition['type'], ...(p.definition as BinaryDefinition) };
}

/** A clv prediction's definition with every default (also for one stored before a field existed). */
export function clvDefinition(p: Pick<Prediction, 'type' | 'definition'>): ClvDefinition {
  if (p.type !== 'clv') throw new Error(`a ${p.type} prediction has no clv definition`);
  return clvDefinitionSchema.parse(p.definition);
}

export function recommendationDefinition(p: Pick<Prediction, 'type' | 'definition'>): RecommendationDefinition {
  if (p.type !== 'recommendation') throw new Error(`a ${p.type} prediction has no recommendation definition`);
  return recommendationDefinitionSchema.parse(p.definition);
}

/** Whether a user's profile is in the audience (the whitelist compiled to a plain predicate). */
export function inAudience(audience: Audience, attributes: Record<string, unknown>, emailSubscribed: boolean): boolean {
  if (audience.emailSubscribed !== undefined && audience.emailSubscribed !== emailSubscribed) return false;
  for (const [name, values] of Object.entries(audience.attributes ?? {})) {
    if (!values.includes((attributes[name] ?? null) as never)) return false;
  }
  return true;
}
