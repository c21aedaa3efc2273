import { TimezoneHours } from '../ml/send-time/timezone-hour';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Milliseconds since local midnight at `ts` in `timezone`. */
export function localTimeOfDay(timezone: string, ts: number): number {
  const local = ts + TimezoneHours.of(timezone).offsetAt(ts);
  return ((local % DAY_MS) + DAY_MS) % DAY_MS;
}

/** Local calendar date at `ts`, as YYYY-MM-DD. */
export function localDate(timezone: string, ts: number): string {
  return new Date(ts + TimezoneHours.of(timezone).offsetAt(ts)).toISOString().slice(0, 10);
}

/**
 * The first instant after `ts` at which the local clock shows `timeOfDay` (ms since midnight) or,
 * when a DST change skips that time (spring forward), the instant the clock jumps past it. Wall-clock
 * arithmetic corrected by the offset change, so a night that is an hour shorter or longer still ends
 * at the right local time.
 */
export function nextLocalTime(timezone: string, ts: number, timeOfDay: number): number {
  const zone = TimezoneHours.of(timezone);
  const wallWait = (timeOfDay - localTimeOfDay(timezone, ts) + DAY_MS) % DAY_MS || DAY_MS;
  const naive = ts + wallWait;
  const corrected = naive - (zone.offsetAt(naive) - zone.offsetAt(ts));
  if (localTimeOfDay(timezone, corrected) === timeOfDay) return corrected;
  // The target time does not exist that day: the clock skipped it between ts and naive. The change
  // is where the offset steps; search it to the second (zones change on whole minutes).
  let lo = Math.min(ts, corrected);
  let hi = Math.max(naive, corrected);
  const before = zone.offsetAt(lo);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (zone.offsetAt(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Parsed HH:MM values (1,440 at most): rules hold a few, read several times in every decision. */
const parsedTimes = new Map<string, number>();

/** Parses HH:MM into ms since midnight. */
export function timeOfDayMs(hhmm: string): number {
  let ms = parsedTimes.get(hhmm);
  if (ms === undefined) {
    const [h, m] = hhmm.split(':').map(Number);
    ms = h * HOUR_MS + m * MINUTE_MS;
    parsedTimes.set(hhmm, ms);
  }
  return ms;
}
