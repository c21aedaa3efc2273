import { cadenceSchema, cadenceToScheduleSpec, describeCadence } from './cadence';

describe('cadence', () => {
  it('turns daily, weekly and monthly cadences into one calendar entry in their time zone', () => {
    expect(cadenceToScheduleSpec(cadenceSchema.parse({ every: 'daily', at: '04:15' }))).toEqual({
      calendars: [{ hour: 4, minute: 15, comment: 'every day at 04:15 (UTC)' }],
      timezone: 'UTC',
    });
    expect(cadenceToScheduleSpec(cadenceSchema.parse({ every: 'weekly', at: '03:00', dayOfWeek: 'monday', timezone: 'Europe/Paris' }))).toEqual({
      calendars: [{ hour: 3, minute: 0, dayOfWeek: 'MONDAY', comment: 'every Monday at 03:00 (Europe/Paris)' }],
      timezone: 'Europe/Paris',
    });
    expect(cadenceToScheduleSpec(cadenceSchema.parse({ every: 'monthly', at: '23:59', dayOfMonth: 28 })).calendars[0]).toMatchObject({ hour: 23, minute: 59, dayOfMonth: 28 });
  });

  it('refuses incomplete or contradictory cadences with the field and the reason', () => {
    const issues = (v: unknown) => cadenceSchema.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ every: 'weekly', at: '03:00' })).toEqual(['dayOfWeek: a weekly cadence needs dayOfWeek']);
    expect(issues({ every: 'monthly', at: '03:00', dayOfMonth: 31 })).toEqual(['dayOfMonth: must be 1-28 (every month has it)']);
    expect(issues({ every: 'daily', at: '25:00' })).toEqual(['at: must be a time of day HH:MM, e.g. 03:30']);
    expect(issues({ every: 'daily', at: '03:00', dayOfWeek: 'friday' })).toEqual(['dayOfWeek: only a weekly cadence takes dayOfWeek (this one is daily)']);
    expect(issues({ every: 'daily', at: '03:00', timezone: 'Mars/Olympus' })).toEqual(['timezone: must be an IANA time zone such as Europe/Paris']);
  });

  it('describes itself in words', () => {
    expect(describeCadence({ every: 'monthly', at: '06:30', dayOfMonth: 1, timezone: 'UTC' })).toBe('on day 1 of every month at 06:30 (UTC)');
  });
});
