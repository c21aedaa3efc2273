import type { SendTimePrior } from './population-prior';
import { smoothNeighbouringHours } from './neighbouring-hours';
import { HOURS_PER_DAY, WEEK_HOURS, hourOf, weekdayOf } from './timezone-hour';
import type { WeekHourCounts } from './week-hour-counts';

/** When to send to one user, in their local time. Weekday 0 = Sunday. */
export interface SendTimeProfile {
  /** Estimated share of the user's engagement in each week cell (weekday * 24 + hour); sums to 1. */
  distribution: Float64Array;
  /** Best hour (0–23) on each weekday. */
  bestHourByWeekday: Uint8Array;
  /** Best hour whatever the weekday. */
  bestHour: number;
  /** Best slot of the whole week. */
  bestWeekday: number;
  bestWeekdayHour: number;
  /**
   * Share of the hour profile that comes from the user's own events rather than the population:
   * 0 without events (the population's times), approaching 1 as events accumulate.
   */
  confidence: number;
  /** Engagement events behind the estimate. */
  events: number;
}

const NO_EVENTS: WeekHourCounts = {
  cells: new Uint8Array(0),
  events: new Uint32Array(0),
  weights: new Float64Array(0),
};

/**
 * The posterior-mean week profile of a user under the two-level Dirichlet prior, smoothed across
 * neighbouring hours. Without events it is the population's profile, so the fallback needs no
 * special case.
 */
export function sendTimeProfile(prior: SendTimePrior, counts: WeekHourCounts = NO_EVENTS): SendTimeProfile {
  const { cellShare, hourShare, hourConcentration: beta, weekdayConcentration: gamma } = prior;
  const cellWeight = new Float64Array(WEEK_HOURS);
  const hourWeight = new Float64Array(HOURS_PER_DAY);
  let total = 0;
  let events = 0;
  for (let k = 0; k < counts.cells.length; k++) {
    cellWeight[counts.cells[k]] += counts.weights[k];
    hourWeight[hourOf(counts.cells[k])] += counts.weights[k];
    total += counts.weights[k];
    events += counts.events[k];
  }

  // P(hour) shrunk towards the population's hours, times P(weekday | hour) shrunk towards the
  // population's weekday split at that hour.
  const posterior = new Float64Array(WEEK_HOURS);
  for (let cell = 0; cell < WEEK_HOURS; cell++) {
    const h = hourOf(cell);
    const hourPart = (hourWeight[h] + beta * hourShare[h]) / (total + beta);
    const weekdayPart = (cellWeight[cell] + gamma * (cellShare[cell] / hourShare[h])) / (hourWeight[h] + gamma);
    posterior[cell] = hourPart * weekdayPart;
  }
  const distribution = smoothNeighbouringHours(posterior);

  const byHour = new Float64Array(HOURS_PER_DAY);
  for (let cell = 0; cell < WEEK_HOURS; cell++) byHour[hourOf(cell)] += distribution[cell];
  const bestHourByWeekday = new Uint8Array(7);
  for (let d = 0; d < 7; d++) {
    bestHourByWeekday[d] = argmax(distribution.subarray(d * HOURS_PER_DAY, (d + 1) * HOURS_PER_DAY));
  }
  const bestCell = argmax(distribution);
  return {
    distribution,
    bestHourByWeekday,
    bestHour: argmax(byHour),
    bestWeekday: weekdayOf(bestCell),
    bestWeekdayHour: hourOf(bestCell),
    confidence: total / (total + beta),
    events,
  };
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
