import { SplitMix64 } from '../random';
import { fitSendTimePrior } from './population-prior';
import { HOURS_PER_DAY, WEEK_HOURS, hourOf } from './timezone-hour';
import type { WeekHourCounts } from './week-hour-counts';

/** A population week profile: busy mornings and evenings, later on weekends. */
function populationShares(): Float64Array {
  const share = new Float64Array(WEEK_HOURS);
  for (let cell = 0; cell < WEEK_HOURS; cell++) {
    const weekend = cell < 24 || cell >= 6 * 24;
    const h = hourOf(cell) - (weekend ? 2 : 0);
    share[cell] = 0.2 + Math.exp(-((h - 8) ** 2) / 4) + 0.8 * Math.exp(-((h - 20) ** 2) / 6);
  }
  const total = share.reduce((a, b) => a + b, 0);
  return share.map((s) => s / total);
}

/** Draws one user's events from the two-level model by Pólya urns: hour first, then weekday. */
function drawUser(
  rng: SplitMix64,
  cellShare: Float64Array,
  hourShare: Float64Array,
  beta: number,
  gamma: number,
  n: number,
): WeekHourCounts {
  const hourUrn = Array.from(hourShare, (s) => beta * s);
  const weekdayUrn = Array.from(cellShare, (s, cell) => (gamma * s) / hourShare[hourOf(cell)]);
  const events = new Uint32Array(WEEK_HOURS);
  for (let i = 0; i < n; i++) {
    const h = pick(rng, hourUrn);
    hourUrn[h]++;
    const d = pick(rng, weekdayUrn.filter((_, cell) => hourOf(cell) === h));
    weekdayUrn[d * HOURS_PER_DAY + h]++;
    events[d * HOURS_PER_DAY + h]++;
  }
  const cells = Uint8Array.from(events.keys()).filter((c) => events[c] > 0);
  const counts = Uint32Array.from(cells, (c) => events[c]);
  return { cells, events: counts, weights: Float64Array.from(counts) };
}

function pick(rng: SplitMix64, weights: readonly number[]): number {
  let u = rng.nextDouble() * weights.reduce((a, b) => a + b, 0);
  let k = 0;
  while (k < weights.length - 1 && u >= weights[k]) u -= weights[k++];
  return k;
}

describe('fitSendTimePrior', () => {
  const cellShare = populationShares();
  const hourShare = new Float64Array(HOURS_PER_DAY);
  cellShare.forEach((s, cell) => (hourShare[hourOf(cell)] += s));

  it('recovers the population profile and both concentrations from users drawn from the model', () => {
    const rng = new SplitMix64(11);
    const users: WeekHourCounts[] = [];
    for (let u = 0; u < 4000; u++) users.push(drawUser(rng, cellShare, hourShare, 4, 2, 1 + rng.nextInt(30)));
    const prior = fitSendTimePrior(users);
    expect(prior.users).toBe(4000);
    expect(prior.hourConcentration).toBeGreaterThan(4 * 0.8);
    expect(prior.hourConcentration).toBeLessThan(4 * 1.25);
    expect(prior.weekdayConcentration).toBeGreaterThan(2 * 0.75);
    expect(prior.weekdayConcentration).toBeLessThan(2 * 1.33);
    let distance = 0;
    for (let h = 0; h < HOURS_PER_DAY; h++) distance += Math.abs(prior.hourShare[h] - hourShare[h]);
    expect(distance).toBeLessThan(0.1);
    expect(prior.cellShare.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('falls back to a uniform profile and a default weight without users to learn from', () => {
    const prior = fitSendTimePrior([]);
    expect(prior.users).toBe(0);
    expect(Array.from(prior.cellShare).every((s) => Math.abs(s - 1 / WEEK_HOURS) < 1e-15)).toBe(true);
    expect(prior.hourConcentration).toBe(5);
    expect(prior.weekdayConcentration).toBe(5);
  });
});
