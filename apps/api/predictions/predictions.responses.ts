import { z } from 'zod';
import { cadenceSchema } from '../../../libs/domain/cadence';
import {
  PREDICTION_TYPES,
  audienceSchema,
  modelParamsSchema,
  predictionDefinitionSchema,
  predictionStatusSchema,
  qualityGatePolicySchema,
} from '../../../libs/domain/prediction';

/** The response bodies of the predictions routes, as OpenAPI shows them. */
const date = z.string().datetime();

export const predictionSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(PREDICTION_TYPES),
  definition: predictionDefinitionSchema,
  audience: audienceSchema,
  modelParams: modelParamsSchema,
  qualityGate: qualityGatePolicySchema,
  retrainCadence: cadenceSchema,
  rescoreCadence: cadenceSchema,
  status: predictionStatusSchema,
  archived: z.boolean(),
  activeModelVersion: z.number().int().nullable(),
  activeScoreSet: z.string().nullable(),
  createdAt: date,
  updatedAt: date,
});

const scheduleChanges = z.array(
  z.object({ scheduleId: z.string(), change: z.enum(['created', 'updated', 'paused', 'unpaused', 'deleted']), detail: z.string() }),
);

export const predictionChangedSchema = z.object({ prediction: predictionSchema, schedules: scheduleChanges });
export const predictionDeletedSchema = z.object({ deleted: z.literal(true), schedules: scheduleChanges });
export const runTriggeredSchema = z.object({ triggered: z.enum(['retrain', 'rescore']), scheduleId: z.string() });
export const reconcileReportSchema = z.object({
  at: date,
  predictions: z.number().int(),
  changes: scheduleChanges,
  errors: z.array(z.object({ predictionId: z.string(), error: z.string() })),
});

export const rescoreProgressSchema = z
  .object({ status: z.string() })
  .passthrough()
  .describe('The rescore workflow status, with its progress (done/total, users/s, ETA) while running or its result once completed');

export const userScoreSchema = z.object({
  predictionId: z.string(),
  userId: z.string(),
  score: z.number().int().min(0).max(100),
  probability: z.number(),
  category: z.enum(['Low', 'Medium', 'High']),
  percentile: z.number().int().nullable(),
  modelVersion: z.number().int(),
  scoreSet: z.string(),
  usableInSegments: z.boolean(),
  reasons: z
    .array(z.object({ feature: z.string(), value: z.number().nullable(), contribution: z.number(), text: z.string() }))
    .optional()
    .describe("Yes/no predictions: the top contributions to the user's score (log-odds; plus the base value they sum to the margin), in words"),
  clv: z
    .object({
      expectedValue: z.number(),
      expectedPurchases: z.number(),
      probabilityAlive: z.number(),
      valuePercentile: z.number(),
      tier: z.enum(['high', 'medium', 'low']),
      expectedNextPurchaseAt: date.nullable(),
      averageDaysBetweenPurchases: z.number().nullable(),
      purchases: z.number().int(),
    })
    .optional()
    .describe('Lifetime value predictions: the customer over the horizon'),
  recommendations: z
    .array(z.object({ productId: z.string(), category: z.string().nullable(), score: z.number() }))
    .optional()
    .describe('Recommendation predictions: best first; score = share of the user\'s affinity'),
});

const scheduleState = z.object({
  scheduleId: z.string(),
  exists: z.boolean(),
  paused: z.boolean().optional(),
  cadence: z.string().optional(),
  nextRuns: z.array(date).optional(),
  lastRun: z.object({ scheduledAt: date, workflowId: z.string(), status: z.string().optional() }).nullable().optional(),
  runs: z.number().int().optional(),
});

const modelStatus = z.enum(['candidate', 'active', 'rejected', 'retired']);
const rankingQuality = z.object({ precision: z.number(), recall: z.number(), ndcg: z.number() });

export const analyticsSchema = z.object({
  prediction: predictionSchema
    .pick({ id: true, name: true, type: true, status: true, archived: true, activeModelVersion: true })
    .extend({ usableInSegments: z.boolean() }),
  quality: z
    .union([
      z.object({
        modelVersion: z.number().int(),
        modelStatus: modelStatus,
        kind: z.literal('binary'),
        liftQuality: z.number(),
        grade: z.enum(['Poor', 'Fair', 'Good', 'Excellent']),
        auc: z.number(),
        prAuc: z.number(),
        logLoss: z.number(),
        holdout: z.object({ users: z.number().int(), positives: z.number().int() }),
        calibration: z.array(
          z.object({
            bin: z.number().int(),
            lower: z.number(),
            upper: z.number(),
            count: z.number().int(),
            meanPredicted: z.number().nullable(),
            observedRate: z.number().nullable(),
          }),
        ),
      }),
      z
        .object({
          modelVersion: z.number().int(),
          modelStatus: modelStatus,
          kind: z.literal('clv'),
          summary: z.string(),
          grade: z.enum(['A', 'B', 'C']),
          hitRate: z.number(),
          baselineHitRate: z.number(),
          topShare: z.number(),
          actualTop: z.number().int(),
          customers: z.number().int(),
          holdoutDays: z.number().int(),
          mae: z.number(),
          rmse: z.number(),
          predictedValue: z.number(),
          actualValue: z.number(),
          predictedPurchases: z.number(),
          actualPurchases: z.number(),
        })
        .describe("Lifetime value on the holdout, graded as Dynamics 365 does: share of the real top customers found by the model and by past value"),
      z
        .object({
          modelVersion: z.number().int(),
          modelStatus: modelStatus,
          kind: z.literal('recommendation'),
          summary: z.string(),
          k: z.number().int(),
          holdoutDays: z.number().int(),
          customers: z.number().int(),
          products: z.number().int(),
          ours: rankingQuality,
          popularity: rankingQuality,
        })
        .describe('Recommendations on the time-based holdout: precision, recall and NDCG at k, ours and popularity\'s'),
    ])
    .nullable(),
  scores: z
    .object({
      scoreSet: z.string(),
      asOf: date,
      users: z.number().int(),
      histogram: z.array(z.object({ from: z.number(), to: z.number(), users: z.number().int() })),
      categories: z.object({ Low: z.number().int(), Medium: z.number().int(), High: z.number().int() }),
      rescoreSeconds: z.number(),
      usersPerSecond: z.number(),
      clv: z.object({ totalExpectedValue: z.number(), tiers: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }) }).optional(),
      recommendations: z
        .object({ topProducts: z.array(z.object({ productId: z.string(), category: z.string().nullable(), users: z.number().int() })) })
        .optional()
        .describe('The products most often recommended first'),
    })
    .nullable(),
  thresholds: z.array(
    z.object({
      cut: z.number(),
      audienceSize: z.number().int().nullable(),
      audienceShareOnHoldout: z.number(),
      expectedPrecision: z.number().nullable().describe('null when no holdout user scores at or above the cut'),
      expectedRecall: z.number(),
    }),
  ),
  topFeatures: z.array(z.object({ name: z.string(), share: z.number(), splits: z.number().int() })),
  models: z.array(
    z.object({
      version: z.number().int(),
      status: z.string(),
      reasons: z.array(z.string()),
      auc: z.number().nullable(),
      liftQuality: z.number().nullable(),
      grade: z.string(),
      quality: z.string(),
      trees: z.number().int(),
      cutoff: date,
      createdAt: date,
      decidedAt: date.optional(),
      retrainId: z.string(),
    }),
  ),
  schedules: z.object({ retrain: scheduleState, rescore: scheduleState, ids: z.object({ retrain: z.string(), rescore: z.string() }) }),
});
