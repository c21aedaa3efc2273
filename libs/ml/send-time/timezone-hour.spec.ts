import { SplitMix64 } from '../random';
import { TimezoneHours, WEEK_HOURS, hourOf, weekdayOf } from './timezone-hour';

const SUNDAY = 0;
const cellAt = (timezone: string | undefined, iso: string) => TimezoneHours.of(timezone).weekHour(Date.parse(iso));
const at = (weekday: number, hour: number) => weekday * 24 + hour;

describe('TimezoneHours', () => {
  it.each([
    // Europe/Paris springs forward at 01:00 UTC (02:00 CET -> 03:00 CEST) and falls back at 01:00 UTC.
    ['Europe/Paris', '2024-03-31T00:30:00Z', at(SUNDAY, 1)],
    ['Europe/Paris', '2024-03-31T01:30:00Z', at(SUNDAY, 3)],
    ['Europe/Paris', '2024-10-27T00:30:00Z', at(SUNDAY, 2)],
    ['Europe/Paris', '2024-10-27T01:30:00Z', at(SUNDAY, 2)],
    // America/New_York: 2:00 EST -> 3:00 EDT at 07:00 UTC; 2:00 EDT -> 1:00 EST at 06:00 UTC.
    ['America/New_York', '2024-03-10T06:30:00Z', at(SUNDAY, 1)],
    ['America/New_York', '2024-03-10T07:30:00Z', at(SUNDAY, 3)],
    ['America/New_York', '2024-11-03T05:30:00Z', at(SUNDAY, 1)],
    ['America/New_York', '2024-11-03T06:30:00Z', at(SUNDAY, 1)],
    // Adelaide (UTC+9:30) springs forward at 16:30 UTC, in the middle of a UTC hour.
    ['Australia/Adelaide', '2024-10-05T16:15:00Z', at(SUNDAY, 1)],
    ['Australia/Adelaide', '2024-10-05T16:45:00Z', at(SUNDAY, 3)],
    // Lord Howe moves its clocks by half an hour only, at 15:30 UTC.
    ['Australia/Lord_Howe', '2024-10-05T15:15:00Z', at(SUNDAY, 1)],
    ['Australia/Lord_Howe', '2024-10-05T15:45:00Z', at(SUNDAY, 2)],
  ])('%s at %s is cell %d across a DST change', (timezone, iso, cell) => {
    expect(cellAt(timezone, iso)).toBe(cell);
  });

  it('crosses midnight into the local weekday, with quarter-hour offsets', () => {
    expect(cellAt('Asia/Tokyo', '2024-01-01T15:30:00Z')).toBe(at(2, 0)); // Monday 15:30 UTC is Tuesday 00:30
    expect(cellAt('Asia/Kathmandu', '2024-01-01T18:14:00Z')).toBe(at(1, 23)); // UTC+5:45
    expect(cellAt('Asia/Kathmandu', '2024-01-01T18:16:00Z')).toBe(at(2, 0));
    expect(cellAt('America/Los_Angeles', '2024-01-06T03:00:00Z')).toBe(at(5, 19)); // Saturday UTC, Friday local
  });

  it('treats a missing timezone as UTC and rejects unknown ones', () => {
    expect(cellAt(undefined, '2024-01-07T23:59:59Z')).toBe(at(SUNDAY, 23));
    expect(cellAt(undefined, '2024-01-08T00:00:00Z')).toBe(at(1, 0));
    expect(() => TimezoneHours.of('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('agrees with Intl event by event on random instants in zones with awkward rules', () => {
    const zones = ['Europe/Paris', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu'];
    zones.push('America/St_Johns', 'Africa/Casablanca', 'Pacific/Apia', 'Europe/London', 'UTC');
    const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const rng = new SplitMix64(20240601);
    const from = Date.UTC(2010, 0, 1);
    const span = Date.UTC(2026, 0, 1) - from;
    const mismatches: string[] = [];
    for (const timeZone of zones) {
      const options = { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' } as const;
      const reference = new Intl.DateTimeFormat('en-US', options);
      const zone = TimezoneHours.of(timeZone);
      for (let i = 0; i < 1000; i++) {
        const ts = from + Math.floor(rng.nextDouble() * span);
        const parts = Object.fromEntries(reference.formatToParts(ts).map((p) => [p.type, p.value]));
        const cell = zone.weekHour(ts);
        if (weekdays[weekdayOf(cell)] !== parts.weekday || hourOf(cell) !== Number(parts.hour)) {
          mismatches.push(`${timeZone} ${new Date(ts).toISOString()}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with Intl minute by minute around transitions, including mid-hour ones', () => {
    const transitions: [string, string][] = [
      ['Europe/Paris', '2024-03-31T01:00:00Z'],
      ['America/New_York', '2024-11-03T06:00:00Z'],
      ['Australia/Adelaide', '2024-10-05T16:30:00Z'],
      ['Australia/Lord_Howe', '2024-04-06T15:00:00Z'],
      ['Pacific/Chatham', '2024-09-28T14:00:00Z'],
    ];
    const mismatches: string[] = [];
    for (const [timeZone, iso] of transitions) {
      const reference = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
      const zone = TimezoneHours.of(timeZone);
      for (let ts = Date.parse(iso) - 2 * 3_600_000; ts <= Date.parse(iso) + 2 * 3_600_000; ts += 60_000) {
        if (hourOf(zone.weekHour(ts)) !== Number(reference.format(ts))) {
          mismatches.push(`${timeZone} ${new Date(ts).toISOString()}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('returns cells of the week grid', () => {
    const zone = TimezoneHours.of('Asia/Kolkata');
    for (let ts = Date.UTC(2024, 0, 1); ts < Date.UTC(2024, 0, 15); ts += 1_799_999) {
      const cell = zone.weekHour(ts);
      expect(cell >= 0 && cell < WEEK_HOURS && Number.isInteger(cell)).toBe(true);
    }
  });
});
