export const DAY_MS = 86_400_000;

/**
 * Local calendar days of one IANA time zone, as UTC instants. Day d is the local date d days after
 * 1970-01-01 and starts at local midnight, so DST days are 23 or 25 hours long. The simulator generates
 * and the ground truth integrates over exactly these days, so they only have to be consistent; matching
 * the local clock is what makes preferred hours and weekdays come out right.
 */
export class LocalCalendar {
  private static readonly byZone = new Map<string, LocalCalendar>();

  static of(timezone: string): LocalCalendar {
    let calendar = LocalCalendar.byZone.get(timezone);
    if (!calendar) LocalCalendar.byZone.set(timezone, (calendar = new LocalCalendar(timezone)));
    return calendar;
  }

  private readonly formatter: Intl.DateTimeFormat;
  // Intl is slow (microseconds a call) and every user walks hundreds of days: memoise per zone, in a
  // dense window of days (NaN = not computed yet) that grows to cover whatever days are asked for.
  private firstDay = 0;
  private starts = new Float64Array(0);

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

  /** UTC instant (ms) at which local day `day` starts. */
  dayStart(day: number): number {
    let i = day - this.firstDay;
    if (i < 0 || i >= this.starts.length) i = this.cover(day);
    let start = this.starts[i];
    if (Number.isNaN(start)) {
      // The offset at UTC midnight, then at the local midnight it points to (right unless the clock jumps there).
      const utcMidnight = day * DAY_MS;
      this.starts[i] = start = utcMidnight - this.offsetMs(utcMidnight - this.offsetMs(utcMidnight));
    }
    return start;
  }

  /** Local day containing the instant `ts`. */
  dayOf(ts: number): number {
    // UTC offsets are within +-14h, so the local day is the UTC day or a neighbour.
    let day = Math.floor(ts / DAY_MS) + 1;
    while (this.dayStart(day) > ts) day--;
    return day;
  }

  /** Local weekday of a day, 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
  static weekday(day: number): number {
    return (((day + 4) % 7) + 7) % 7;
  }

  /** Widens the window to include `day` (with slack, so it rarely happens) and returns its position. */
  private cover(day: number): number {
    const slack = 512;
    const empty = this.starts.length === 0;
    const first = empty ? day - slack : Math.min(this.firstDay, day - slack);
    const last = empty ? day + slack : Math.max(this.firstDay + this.starts.length - 1, day + slack);
    const starts = new Float64Array(last - first + 1).fill(NaN);
    if (!empty) starts.set(this.starts, this.firstDay - first);
    this.firstDay = first;
    this.starts = starts;
    return day - first;
  }

  private offsetMs(ts: number): number {
    const part: Record<string, number> = {};
    for (const p of this.formatter.formatToParts(ts)) if (p.type !== 'literal') part[p.type] = Number(p.value);
    const local = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
    return local - Math.floor(ts / 1000) * 1000;
  }
}
