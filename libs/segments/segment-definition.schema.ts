import { z } from 'zod';
import { EVENT_TYPE_PATTERN } from '../domain/event';
import { SEGMENT_CATEGORIES, SEGMENT_LIMITS as L, SegmentCondition, SegmentDefinition, SegmentNode } from '../domain/segment-definition';
import { ATTRIBUTE_NAME_PATTERN } from '../domain/user';
import { jsonProblems } from './bounded-json';
import { isGroup } from './segment-tree';

/**
 * The one schema of a segment definition: a whitelist of condition types and fields (closed objects,
 * so any other key is refused by name), then the checks that span fields (bounds in order, nesting,
 * total size). Untrusted JSON is bounded before the recursive parse sees it. Prediction and segment
 * references are checked against the catalogue by `referenceProblems` (they need the stored state).
 */

/** Prediction and segment ids as the API mints them are narrower; this only keeps them plain. */
export const SEGMENT_REF_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** ISO 8601 with a zone whenever a time is given; Date.parse accepts 2024-02-30 (as 1 March), so the calendar is checked too. */
function isIsoDate(s: string): boolean {
  if (!ISO_INSTANT.test(s)) return false;
  const [y, m, d] = s.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d && Number.isFinite(Date.parse(s));
}

/** A closed object: an unknown field is refused, naming it and the fields this node takes. */
function closed<T extends z.ZodRawShape>(what: string, shape: T) {
  const takes = Object.keys(shape).join(', ');
  return z
    .object(shape, {
      errorMap: (issue, ctx) =>
        issue.code === 'unrecognized_keys'
          ? { message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}: ${what} takes ${takes}` }
          : { message: ctx.defaultError },
    })
    .strict();
}

const negate = z.boolean().optional();
export const refIdSchema = (what: string) => z.string().regex(SEGMENT_REF_ID_PATTERN, `must be a ${what} id (letters, digits, _ and -, at most 64)`);
const attribute = z.string().regex(ATTRIBUTE_NAME_PATTERN, 'must be an attribute name (a letter, then letters, digits or _, at most 64)');
const eventType = z.string().regex(EVENT_TYPE_PATTERN, 'must be an event type (lower_snake_case, at most 64)');
const days = z.number().int('must be a whole number of days').min(1, 'at least 1 day').max(L.maxDays, `at most ${L.maxDays} days`);
export const scoreSchema = z.number().int('scores are whole numbers 0-100').min(0, 'scores are 0-100').max(100, 'scores are 0-100');
export const percentileSchema = z.number().min(0, 'percentiles are 0-100').max(100, 'percentiles are 0-100');
const scalar = z.union([z.string().max(L.maxStringLength), z.number().finite(), z.boolean()], {
  errorMap: () => ({ message: `must be a string (at most ${L.maxStringLength} characters), a number or a boolean` }),
});
const DATE_BOUND_MESSAGE = `must be an ISO 8601 date (2024-05-01, or with a time and zone) or { "daysAgo": 0-${L.maxDays} }`;
const dateBound = z.union(
  [
    z.string().refine(isIsoDate, DATE_BOUND_MESSAGE),
    closed('a relative date', { daysAgo: z.number().int('whole days').min(0, `days ago are 0-${L.maxDays}`).max(L.maxDays, `days ago are 0-${L.maxDays}`) }),
  ],
  { errorMap: () => ({ message: DATE_BOUND_MESSAGE }) },
);
const count = z.number().int('counts are whole numbers').min(0, 'counts are at least 0');
const productId = z.string().min(1, 'must not be empty').max(128, 'at most 128 characters');
const amount = z.number().finite();

const leafSchemas = [
  closed('a predictionScore condition', { type: z.literal('predictionScore'), predictionId: refIdSchema('prediction'), min: scoreSchema, max: scoreSchema, negate }),
  closed('a predictionCategory condition', {
    type: z.literal('predictionCategory'),
    predictionId: refIdSchema('prediction'),
    categories: z.array(z.enum(SEGMENT_CATEGORIES)).min(1, 'give at least one category').max(SEGMENT_CATEGORIES.length),
    negate,
  }),
  closed('a predictionPercentile condition', { type: z.literal('predictionPercentile'), predictionId: refIdSchema('prediction'), min: percentileSchema, max: percentileSchema, negate }),
  closed('a clvValue condition', { type: z.literal('clvValue'), predictionId: refIdSchema('prediction'), min: amount.optional(), max: amount.optional(), negate }),
  closed('a clvTier condition', {
    type: z.literal('clvTier'),
    predictionId: refIdSchema('prediction'),
    tiers: z.array(z.enum(['high', 'medium', 'low'])).min(1, 'give at least one tier').max(3),
    negate,
  }),
  closed('a clvPercentile condition', { type: z.literal('clvPercentile'), predictionId: refIdSchema('prediction'), min: percentileSchema, max: percentileSchema, negate }),
  closed('a topRecommendation condition', { type: z.literal('topRecommendation'), predictionId: refIdSchema('prediction'), productId: productId.optional(), category: productId.optional(), negate }),
  closed('a recommendationScore condition', {
    type: z.literal('recommendationScore'),
    predictionId: refIdSchema('prediction'),
    productId,
    min: z.number().gt(0, 'scores are above 0 (a product not recommended has none)').max(1, 'scores are shares, at most 1'),
    negate,
  }),
  closed('an attributeEquals condition', { type: z.literal('attributeEquals'), attribute, value: scalar, negate }),
  closed('an attributeIn condition', {
    type: z.literal('attributeIn'),
    attribute,
    values: z.array(scalar).min(1, 'give at least one value').max(L.maxListValues, `at most ${L.maxListValues} values`),
    negate,
  }),
  closed('an attributeRange condition', { type: z.literal('attributeRange'), attribute, min: amount.optional(), max: amount.optional(), negate }),
  closed('an attributeDateRange condition', { type: z.literal('attributeDateRange'), attribute, from: dateBound.optional(), to: dateBound.optional(), negate }),
  closed('an attributeExists condition', { type: z.literal('attributeExists'), attribute, negate }),
  closed('a subscription condition', { type: z.literal('subscription'), channel: z.literal('email'), state: z.enum(['subscribed', 'unsubscribed']), negate }),
  closed('an eventCount condition', { type: z.literal('eventCount'), eventType: eventType.optional(), withinDays: days, min: count.optional(), max: count.optional(), negate }),
  closed('an eventSum condition', { type: z.literal('eventSum'), eventType: eventType.optional(), withinDays: days, min: amount.optional(), max: amount.optional(), negate }),
  closed('a lastEvent condition', {
    type: z.literal('lastEvent'),
    eventType: eventType.optional(),
    moreThanDaysAgo: days.optional(),
    lessThanDaysAgo: days.optional(),
    includeNever: z.boolean().optional(),
    negate,
  }),
  closed('a segment condition', { type: z.literal('segment'), segmentId: refIdSchema('segment'), negate }),
  closed('a controlGroup condition', { type: z.literal('controlGroup'), negate }),
] as const;

const nodeSchema: z.ZodType<SegmentNode, z.ZodTypeDef, unknown> = z.lazy(() => z.discriminatedUnion('type', [groupSchema, ...leafSchemas]));
const groupSchema = closed('a group', {
  type: z.enum(['and', 'or']),
  conditions: z.array(nodeSchema).min(1, 'a group needs at least one condition').max(L.maxGroupSize, `at most ${L.maxGroupSize} conditions in a group`),
  negate,
});

// Room for two groups past the limit, so nesting one or two too deep gets the precise message below.
const JSON_BOUNDS = {
  maxDepth: 2 * (L.maxGroupDepth + 2) + 2,
  maxArrayLength: Math.max(L.maxGroupSize, L.maxListValues),
  maxStringLength: L.maxStringLength,
  maxKeyLength: 64,
  maxNodes: 20 * L.maxConditions + L.maxConditions * L.maxListValues,
};

type Path = (string | number)[];
type Problem = { path: Path; reason: string };

export const segmentDefinitionSchema: z.ZodType<SegmentDefinition, z.ZodTypeDef, unknown> = z
  .unknown()
  .superRefine((raw, ctx) => {
    for (const p of jsonProblems(raw, JSON_BOUNDS)) ctx.addIssue({ code: 'custom', path: p.path, message: p.reason });
  })
  .pipe(
    nodeSchema.superRefine((root, ctx) => {
      for (const p of structureProblems(root)) ctx.addIssue({ code: 'custom', path: p.path, message: p.reason });
    }),
  );

/** Nesting, total size and the rules between fields of one condition. */
function structureProblems(root: SegmentNode): Problem[] {
  const problems: Problem[] = [];
  let conditions = 0;
  const visit = (node: SegmentNode, path: Path, depth: number): void => {
    if (isGroup(node)) {
      if (depth === L.maxGroupDepth) {
        problems.push({ path, reason: `groups nest at most ${L.maxGroupDepth} deep` });
        return;
      }
      node.conditions.forEach((c, i) => visit(c, [...path, 'conditions', i], depth + 1));
      return;
    }
    conditions++;
    for (const p of conditionProblems(node)) problems.push({ path: [...path, ...p.path], reason: p.reason });
  };
  visit(root, [], 0);
  if (conditions > L.maxConditions) problems.push({ path: [], reason: `at most ${L.maxConditions} conditions in all (got ${conditions})` });
  return problems;
}

function conditionProblems(c: SegmentCondition): Problem[] {
  switch (c.type) {
    case 'predictionScore':
    case 'predictionPercentile':
    case 'clvPercentile':
      return ordered(c.min, c.max, 'min', 'max', true);
    case 'topRecommendation':
      return (c.productId === undefined) === (c.category === undefined) ? [{ path: [], reason: 'give productId or category (one of the two)' }] : [];
    case 'clvValue':
    case 'attributeRange':
    case 'eventCount':
    case 'eventSum':
      return ordered(c.min, c.max, 'min', 'max', false);
    case 'attributeDateRange': {
      if (c.from === undefined && c.to === undefined) return [{ path: [], reason: 'give from, to or both' }];
      const from = c.from === undefined ? undefined : dateBoundOrder(c.from);
      const to = c.to === undefined ? undefined : dateBoundOrder(c.to);
      return from !== undefined && to !== undefined && from.kind === to.kind && from.value > to.value
        ? [{ path: ['from'], reason: 'must not be after to' }]
        : [];
    }
    case 'lastEvent':
      if (c.moreThanDaysAgo === undefined && c.lessThanDaysAgo === undefined) return [{ path: [], reason: 'give moreThanDaysAgo, lessThanDaysAgo or both' }];
      return c.moreThanDaysAgo !== undefined && c.lessThanDaysAgo !== undefined && c.moreThanDaysAgo >= c.lessThanDaysAgo
        ? [{ path: ['moreThanDaysAgo'], reason: 'must be less than lessThanDaysAgo (otherwise no date fits)' }]
        : [];
    default:
      return [];
  }
}

function ordered(min: number | undefined, max: number | undefined, minName: string, maxName: string, bothRequired: boolean): Problem[] {
  if (!bothRequired && min === undefined && max === undefined) return [{ path: [], reason: `give ${minName}, ${maxName} or both` }];
  return min !== undefined && max !== undefined && min > max ? [{ path: [minName], reason: `must not exceed ${maxName} (${max})` }] : [];
}

/** Comparable form of a bound: instants in ms; relative bounds as minus days ago (later = larger). */
function dateBoundOrder(b: string | { daysAgo: number }): { kind: 'instant' | 'relative'; value: number } {
  return typeof b === 'string' ? { kind: 'instant', value: Date.parse(b) } : { kind: 'relative', value: -b.daysAgo };
}
