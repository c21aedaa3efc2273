import { HistoryEvent } from '../../domain/event';

/** Index of the first event with ts >= t in a ts-sorted history (binary search). */
export function firstIndexAtOrAfter(events: readonly HistoryEvent[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid].ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The events strictly before the cutoff, as their own array: feature code that receives this cannot
 * see the future, whatever it does.
 */
export function eventsBefore(events: readonly HistoryEvent[], cutoff: number): readonly HistoryEvent[] {
  return events.slice(0, firstIndexAtOrAfter(events, cutoff));
}

/** The events at or after `from`, the only ones a label may look at. */
export function eventsFrom(events: readonly HistoryEvent[], from: number): readonly HistoryEvent[] {
  return events.slice(firstIndexAtOrAfter(events, from));
}
