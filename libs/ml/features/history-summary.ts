import { HistoryEvent } from '../../domain/event';
import { DAY_MS } from './time';

/** The look-back windows accumulated in the single pass; a feature needing another window adds it here. */
export const SUMMARY_WINDOW_DAYS = [7, 30, 90, 120, 365] as const;
export type SummaryWindowDays = (typeof SUMMARY_WINDOW_DAYS)[number];

/** Everything the registry needs about one event type, for one user at one cutoff. */
export class EventTypeStats {
  count = 0;
  lastTs = NaN;
  readonly windowCount = new Float64Array(SUMMARY_WINDOW_DAYS.length);
  readonly windowAmount = new Float64Array(SUMMARY_WINDOW_DAYS.length);
  // Welford's running mean and sum of squared deviations of the gaps between consecutive events.
  gapCount = 0;
  gapMeanMs = 0;
  gapM2 = 0;

  countWithin(days: SummaryWindowDays): number {
    return this.windowCount[SUMMARY_WINDOW_DAYS.indexOf(days)];
  }

  amountWithin(days: SummaryWindowDays): number {
    return this.windowAmount[SUMMARY_WINDOW_DAYS.indexOf(days)];
  }

  /** NaN until there are two events. */
  get gapMeanDays(): number {
    return this.gapCount >= 1 ? this.gapMeanMs / DAY_MS : NaN;
  }

  /** Population standard deviation; NaN until there are two gaps. */
  get gapStdDays(): number {
    return this.gapCount >= 2 ? Math.sqrt(this.gapM2 / this.gapCount) / DAY_MS : NaN;
  }
}

const NO_EVENTS = new EventTypeStats();

/**
 * Per-type window counts, amounts, recency and gap statistics from ONE pass over a user's
 * pre-cutoff events, so the matrix builder never re-scans events per feature.
 */
export class HistorySummary {
  private readonly byType = new Map<string, EventTypeStats>();
  readonly lastTs: number;

  constructor(events: readonly HistoryEvent[], cutoff: number) {
    const windowStarts = SUMMARY_WINDOW_DAYS.map((d) => cutoff - d * DAY_MS);
    for (const e of events) {
      let s = this.byType.get(e.type);
      if (s === undefined) {
        s = new EventTypeStats();
        this.byType.set(e.type, s);
      }
      if (s.count > 0) {
        const gap = e.ts - s.lastTs;
        s.gapCount++;
        const delta = gap - s.gapMeanMs;
        s.gapMeanMs += delta / s.gapCount;
        s.gapM2 += delta * (gap - s.gapMeanMs);
      }
      s.count++;
      s.lastTs = e.ts;
      const amount = e.amount ?? 0;
      for (let w = 0; w < windowStarts.length; w++) {
        if (e.ts >= windowStarts[w]) {
          s.windowCount[w]++;
          s.windowAmount[w] += amount;
        }
      }
    }
    this.lastTs = events.length > 0 ? events[events.length - 1].ts : NaN;
  }

  /** Stats for a type; all zero / NaN if the user never had that event. */
  type(type: string): EventTypeStats {
    return this.byType.get(type) ?? NO_EVENTS;
  }
}
