import { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { segmentDefinitionSchema } from './segment-definition.schema';
import { EVERY_CONDITION_TYPE, SEGMENT_EXAMPLES } from './segment-examples';

const errorsOf = (input: unknown) => {
  const r = segmentDefinitionSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message }));
};
const and = (...conditions: unknown[]) => ({ type: 'and', conditions });
const nest = (levels: number, leaf: unknown): unknown => {
  let node = leaf;
  for (let i = 0; i < levels; i++) node = and(node);
  return node;
};


describe('segmentDefinitionSchema', () => {
  it('accepts every condition type in AND/OR groups and returns it unchanged', () => {
    const definition = { type: 'or', conditions: [and(...EVERY_CONDITION_TYPE.slice(0, 7)), and(...EVERY_CONDITION_TYPE.slice(7))], negate: false };
    expect(segmentDefinitionSchema.parse(definition)).toEqual(definition);
    expect(segmentDefinitionSchema.parse(EVERY_CONDITION_TYPE[0])).toEqual(EVERY_CONDITION_TYPE[0]);
  });

  it.each(Object.entries(SEGMENT_EXAMPLES))('accepts the documented example %s', (_name, example) => {
    expect(segmentDefinitionSchema.parse(example)).toEqual(example);
  });

  describe('refuses hostile input, naming the field', () => {
    it.each([
      ['a $where at the top', { $where: 'sleep(100)' }, '$where', 'operators are not accepted ($where): use the documented condition types'],
      ['a $function in a group', and({ $function: { body: 'x' } }), 'conditions.0.$function', 'operators are not accepted ($function): use the documented condition types'],
      ['an $expr as a value', and({ type: 'attributeEquals', attribute: 'a', value: { $expr: {} } }), 'conditions.0.value.$expr', 'operators are not accepted ($expr): use the documented condition types'],
      ['an operator object as a value', and({ type: 'attributeEquals', attribute: 'a', value: { gt: 1 } }), 'conditions.0.value', 'must be a string (at most 1024 characters), a number or a boolean'],
      ['an unknown key', and({ type: 'attributeEquals', attribute: 'a', value: 1, op: 'gt' }), 'conditions.0', "unknown field 'op': an attributeEquals condition takes type, attribute, value, negate"],
      ['an unknown condition type', and({ type: 'where', js: 'x' }), 'conditions.0.type', expect.stringContaining('Invalid discriminator value')],
      ['an unknown group operator', { type: 'nor', conditions: [] }, 'type', expect.stringContaining("Expected 'and' | 'or' |")],
      ['a __proto__ key', JSON.parse('{"type":"controlGroup","__proto__":{"polluted":true}}'), '', "unknown field '__proto__': a controlGroup condition takes type, negate"],
      ['an attribute name with a dot (a path into documents)', and({ type: 'attributeExists', attribute: 'a.b' }), 'conditions.0.attribute', expect.stringContaining('must be an attribute name')],
      ['an event type with a $', and({ type: 'eventCount', eventType: '$purchase', withinDays: 3, min: 1 }), 'conditions.0.eventType', expect.stringContaining('must be an event type')],
      ['a huge array', and({ type: 'attributeIn', attribute: 'a', values: Array.from({ length: 1e6 }, (_, i) => i) }), 'conditions.0.values', 'at most 100 items (got 1000000)'],
      ['a long string', and({ type: 'attributeEquals', attribute: 'a', value: 'x'.repeat(1025) }), 'conditions.0.value', 'at most 1024 characters'],
      ['a non-JSON value', and({ type: 'attributeEquals', attribute: 'a', value: () => 1 }), 'conditions.0.value', 'must be JSON (null, boolean, number, string, array or object)'],
    ])('%s', (_what, input, field, reason) => {
      expect(errorsOf(input)).toEqual([{ field, reason }]);
    });
  });

  it('allows 5 nested groups and names the sixth', () => {
    expect(errorsOf(nest(5, { type: 'controlGroup' }))).toEqual([]);
    expect(errorsOf(nest(6, { type: 'controlGroup' }))).toEqual([{ field: 'conditions.0.conditions.0.conditions.0.conditions.0.conditions.0', reason: 'groups nest at most 5 deep' }]);
  });

  it('refuses nesting far past the limit before parsing it, without a stack overflow', () => {
    const errors = errorsOf(nest(100_000, { type: 'controlGroup' }));
    expect(errors).toHaveLength(1);
    expect(errors[0].reason).toBe('nested too deeply (more than 16 levels of objects and arrays)');
    expect(errors[0].field).toBe(Array(8).fill('conditions.0').join('.'));
  });

  it('bounds the total number of conditions and the size of a group', () => {
    const leaf = { type: 'subscription', channel: 'email', state: 'subscribed' };
    const groupOf = (n: number) => and(...Array.from({ length: n }, () => leaf));
    expect(errorsOf(and(groupOf(50), groupOf(50)))).toEqual([]);
    expect(errorsOf(and(groupOf(50), groupOf(50), leaf))).toEqual([{ field: '', reason: 'at most 100 conditions in all (got 101)' }]);
    expect(errorsOf(groupOf(51))).toEqual([{ field: 'conditions', reason: 'at most 50 conditions in a group' }]);
    expect(errorsOf(and())).toEqual([{ field: 'conditions', reason: 'a group needs at least one condition' }]);
  });

  it('checks the rules between fields of a condition', () => {
    const p = 'p_000000000001';
    expect(errorsOf(and({ type: 'predictionScore', predictionId: p, min: 80, max: 20 }))).toEqual([{ field: 'conditions.0.min', reason: 'must not exceed max (20)' }]);
    expect(errorsOf(and({ type: 'predictionScore', predictionId: p, min: 70.5, max: 100 }))).toEqual([{ field: 'conditions.0.min', reason: 'scores are whole numbers 0-100' }]);
    expect(errorsOf(and({ type: 'predictionScore', predictionId: p, min: 0, max: 101 }))).toEqual([{ field: 'conditions.0.max', reason: 'scores are 0-100' }]);
    expect(errorsOf(and({ type: 'predictionCategory', predictionId: p, categories: ['Hot'] }))[0].field).toBe('conditions.0.categories.0');
    expect(errorsOf(and({ type: 'attributeRange', attribute: 'age' }))).toEqual([{ field: 'conditions.0', reason: 'give min, max or both' }]);
    expect(errorsOf(and({ type: 'eventCount', withinDays: 30, min: 1.5 }))).toEqual([{ field: 'conditions.0.min', reason: 'counts are whole numbers' }]);
    expect(errorsOf(and({ type: 'eventSum', withinDays: 0, min: 1 }))).toEqual([{ field: 'conditions.0.withinDays', reason: 'at least 1 day' }]);
    expect(errorsOf(and({ type: 'eventCount', withinDays: 3651, min: 1 }))).toEqual([{ field: 'conditions.0.withinDays', reason: 'at most 3650 days' }]);
    expect(errorsOf(and({ type: 'lastEvent' }))).toEqual([{ field: 'conditions.0', reason: 'give moreThanDaysAgo, lessThanDaysAgo or both' }]);
    expect(errorsOf(and({ type: 'clvValue', predictionId: p }))).toEqual([{ field: 'conditions.0', reason: 'give min, max or both' }]);
    expect(errorsOf(and({ type: 'clvTier', predictionId: p, tiers: ['gold'] }))[0].field).toBe('conditions.0.tiers.0');
    expect(errorsOf(and({ type: 'clvPercentile', predictionId: p, min: 90, max: 80 }))).toEqual([{ field: 'conditions.0.min', reason: 'must not exceed max (80)' }]);
    expect(errorsOf(and({ type: 'topRecommendation', predictionId: p }))).toEqual([{ field: 'conditions.0', reason: 'give productId or category (one of the two)' }]);
    expect(errorsOf(and({ type: 'topRecommendation', predictionId: p, productId: 'x', category: 'y' }))).toEqual([{ field: 'conditions.0', reason: 'give productId or category (one of the two)' }]);
    expect(errorsOf(and({ type: 'recommendationScore', predictionId: p, productId: 'x', min: 0 }))).toEqual([
      { field: 'conditions.0.min', reason: 'scores are above 0 (a product not recommended has none)' },
    ]);
    expect(errorsOf(and({ type: 'lastEvent', moreThanDaysAgo: 30, lessThanDaysAgo: 30 }))).toEqual([
      { field: 'conditions.0.moreThanDaysAgo', reason: 'must be less than lessThanDaysAgo (otherwise no date fits)' },
    ]);
  });

  it('takes absolute dates (real calendar dates, a zone with any time) and relative ones', () => {
    const range = (from: unknown, to?: unknown) => errorsOf(and({ type: 'attributeDateRange', attribute: 'd', from, to }));
    expect(range('2024-02-29', '2024-03-01T10:00:00.5+02:00')).toEqual([]);
    expect(range({ daysAgo: 60 }, { daysAgo: 0 })).toEqual([]);
    const bad = 'must be an ISO 8601 date (2024-05-01, or with a time and zone) or { "daysAgo": 0-3650 }';
    expect(range('2023-02-29')).toEqual([{ field: 'conditions.0.from', reason: bad }]);
    expect(range('2024-01-01T10:00')).toEqual([{ field: 'conditions.0.from', reason: bad }]);
    expect(range('yesterday')).toEqual([{ field: 'conditions.0.from', reason: bad }]);
    expect(range({ daysAgo: -1 })).toEqual([{ field: 'conditions.0.from.daysAgo', reason: 'days ago are 0-3650' }]);
    expect(range('2024-03-01', '2024-01-01')).toEqual([{ field: 'conditions.0.from', reason: 'must not be after to' }]);
    expect(range({ daysAgo: 1 }, { daysAgo: 5 })).toEqual([{ field: 'conditions.0.from', reason: 'must not be after to' }]);
    expect(range(undefined, undefined)).toEqual([{ field: 'conditions.0', reason: 'give from, to or both' }]);
  });

  it('names fields from the root of the request when embedded in a body schema', () => {
    const body = z.object({ name: z.string(), definition: segmentDefinitionSchema }).strict();
    const r = body.safeParse({ name: 'x', definition: and({ $where: '1' }) });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(['definition.conditions.0.$where']);
  });

  it('can be shown as JSON Schema (OpenAPI)', () => {
    const toJsonSchema = zodToJsonSchema as (schema: unknown, options: unknown) => Record<string, unknown>;
    expect(JSON.stringify(toJsonSchema(segmentDefinitionSchema, { target: 'openApi3' }))).toContain('predictionPercentile');
  });
});
