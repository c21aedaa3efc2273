import type { HistoryEvent } from '../../domain/event';
import { SplitMix64 } from '../random';
import { fitSendTimePrior, type SendTimePrior } from './population-prior';
import { sendTimeProfile } from './send-time-profile';
import { HOURS_PER_DAY, WEEK_HOURS, hourOf } from './timezone-hour';
import { weekHourCounts, type WeekHourCounts } from './week-hour-counts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MONDAY = Date.UTC(2024, 0, 1);
// Fixed-offset zones, so simulated local times convert to UTC without the code under test.
const ZONES: [string, number][] = [
  ['UTC', 0],
  ['Etc/GMT+5', -5 * HOUR_MS],
  ['Asia/Kolkata', 5.5 * HOUR_MS],
  ['Asia/Tokyo', 9 * HOUR_MS],
];

const circularDistance = (a: number, b: number) => Math.min((a - b + 24) % 24, (b - a + 24) % 24);
const argmax = (values: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
};

interface SimulatedUser {
  preferredHour: number;
  counts: WeekHourCounts;
}

/**
 * Users with a hidden preferred local hour (45% around 8:30, 35% around 20:00, 20% anywhere): 70% of
 * their opens and clicks fall near it (±N(0, 1) hours), the rest anywhere in 7:00–22:59. Even users
 * have 1–4 events (the sparse ones under test), odd users 5–40.
 */
