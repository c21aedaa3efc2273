import { z } from 'zod';
import { SEGMENT_CATEGORIES, SegmentCondition, SegmentDefinition } from '../domain/segment-definition';
import { percentileSchema, refIdSchema, scoreSchema } from './segment-definition.schema';

const band = (value: typeof scoreSchema) =>
  z
    .object({ min: value, max: value })
    .strict()
    .refine((b) => b.min <= b.max, { message: 'min must not exceed max', path: ['min'] });

/**
 * "Create segment from prediction" (Braze, Dynamics 365): a score range (a histogram bar or the
 * audience slider's cut: { min: cut, max: 100 }), one or more categories, or a percentile band
 * (top 10% = { min: 90, max: 100 }) picked in a prediction's analytics view. Exactly one of the three.
 */
export const segmentFromPredictionSchema = z
  .object({
    predictionId: refIdSchema('prediction'),
    name: z.string().trim().min(1).max(200).optional(),
    score: band(scoreSchema).optional(),
    category: z.union([z.enum(SEGMENT_CATEGORIES), z.array(z.enum(SEGMENT_CATEGORIES)).min(1).max(SEGMENT_CATEGORIES.length)]).optional(),
    percentile: band(percentileSchema).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const given = (['score', 'category', 'percentile'] as const).filter((k) => input[k] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', path: [], message: `give exactly one of score, category, percentile (got ${given.length ? given.join(', ') : 'none'})` });
  });
export type SegmentFromPrediction = z.infer<typeof segmentFromPredictionSchema>;

/**
 * The segment's suggested name and definition: one AND group holding the prediction condition, so
 * the editor can add conditions beside it. Validate the definition against the catalogue as any other
 * (that is where a preview prediction is refused).
 */
export function segmentFromPrediction(input: SegmentFromPrediction, predictionName?: string): { name: string; definition: SegmentDefinition } {
  const { predictionId } = input;
  let condition: SegmentCondition;
  let label: string;
  if (input.score) {
    condition = { type: 'predictionScore', predictionId, ...input.score };
    label = `score ${input.score.min}-${input.score.max}`;
  } else if (input.category) {
    const categories = SEGMENT_CATEGORIES.filter((c) => (Array.isArray(input.category) ? input.category.includes(c) : input.category === c));
    condition = { type: 'predictionCategory', predictionId, categories };
    label = categories.join(' or ');
  } else {
    const { min, max } = input.percentile!;
    condition = { type: 'predictionPercentile', predictionId, min, max };
    label = max === 100 ? `top ${100 - min}%` : min === 0 ? `bottom ${max}%` : `percentile ${min}-${max}`;
  }
  return { name: input.name ?? `${predictionName ?? predictionId}: ${label}`, definition: { type: 'and', conditions: [condition] } };
}
