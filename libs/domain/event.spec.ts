import { validateEach } from './bulk-validation';
import { eventInputSchema, EVENT_LIMITS } from './event';
import { userInputSchema } from './user';

const base = { eventId: 'e1', userId: 'u1', type: 'session' };
const reasons = (item: unknown) => validateEach(eventInputSchema, [item]).errors.map((e) => `${e.field}: ${e.reason}`);

describe('event input at the edge', () => {
  it('takes ISO-8601 (date, or date-time with a zone) and whole epoch milliseconds', () => {
    for (const ts of ['2026-01-02', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05.123+01:00', 1_767_225_600_000]) {
      expect(reasons({ ...base, ts })).toEqual([]);
    }
    expect(eventInputSchema.parse({ ...base, ts: 1_767_225_600_000 }).ts).toEqual(new Date(1_767_225_600_000));
  });

  it('refuses null, booleans, 0, numeric strings, zone-less times and dates far away, naming the field', () => {
    const iso = 'ts: must be an ISO-8601 date or date-time with a zone, e.g. 2026-12-06T10:00:00Z';
    const range = 'ts: must be between 1990-01-01 and 24 hours from now';
    expect(reasons({ ...base, ts: null })).toEqual(['ts: must be an ISO-8601 date-time or epoch milliseconds']);
    expect(reasons({ ...base, ts: true })).toEqual(['ts: must be an ISO-8601 date-time or epoch milliseconds']);
    expect(reasons({ ...base, ts: 0 })).toEqual([range]);
    expect(reasons({ ...base, ts: '1767225600000' })).toEqual([iso]);
    expect(reasons({ ...base, ts: '2026-01-02T03:04:05' })).toEqual([iso]);
    expect(reasons({ ...base, ts: '9999-01-01T00:00:00Z' })).toEqual([range]);
    expect(reasons({ ...base, ts: 1.5e12 + 0.5 })).toEqual(['ts: epoch milliseconds must be a whole number']);
    expect(reasons({ ...base, ts: new Date(Date.now() + 2 * EVENT_LIMITS.futureMs).toISOString() })).toEqual([range]);
  });

  it('refuses property keys a document store reads as operators or paths, naming the key', () => {
    const ts = '2026-01-02T00:00:00Z';
    expect(reasons({ ...base, ts, properties: { $set: 1 } })).toEqual(['properties.$set: keys may not start with $ nor contain a dot or a control character']);
    expect(reasons({ ...base, ts, properties: { 'a.b': 1 } })).toEqual(['properties.a.b: keys may not start with $ nor contain a dot or a control character']);
    expect(reasons({ ...base, ts, properties: { 'plan-name': 'pro', price$: 3 } })).toEqual([]);
  });

  it('caps property count, key and value length and the event size', () => {
    const ts = '2026-01-02T00:00:00Z';
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect(reasons({ ...base, ts, properties: many })).toEqual(['properties: at most 50 properties (got 51)']);
    expect(reasons({ ...base, ts, properties: { ['k'.repeat(65)]: 1 } })).toEqual([`properties.${'k'.repeat(65)}: keys are 1-64 characters`]);
    expect(reasons({ ...base, ts, properties: { k: 'x'.repeat(1025) } })).toEqual(['properties.k: values are strings (at most 1024 characters), numbers, booleans or null']);
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    expect(reasons({ ...base, ts, properties: big })[0]).toMatch(/^\(item\): an event is at most 16384 characters as JSON \(got \d+\)$/);
  });

  it('applies the same rules to profiles: attribute names and createdAt', () => {
    const { errors } = validateEach(userInputSchema, [{ id: 'u1', attributes: { $where: 'x', 'a.b': 1, ok: 1 }, createdAt: 0 }]);
    expect(errors.map((e) => `${e.field}: ${e.reason}`)).toEqual([
      'attributes.$where: attribute names are a letter then letters, digits or _ (at most 64)',
      'attributes.a.b: attribute names are a letter then letters, digits or _ (at most 64)',
      'createdAt: must be between 1990-01-01 and 24 hours from now',
    ]);
  });
});
