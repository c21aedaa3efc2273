import { HistoryEvent } from '../domain/event';
import { EventSummary, EventTypeSummary } from '../domain/segment-subject';

const DAY_MS = 86_400_000;

/**
 * One pass over a user's events (any order) into what every event condition reads: per type and for
 * all types, the count and amount sum in each window ending at `now`, and the last time. Like
 * libs/ml's HistorySummary, but over the windows the segments ask for (HistorySummary has a fixed
 * set for features) and as plain data. Events after `now` are ignored (clock skew, future-dated imports).
 */
export function summarizeEvents(events: readonly HistoryEvent[], now: number, windowsDays: readonly number[]): EventSummary {
  const windows = [...new Set(windowsDays)].sort((a, b) => a - b);
  const starts = windows.map((d) => now - d * DAY_MS);
  const byType: Record<string, EventTypeSummary> = Object.create(null);
  const any = emptyTypeSummary(windows.length);
  for (const e of events) {
    if (!(e.ts <= now)) continue;
    const s = byType[e.type] ?? (byType[e.type] = emptyTypeSummary(windows.length));
    for (const t of [s, any]) {
      if (t.lastTs === null || e.ts > t.lastTs) t.lastTs = e.ts;
      // Windows are nested: from the widest inwards until one no longer contains the event.
      for (let w = windows.length - 1; w >= 0 && e.ts >= starts[w]; w--) {
        t.counts[w]++;
        t.sums[w] += e.amount ?? 0;
      }
    }
  }
  return { windowsDays: windows, byType, any };
}

function emptyTypeSummary(windows: number): EventTypeSummary {
  return { lastTs: null, counts: new Array<number>(windows).fill(0), sums: new Array<number>(windows).fill(0) };
}
