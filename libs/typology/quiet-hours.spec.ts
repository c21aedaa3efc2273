import { QuietHoursRule, quietHoursRuleSchema } from '../domain/typology';
import { localTimeOfDay } from './local-time';
import { afterQuietHours, isQuiet, quietHoursEnd } from './quiet-hours';

const night = quietHoursRuleSchema.parse({ type: 'quiet_hours', name: 'night', start: '22:00', end: '08:00' });
const at = (iso: string) => Date.parse(iso);
const iso = (ts: number | null) => (ts === null ? null : new Date(ts).toISOString());

describe('quiet hours', () => {
  it.each([
    // Paris springs forward in the night of 30-31 March 2024: the night is an hour shorter, ends 08:00 CEST.
    ['Europe/Paris', '2024-03-30T22:00:00Z', '2024-03-31T06:00:00.000Z'],
    // New York falls back in the night of 2-3 November 2024: an hour longer, ends 08:00 EST.
    ['America/New_York', '2024-11-03T03:00:00Z', '2024-11-03T13:00:00.000Z'],
    // Tokyo has no DST: 23:30 JST on 30 March ends at 08:00 JST.
    ['Asia/Tokyo', '2024-03-30T14:30:00Z', '2024-03-30T23:00:00.000Z'],
    // Sydney leaves DST on 7 April 2024 (03:00 AEDT -> 02:00 AEST): ends 08:00 AEST.
    ['Australia/Sydney', '2024-04-06T12:00:00Z', '2024-04-06T22:00:00.000Z'],
    // Just after midnight, before the change, in the small hours.
    ['America/New_York', '2024-11-03T05:30:00Z', '2024-11-03T13:00:00.000Z'],
  ])('in %s, a message at %s waits until %s (08:00 local)', (timezone, now, end) => {
    expect(iso(quietHoursEnd(night, timezone, at(now)))).toBe(end);
    expect(localTimeOfDay(timezone, at(end))).toBe(8 * 3_600_000);
  });

  it('ends where the clock jumps when the end time does not exist that night (spring forward)', () => {
    const rule = quietHoursRuleSchema.parse({ type: 'quiet_hours', name: 'q', start: '22:00', end: '02:30' });
    // New York: 02:00 EST becomes 03:00 EDT at 07:00Z on 10 March 2024; 02:30 never happens.
    expect(iso(quietHoursEnd(rule, 'America/New_York', at('2024-03-10T04:00:00Z')))).toBe('2024-03-10T07:00:00.000Z');
  });

  it('ends at the first 01:30 when the clock shows it twice (fall back)', () => {
    const rule = quietHoursRuleSchema.parse({ type: 'quiet_hours', name: 'q', start: '22:00', end: '01:30' });
    expect(iso(quietHoursEnd(rule, 'America/New_York', at('2024-11-03T03:00:00Z')))).toBe('2024-11-03T05:30:00.000Z');
  });

  it('lets messages outside the window through, on both sides of midnight and of the window', () => {
    expect(quietHoursEnd(night, 'Europe/Paris', at('2024-06-01T10:00:00Z'))).toBeNull(); // 12:00 CEST
    expect(quietHoursEnd(night, 'Europe/Paris', at('2024-06-01T06:00:00Z'))).toBeNull(); // 08:00 exactly: open
    expect(isQuiet(night, 'Europe/Paris', at('2024-06-01T19:59:59Z'))).toBe(false); // 21:59:59
    expect(isQuiet(night, 'Europe/Paris', at('2024-06-01T20:00:00Z'))).toBe(true); // 22:00
  });

  it('uses the rule’s default zone for users without one, and windows that do not wrap midnight', () => {
    const lunch = quietHoursRuleSchema.parse({ type: 'quiet_hours', name: 'lunch', start: '12:00', end: '14:00', defaultTimezone: 'Asia/Kolkata' });
    expect(iso(quietHoursEnd(lunch, undefined, at('2024-01-10T07:00:00Z')))).toBe('2024-01-10T08:30:00.000Z'); // 12:30 IST
    expect(quietHoursEnd(lunch, undefined, at('2024-01-10T09:00:00Z'))).toBeNull(); // 14:30 IST
  });

  it('chains overlapping windows and skips rules for other channels', () => {
    const early: QuietHoursRule = { ...night, name: 'early', start: '07:00', end: '09:30' };
    const smsOnly: QuietHoursRule = { ...night, name: 'sms', start: '09:00', end: '18:00', channels: ['sms'] };
    const now = at('2024-01-10T03:00:00Z'); // 03:00 UTC
    expect(iso(afterQuietHours([night, early, smsOnly], 'email', 'UTC', now))).toBe('2024-01-10T09:30:00.000Z');
    expect(iso(afterQuietHours([night, early, smsOnly], 'sms', 'UTC', now))).toBe('2024-01-10T18:00:00.000Z');
    expect(afterQuietHours([night], 'email', 'UTC', at('2024-01-10T12:00:00Z'))).toBe(at('2024-01-10T12:00:00Z'));
  });
});
