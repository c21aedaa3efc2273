import { smoothNeighbouringHours } from './neighbouring-hours';
import { WEEK_HOURS } from './timezone-hour';

describe('smoothNeighbouringHours', () => {
  it('spreads a quarter to each neighbouring hour, across midnight and the end of the week', () => {
    const cells = new Float64Array(WEEK_HOURS);
    cells[0] = 1; // Sunday 00:00
    cells[24 + 23] = 1; // Monday 23:00
    const smoothed = smoothNeighbouringHours(cells);
    expect([smoothed[WEEK_HOURS - 1], smoothed[0], smoothed[1]]).toEqual([0.25, 0.5, 0.25]);
    expect([smoothed[24 + 22], smoothed[24 + 23], smoothed[48]]).toEqual([0.25, 0.5, 0.25]);
    expect(smoothed.reduce((a, b) => a + b, 0)).toBe(2);
  });
});
