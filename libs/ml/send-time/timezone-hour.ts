export const HOURS_PER_DAY = 24;
/** Cells of the week grid: weekday × hour, cell = weekday * 24 + hour, weekday 0 = Sunday. */
export const WEEK_HOURS = 7 * HOURS_PER_DAY;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Marks an hour during which the zone's offset changes: such hours are converted event by event. */
const CHANGES_WITHIN_HOUR = NaN;
/** About 23 years of hours per zone; past that the memo starts over rather than grow without bound. */
const MAX_MEMO_HOURS = 200_000;

/**
 * Local weekday and hour of instants in one IANA time zone. Intl costs microseconds a call, so the
 * UTC offset is looked up once per UTC hour and memoised; transitions (DST, on a half hour in zones
 * such as Australia/Adelaide) are caught by comparing the offsets at both ends of the hour.
 */
export class TimezoneHours {
  private static readonly byZone = new Map<string, TimezoneHours>();

  /** The shared converter for a zone; no zone means UTC. Throws RangeError for an unknown zone. */
  static of(timezone = 'UTC'): TimezoneHours {
    let zone = TimezoneHours.byZone.get(timezone);
    if (!zone) TimezoneHours.byZone.set(timezone, (zone = new TimezoneHours(timezone)));
    return zone;
  }

  private readonly formatter: Intl.DateTimeFormat;
  /** Offset throughout each UTC hour (epoch hour number), or CHANGES_WITHIN_HOUR. */
  private readonly offsetByHour = new Map<number, number>();
  /** Offset at the start of each UTC hour. */
  private readonly offsetByHourStart = new Map<number, number>();

  private constructor(readonly timezone: string) {
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Week cell (weekday * 24 + local hour) of the instant `ts` (epoch ms). */
  weekHour(ts: number): number {
    const local = ts + this.offsetAt(ts);
    const day = Math.floor(local / DAY_MS);
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    return weekday * HOURS_PER_DAY + Math.floor((local - day * DAY_MS) / HOUR_MS);
  }

  /** UTC offset in ms at `ts`. */
  offsetAt(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    let offset = this.offsetByHour.get(hour);
    if (offset === undefined) {
      // The same offset at this hour's start and the next one's means no change in between (zones
      // change offset at most once an hour); each start is looked up once, shared by both hours.
      const start = this.offsetAtHourStart(hour);
      offset = start === this.offsetAtHourStart(hour + 1) ? start : CHANGES_WITHIN_HOUR;
      this.remember(this.offsetByHour, hour, offset);
    }
    return Number.isNaN(offset) ? this.exactOffset(ts) : offset;
  }

  private offsetAtHourStart(hour: number): number {
    let offset = this.offsetByHourStart.get(hour);
    if (offset === undefined) this.remember(this.offsetByHourStart, hour, (offset = this.exactOffset(hour * HOUR_MS)));
    return offset;
  }

  private remember(memo: Map<number, number>, hour: number, offset: number): void {
    if (memo.size >= MAX_MEMO_HOURS) memo.clear();
    memo.set(hour, offset);
  }

  private exactOffset(ts: number): number {
    const part: Record<string, number> = {};
    for (const p of this.formatter.formatToParts(ts)) if (p.type !== 'literal') part[p.type] = Number(p.value);
    const local = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
    return local - Math.floor(ts / 1000) * 1000;
  }
}

export const weekdayOf = (cell: number): number => Math.floor(cell / HOURS_PER_DAY);
export const hourOf = (cell: number): number => cell % HOURS_PER_DAY;
