import type { UserHistory } from '../../domain/event';
import { TimezoneHours, WEEK_HOURS } from './timezone-hour';

/** How much one event of each type says about when the user reads: a click is a stronger signal. */
export const DEFAULT_ENGAGEMENT_WEIGHTS: Readonly<Record<string, number>> = { email_open: 1, email_click: 2 };

/**
 * One user's engagement over the week grid, sparse: the cells with events (ascending), how many
 * events fell in each and their summed weights. Raw counts feed the empirical-Bayes fit (a
 * multinomial model counts events); weights feed the user's own estimate.
 */
export interface WeekHourCounts {
  cells: Uint8Array;
  events: Uint32Array;
  weights: Float64Array;
}

/** Counts a user's weighted engagement events by local weekday and hour (UTC without a timezone). */
export function weekHourCounts(
  user: Pick<UserHistory, 'timezone' | 'events'>,
  engagementWeights: Readonly<Record<string, number>> = DEFAULT_ENGAGEMENT_WEIGHTS,
): WeekHourCounts {
  const zone = TimezoneHours.of(user.timezone);
  const events = new Uint32Array(WEEK_HOURS);
  const weights = new Float64Array(WEEK_HOURS);
  let used = 0;
  for (const e of user.events) {
    // hasOwn: a custom event type may be named like an Object.prototype member ("constructor").
    const weight = Object.hasOwn(engagementWeights, e.type) ? engagementWeights[e.type] : 0;
    if (!(weight > 0)) continue;
    const cell = zone.weekHour(e.ts);
    if (events[cell]++ === 0) used++;
    weights[cell] += weight;
  }
  const counts: WeekHourCounts = {
    cells: new Uint8Array(used),
    events: new Uint32Array(used),
    weights: new Float64Array(used),
  };
  for (let cell = 0, k = 0; k < used; cell++) {
    if (events[cell] === 0) continue;
    counts.cells[k] = cell;
    counts.events[k] = events[cell];
    counts.weights[k++] = weights[cell];
  }
  return counts;
}
