import { generateUsers, simulatePopulation } from './generate-users';
import { DAY_MS } from './local-calendar';
import { simulateUser } from './simulate-user';
import { SIMULATED_TIMEZONES } from './user-profile';

const NOW = Date.UTC(2025, 2, 15, 9, 30); // a DST change on each side of the Atlantic falls in the future window
const config = { seed: 20250315, users: 2_000, now: NOW };
const USER_EVENTS = new Set(['session', 'purchase', 'email_open', 'email_click', 'unsubscribe']);

describe('generateUsers', () => {
  const population = simulatePopulation(config);

  it('is deterministic, and user k is the same alone as in the batch', () => {
    const again = Array.from(generateUsers(config, { from: 0, to: 50 }));
    expect(again).toEqual(population.slice(0, 50));
    expect(Array.from(generateUsers(config, { from: 1234, to: 1237 }))).toEqual(population.slice(1234, 1237));
    expect(simulateUser(config, 777)).toEqual(population[777]);
    const truth = (i: number) => [population[i].truth.churnProbability(30), population[i].truth.purchaseProbability(30)];
    expect([simulateUser(config, 5).truth.churnProbability(30), simulateUser(config, 5).truth.purchaseProbability(30)]).toEqual(truth(5));
  });

  it('depends on the seed', () => {
    const other = simulateUser({ ...config, seed: config.seed + 1 }, 0);
    expect(other.history.events).not.toEqual(population[0].history.events);
  });

  it('names users so that lexicographic order is numeric order', () => {
    expect(population[0].history.userId).toBe('u000001');
    expect(population[0].email).toBe('user000001@example.test');
    expect(population[1999].history.userId).toBe('u002000');
    expect(simulateUser({ ...config, users: 1_000_000 }, 41).history.userId).toBe('u0000042');
    const ids = population.map((u) => u.history.userId);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps history strictly before now and the future in [now, now + futureDays), all sorted', () => {
    // Violations are collected rather than asserted one by one: a million expect() calls take minutes.
    const misplaced: string[] = [];
    for (const u of population) {
      const id = u.history.userId;
      const all = u.history.events.concat(u.futureEvents);
      all.forEach((e, i) => {
        if (i > 0 && e.ts < all[i - 1].ts) misplaced.push(`${id}: unsorted at ${i}`);
        if (!Number.isInteger(e.ts) || e.ts < u.profile.signupTs) misplaced.push(`${id}: ${e.type} at ${e.ts}`);
      });
      for (const e of u.history.events) if (e.ts >= NOW) misplaced.push(`${id}: ${e.type} at ${e.ts} in history`);
      for (const e of u.futureEvents) if (e.ts < NOW || e.ts >= NOW + 60 * DAY_MS) misplaced.push(`${id}: ${e.type} at ${e.ts} in future`);
    }
    expect(misplaced).toEqual([]);
    expect(population.every((u) => u.horizonEnd === NOW + 60 * DAY_MS)).toBe(true);
  });

  it('gives consistent profiles: signup within the year, country from the time zone', () => {
    const countryOf = new Map(SIMULATED_TIMEZONES.map((z) => [z.timezone, z.country]));
    const inconsistent = population.filter(
      (u) =>
        u.history.createdAt !== u.profile.signupTs ||
        u.profile.signupTs < NOW - 365 * DAY_MS ||
        u.profile.signupTs >= NOW ||
        u.history.attributes.country !== countryOf.get(u.history.timezone!) ||
        !['free', 'basic', 'pro'].includes(u.history.attributes.plan as string),
    );
    expect(inconsistent).toEqual([]);
    const zones = new Set(population.map((u) => u.history.timezone));
    expect(zones.size).toBe(SIMULATED_TIMEZONES.length);
  });

  it('stops user events at churn and emails at unsubscribe; purchases carry amounts', () => {
    const wrong: string[] = [];
    for (const u of population) {
      const id = u.history.userId;
      const all = u.history.events.concat(u.futureEvents);
      const unsubscribedAt = all.find((e) => e.type === 'unsubscribe')?.ts ?? Infinity;
      for (const e of all) {
        if (u.churnedAt !== null && e.ts >= u.churnedAt && USER_EVENTS.has(e.type)) wrong.push(`${id}: ${e.type} after churn`);
        if (e.type === 'email_sent' && e.ts >= unsubscribedAt) wrong.push(`${id}: email after unsubscribe`);
        if (e.type === 'purchase' && !(e.amount! > 0)) wrong.push(`${id}: purchase of ${e.amount}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(population.filter((u) => u.churnedAt !== null).length).toBeGreaterThan(0);
  });

  it('refuses ranges outside the population', () => {
    expect(() => generateUsers(config, { from: 0, to: 2_001 }).next()).toThrow(RangeError);
    expect(() => simulateUser(config, -1)).toThrow(RangeError);
  });
});
