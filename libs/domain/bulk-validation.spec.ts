import { validateEach } from './bulk-validation';
import { eventInputSchema } from './event';
import { userInputSchema } from './user';

describe('validateEach', () => {
  it('keeps valid items and reports each refused one with index, field and reason', () => {
    const { valid, errors } = validateEach(eventInputSchema, [
      { eventId: 'e1', userId: 'u1', type: 'session', ts: '2024-01-01T00:00:00Z' },
      { eventId: 'e2', userId: 'u1', type: 'purchase', ts: '2024-01-01T00:00:00Z' },
      { eventId: 'e3', userId: 'u1', type: 'Bad Type', ts: 'yesterday' },
      'not an object',
    ]);
    expect(valid.map((v) => v.index)).toEqual([0]);
    expect(valid[0].value.ts).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(errors).toEqual([
      { index: 1, field: 'amount', reason: 'required for purchase events' },
      { index: 2, field: 'type', reason: 'must be lower_snake_case, 1-64 characters' },
      { index: 2, field: 'ts', reason: 'must be an ISO-8601 date or date-time with a zone, e.g. 2026-12-06T10:00:00Z' },
      { index: 3, field: '(item)', reason: 'Expected object, received string' },
    ]);
  });

  it('refuses unknown fields and bad time zones on users', () => {
    const { errors } = validateEach(userInputSchema, [
      { id: 'u1', timezone: 'Mars/Olympus' },
      { id: 'u2', emial: 'x@y.z' },
    ]);
    expect(errors).toEqual([
      { index: 0, field: 'timezone', reason: 'must be an IANA time zone such as Europe/Paris' },
      { index: 1, field: '(item)', reason: "Unrecognized key(s) in object: 'emial'" },
    ]);
  });
});
