import { z } from 'zod';
import { CONTROL_GROUP_MAX_PERCENTAGE, CONTROL_GROUP_MIN_PERCENTAGE } from '../../../libs/domain/control-group';

/** The request and response bodies of the segments and control-group routes, as OpenAPI shows them. */
const date = z.string().datetime();

/** A definition as stored (validated by libs/segments on the way in); see the README for the language. */
const definitionSchema = z.record(z.unknown()).describe('A segment definition: a condition, or an and/or group of conditions (see README "Segments")');

export const segmentBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    definition: z.unknown(),
  })
  .strict();
export type SegmentBody = z.infer<typeof segmentBodySchema>;

export const previewBodySchema = z
  .object({
    definition: z.unknown(),
    /** Members to show (a stable sample: the same definition shows the same users). */
    sampleSize: z.number().int().min(0).max(100).default(20),
  })
  .strict();

export const membershipSummarySchema = z.object({
  version: z.number().int(),
  size: z.number().int(),
  evaluatedAt: date,
  changedAt: date.nullable(),
  lastChange: z.object({ version: z.number().int(), entered: z.number().int(), left: z.number().int() }).nullable(),
});

export const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  revision: z.number().int(),
  definition: definitionSchema,
  /** The predictions and segments it reads, and whether it moves with time. */
  reads: z.object({ predictions: z.array(z.string()), segments: z.array(z.string()), timeDependent: z.boolean() }),
  /** null until its first evaluation is committed. */
  membership: membershipSummarySchema.nullable(),
  updatedAt: date,
});

export const evaluationStartedSchema = z.object({
  segmentId: z.string(),
  /** The segment's workflow (Temporal UI); null when Temporal was unreachable (POST .../evaluate later). */
  workflowId: z.string().nullable(),
});

export const segmentChangedSchema = z.object({ segment: segmentSchema, evaluation: evaluationStartedSchema });
export const segmentDeletedSchema = z.object({ deleted: z.literal(true), id: z.string(), evaluation: evaluationStartedSchema });

export const previewSchema = z.object({
  /** Users read (a uniform sample of slot groups; every user when the population is small). */
  scanned: z.number().int(),
  matched: z.number().int(),
  /** The whole population's count, with a 95% interval (exact when every user was read). */
  size: z.object({ estimate: z.number().int(), low: z.number().int(), high: z.number().int() }),
  exact: z.boolean(),
  sample: z.array(z.string()),
});

export const membersPageSchema = z.object({
  segmentId: z.string(),
  version: z.number().int(),
  size: z.number().int(),
  members: z.array(z.object({ userId: z.string(), inControlGroup: z.boolean() })),
  /** Pass as `cursor` for the next page; null on the last one. */
  next: z.string().nullable(),
});

export const changesPageSchema = z.object({
  segmentId: z.string(),
  version: z.number().int(),
  changes: z.array(z.object({ userId: z.string(), change: z.enum(['entered', 'left']), version: z.number().int() })),
  next: z.string().nullable(),
});

const assignmentSchema = z.object({
  enabled: z.boolean(),
  percentage: z.number().min(CONTROL_GROUP_MIN_PERCENTAGE).max(CONTROL_GROUP_MAX_PERCENTAGE),
  salt: z.string(),
  from: date,
  to: date.nullable(),
});

export const controlGroupSettingsSchema = z.object({
  /** 0 before the control group was ever set up. */
  revision: z.number().int(),
  current: assignmentSchema.nullable(),
  /** Oldest first: each change closes the assignment before it, kept for reporting. */
  assignments: z.array(assignmentSchema),
});
