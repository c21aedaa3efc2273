import { DAY_MS, LocalCalendar } from './local-calendar';

function localClock(ts: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23' }).format(ts);
}

describe('LocalCalendar', () => {
  it.each(['Europe/Paris', 'America/Los_Angeles', 'Australia/Sydney', 'Asia/Kolkata', 'Asia/Tokyo'])(
    'starts every day of 2025 at local midnight in %s, DST days included',
    (timezone) => {
      const calendar = LocalCalendar.of(timezone);
      const first = calendar.dayOf(Date.UTC(2025, 0, 1, 12));
      const lengths = new Set<number>();
      for (let day = first; day < first + 365; day++) {
        const start = calendar.dayStart(day);
        expect(localClock(start, timezone)).toMatch(/ 00:00:00$/);
        expect(LocalCalendar.weekday(day)).toBe(new Date(day * DAY_MS).getUTCDay());
        expect(calendar.dayOf(start)).toBe(day);
        expect(calendar.dayOf(start - 1)).toBe(day - 1);
        lengths.add((calendar.dayStart(day + 1) - start) / 3_600_000);
      }
      expect([...lengths].every((h) => h === 23 || h === 24 || h === 25)).toBe(true);
    },
  );

  it('names days by local date', () => {
    // 2025-06-01 00:30 in Tokyo is still May 31 in UTC.
    const ts = Date.UTC(2025, 4, 31, 15, 30);
    expect(LocalCalendar.of('Asia/Tokyo').dayOf(ts)).toBe(Date.UTC(2025, 5, 1) / DAY_MS);
    expect(LocalCalendar.of('America/New_York').dayOf(ts)).toBe(Date.UTC(2025, 4, 31) / DAY_MS);
  });
});
