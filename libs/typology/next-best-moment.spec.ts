import { quietHoursRuleSchema } from '../domain/typology';
import { fitSendTimePrior } from '../ml/send-time/population-prior';
import { storedSendTimeProfile } from '../ml/send-time/stored-profile';
import { nextBestMoment } from './next-best-moment';

const at = (iso: string) => Date.parse(iso);
const iso = (ts: number) => new Date(ts).toISOString();
const HOUR = 3_600_000;

/** A user in New York who opens at 20:xx local on many days, computed as the workflow will. */
function eveningReader(timezone = 'America/New_York') {
  const events = Array.from({ length: 30 }, (_, d) => ({ type: 'email_open', ts: at('2024-01-01T01:10:00Z') + d * 24 * HOUR }));
  return storedSendTimeProfile(fitSendTimePrior([]), { timezone, events }, 0);
}

describe('nextBestMoment', () => {
  const profile = eveningReader();

  it('picks the user’s best local hour within the next 24 hours', () => {
    expect(profile.bestHour).toBe(20);
    // Monday 10 June 2024, 09:15 EDT -> 20:00 EDT the same day.
    expect(iso(nextBestMoment(profile, 'America/New_York', at('2024-06-10T13:15:00Z')))).toBe('2024-06-11T00:00:00.000Z');
    // Already in the best hour: now.
    expect(nextBestMoment(profile, 'America/New_York', at('2024-06-11T00:20:00Z'))).toBe(at('2024-06-11T00:20:00Z'));
  });

  it('stays within the window: the best hour it can reach', () => {
    // 09:15-19:15 EDT: 20:00 is out of reach, 19:00 (next to it) is the best hour in reach.
    expect(iso(nextBestMoment(profile, 'America/New_York', at('2024-06-10T13:15:00Z'), { withinHours: 10 }))).toBe('2024-06-10T23:00:00.000Z');
    // 09:15-15:15 EDT: every hour in reach rates the same (the flat prior): the earliest, now.
    expect(nextBestMoment(profile, 'America/New_York', at('2024-06-10T13:15:00Z'), { withinHours: 6 })).toBe(at('2024-06-10T13:15:00Z'));
  });

  it('keeps to the hour across a DST change', () => {
    // Saturday 2 November 2024, 12:00 EDT; the clocks fall back that night; 20:00 EST on Sunday is 01:00Z Monday.
    expect(iso(nextBestMoment(profile, 'America/New_York', at('2024-11-03T02:00:00Z'), { withinHours: 30 }))).toBe('2024-11-04T01:00:00.000Z');
  });

  it('respects quiet hours: the best allowed hour, or the end of the window when nothing else is allowed', () => {
    const evenings = quietHoursRuleSchema.parse({ type: 'quiet_hours', name: 'q', start: '19:30', end: '08:00' });
    const t = nextBestMoment(profile, 'America/New_York', at('2024-06-10T13:15:00Z'), { quietHours: [evenings] });
    expect(iso(t)).toBe('2024-06-10T23:00:00.000Z'); // 19:00 EDT, the last open hour before the quiet evening
    const allDay = quietHoursRuleSchema.parse({ type: 'quiet_hours', name: 'q', start: '00:00', end: '23:30' });
    expect(iso(nextBestMoment(profile, 'America/New_York', at('2024-06-10T13:15:00Z'), { quietHours: [allDay], withinHours: 4 }))).toBe('2024-06-11T03:30:00.000Z');
  });

  it('without a profile, sends as soon as quiet hours allow', () => {
    const night = quietHoursRuleSchema.parse({ type: 'quiet_hours', name: 'q', start: '22:00', end: '08:00' });
    expect(iso(nextBestMoment(null, 'Europe/Paris', at('2024-06-10T21:00:00Z'), { quietHours: [night] }))).toBe('2024-06-11T06:00:00.000Z');
    expect(nextBestMoment(null, 'Europe/Paris', at('2024-06-10T10:00:00Z'))).toBe(at('2024-06-10T10:00:00Z'));
  });
});