function simulateUsers(seed: number, count: number): SimulatedUser[] {
  const rng = new SplitMix64(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  const users: SimulatedUser[] = [];
  for (let i = 0; i < count; i++) {
    const u = rng.nextDouble();
    const centre =
      u < 0.45 ? Math.round(8.5 + 1.5 * normal()) : u < 0.8 ? Math.round(20 + 1.5 * normal()) : rng.nextInt(24);
    const preferredHour = (centre + 24) % 24;
    const n = i % 2 === 0 ? ((i / 2) % 4) + 1 : 5 + rng.nextInt(36);
    const [timezone, offset] = ZONES[i % ZONES.length];
    const events: HistoryEvent[] = [];
    for (let k = 0; k < n; k++) {
      const hour = rng.nextDouble() < 0.7 ? (preferredHour + Math.round(normal()) + 24) % 24 : 7 + rng.nextInt(16);
      const local = MONDAY + rng.nextInt(180) * DAY_MS + hour * HOUR_MS + rng.nextInt(60) * 60_000;
      events.push({ type: rng.nextDouble() < 0.25 ? 'email_click' : 'email_open', ts: local - offset });
    }
    events.sort((a, b) => a.ts - b.ts);
    users.push({ preferredHour, counts: weekHourCounts({ timezone, events }) });
  }
  return users;
}

/** The baseline without shrinkage: the hour with most (weighted) events, the earliest on ties. */
function rawModeHour(counts: WeekHourCounts): number {
  const byHour = new Float64Array(HOURS_PER_DAY);
  counts.cells.forEach((cell, k) => (byHour[hourOf(cell)] += counts.weights[k]));
  return argmax(byHour);
}

describe('sendTimeProfile', () => {
  describe('on simulated users with a hidden preferred hour', () => {
    const users = simulateUsers(7, 8000);
    const prior = fitSendTimePrior(users.map((u) => u.counts));
    const populationHour = sendTimeProfile(prior).bestHour;
    const hitRate = (sparse: SimulatedUser[], guess: (u: SimulatedUser) => number) =>
      sparse.filter((u) => circularDistance(guess(u), u.preferredHour) <= 1).length / sparse.length;
    const rates = [1, 2, 3, 4].map((n) => {
      const sparse = users.filter((u) => u.counts.events.reduce((a, b) => a + b, 0) === n);
      return {
        n,
        shrunk: hitRate(sparse, (u) => sendTimeProfile(prior, u.counts).bestHour),
        raw: hitRate(sparse, (u) => rawModeHour(u.counts)),
        population: hitRate(sparse, () => populationHour),
      };
    });

    it('hits the preferred hour (±1h) with 1–4 events more often than the raw mode or the population', () => {
      // Seed 7, 1,000 users per count: shrunk 0.655 / 0.729 / 0.780 / 0.815, raw mode 0.655 / 0.678 /
      // 0.704 / 0.731, population 0.31–0.35 (seeds 1–10 average 0.659 / 0.694 / 0.763 / 0.820 against
      // 0.659 / 0.663 / 0.693 / 0.736). A single event is its own best guess: shrinkage must not lose there.
      for (const r of rates) {
        expect(r.shrunk).toBeGreaterThanOrEqual(r.raw);
        expect(r.shrunk).toBeGreaterThan(r.population + 0.25);
        if (r.n >= 2) expect(r.shrunk).toBeGreaterThan(r.raw);
        if (r.n >= 3) expect(r.shrunk).toBeGreaterThan(r.raw + 0.04);
      }
      const mean = (key: 'shrunk' | 'raw') => rates.reduce((sum, r) => sum + r[key], 0) / rates.length;
      expect(mean('shrunk')).toBeGreaterThan(mean('raw') + 0.03);
    });

    it('fits weights that let a few events count: the prior is worth a handful of events', () => {
      expect(prior.hourConcentration).toBeGreaterThan(1);
      expect(prior.hourConcentration).toBeLessThan(10);
      // The simulated users have no weekday habits: their split within an hour is the population's.
      expect(prior.weekdayConcentration).toBeGreaterThan(100);
    });
  });

  describe('on a hand-made population that reads at 8:00', () => {
    const oneOpen = (weekday: number, hour: number): WeekHourCounts => ({
      cells: Uint8Array.of(weekday * 24 + hour),
      events: Uint32Array.of(1),
      weights: Float64Array.of(1),
    });
    // Every weekday alike; 8:00 ten times as busy as any other hour.
    const total = 7 * (10 + 23);
    const prior: SendTimePrior = {
      cellShare: new Float64Array(WEEK_HOURS).map((_, cell) => (hourOf(cell) === 8 ? 10 : 1) / total),
      hourShare: new Float64Array(HOURS_PER_DAY).map((_, h) => (h === 8 ? 70 : 7) / total),
      hourConcentration: 4,
      weekdayConcentration: 4,
      users: 1000,
    };

    it('gives users without history the population’s best hour on every weekday, at zero confidence', () => {
      const profile = sendTimeProfile(prior);
      expect(profile.bestHour).toBe(8);
      expect(Array.from(profile.bestHourByWeekday)).toEqual([8, 8, 8, 8, 8, 8, 8]);
      expect(profile.confidence).toBe(0);
      expect(profile.events).toBe(0);
      expect(profile.distribution.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });

    it('carries a sparse user’s hour to weekdays without events', () => {
      const twoMondayEvenings: WeekHourCounts = {
        cells: Uint8Array.of(24 + 21),
        events: Uint32Array.of(2),
        weights: Float64Array.of(3),
      };
      const profile = sendTimeProfile(prior, twoMondayEvenings);
      expect(profile.bestHour).toBe(21);
      expect(Array.from(profile.bestHourByWeekday)).toEqual([21, 21, 21, 21, 21, 21, 21]);
      expect(profile.bestWeekday).toBe(1);
      expect(profile.bestWeekdayHour).toBe(21);
      expect(profile.confidence).toBeCloseTo(3 / 7, 12);
      expect(profile.distribution.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });

    it('weighs a click above an open and grows more confident with events', () => {
      const openAt9ClickAt15: WeekHourCounts = {
        cells: Uint8Array.of(24 + 9, 48 + 15),
        events: Uint32Array.of(1, 1),
        weights: Float64Array.of(1, 2),
      };
      expect(sendTimeProfile(prior, openAt9ClickAt15).bestHour).toBe(15);
      expect(sendTimeProfile(prior, oneOpen(3, 14)).confidence).toBeLessThan(
        sendTimeProfile(prior, openAt9ClickAt15).confidence,
      );
    });
  });
});
