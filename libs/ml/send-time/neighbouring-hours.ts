import { WEEK_HOURS } from './timezone-hour';

/**
 * Spreads each week cell a quarter to each neighbouring hour, circularly (Sunday 23:00 is next to
 * Monday 00:00 and Saturday 23:00 to Sunday 00:00): an event at 9:55 says as much about 10:00 as
 * about 9:00, and one hour's evidence should not beat its neighbours' by an accident of rounding.
 */
export function smoothNeighbouringHours(cells: Float64Array): Float64Array {
  const smoothed = new Float64Array(WEEK_HOURS);
  for (let c = 0; c < WEEK_HOURS; c++) {
    const before = cells[(c + WEEK_HOURS - 1) % WEEK_HOURS];
    const after = cells[(c + 1) % WEEK_HOURS];
    smoothed[c] = 0.25 * before + 0.5 * cells[c] + 0.25 * after;
  }
  return smoothed;
}
