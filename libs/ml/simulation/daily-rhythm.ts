const HOURS = 24;
// Spread of activity around the preferred hour, and the share of it that is anywhere in waking hours.
const PEAK_SD_HOURS = 1.5;
const PEAK_SHARE = 0.6;
const WAKING_WEIGHTS = [0.2, 0.1, 0.05, 0.05, 0.05, 0.2, 0.5, 0.8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.8, 0.5];

/**
 * How a user's activity spreads over the local day: a density constant within each hour, so its
 * cumulative share is exact and cheap in both directions (sampling a time, integrating a rate).
 * Positions are day fractions in [0, 1).
 */
export class DailyRhythm {
  private static readonly byHour: DailyRhythm[] = [];

  /** The rhythm of users whose preferred local hour is `hour` (0-23); shared, since only 24 exist. */
  static around(hour: number): DailyRhythm {
    return (DailyRhythm.byHour[hour] ??= DailyRhythm.build(hour));
  }

  private static build(hour: number): DailyRhythm {
    const wakingTotal = WAKING_WEIGHTS.reduce((a, b) => a + b, 0);
    const peak = new Float64Array(HOURS);
    for (let h = 0; h < HOURS; h++) {
      const d = Math.min(Math.abs(h - hour), HOURS - Math.abs(h - hour));
      peak[h] = Math.exp(-(d * d) / (2 * PEAK_SD_HOURS * PEAK_SD_HOURS));
    }
    const peakTotal = peak.reduce((a, b) => a + b, 0);
    return new DailyRhythm(
      Array.from(peak, (p, h) => (PEAK_SHARE * p) / peakTotal + ((1 - PEAK_SHARE) * WAKING_WEIGHTS[h]) / wakingTotal),
    );
  }

  // cumulative[h] = share of the day's activity before hour h; cumulative[24] = 1.
  private readonly cumulative = new Float64Array(HOURS + 1);

  private constructor(hourWeights: readonly number[]) {
    const total = hourWeights.reduce((a, b) => a + b, 0);
    for (let h = 0; h < HOURS; h++) this.cumulative[h + 1] = this.cumulative[h] + hourWeights[h] / total;
    this.cumulative[HOURS] = 1;
  }

  /** Share of the day's activity before day fraction x. */
  shareBefore(x: number): number {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const h = x * HOURS;
    const i = Math.floor(h);
    return this.cumulative[i] + (h - i) * (this.cumulative[i + 1] - this.cumulative[i]);
  }

  /** Day fraction before which a share u in [0, 1) of the activity falls: inverse of shareBefore. */
  fractionAt(u: number): number {
    let i = 0;
    while (i < HOURS - 1 && u >= this.cumulative[i + 1]) i++;
    return (i + (u - this.cumulative[i]) / (this.cumulative[i + 1] - this.cumulative[i])) / HOURS;
  }
}
