import { calibrationTable, rocAuc } from '../metrics';
import { simulatePopulation } from './generate-users';
import { DAY_MS } from './local-calendar';
import { realisedOutcome } from './realised-outcome';
import { SimulatedUser } from './simulate-user';

const NOW = Date.UTC(2025, 9, 20, 16, 45); // windows cross the end of European and US summer time
const WINDOW = 30;
const population = simulatePopulation({ seed: 7, users: 10_000, now: NOW });

/** Users with a session or purchase in the window before the cutoff: the ones a churn model scores. */
function isActive(u: SimulatedUser, cutoff = NOW): boolean {
  return u.history.events.some((e) => (e.type === 'session' || e.type === 'purchase') && e.ts >= cutoff - WINDOW * DAY_MS && e.ts < cutoff);
}

interface Scored {
  churn: number[];
  churned: number[];
  purchase: number[];
  purchased: number[];
}

function score(users: SimulatedUser[], windowDays = WINDOW, cutoff = NOW): Scored {
  const s: Scored = { churn: [], churned: [], purchase: [], purchased: [] };
  for (const u of users) {
    const outcome = realisedOutcome(u, windowDays, cutoff);
    s.churn.push(u.truth.churnProbability(windowDays, cutoff));
    s.churned.push(outcome.churned ? 1 : 0);
    s.purchase.push(u.truth.purchaseProbability(windowDays, cutoff));
    s.purchased.push(outcome.purchased ? 1 : 0);
  }
  return s;
}

const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;

/** The realised rate is within 4 standard deviations of the mean true probability (Poisson-binomial). */
function expectCalibrated(probs: number[], labels: number[]): void {
  const sd = Math.sqrt(probs.reduce((v, p) => v + p * (1 - p), 0)) / probs.length;
  expect(Math.abs(mean(labels) - mean(probs))).toBeLessThanOrEqual(4 * sd + 1e-9);
}

/** Each probability bin's realised rate is within 4 standard deviations of its mean probability (+1 point). */
function expectBinsCalibrated(probs: number[], labels: number[]): void {
  for (const bin of calibrationTable(labels, probs, 10)) {
    if (bin.count < 50) continue;
    const p = bin.meanPredicted!;
    expect(Math.abs(bin.observedRate! - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / bin.count) + 0.01);
  }
}

describe('ground truth', () => {
  const all = score(population);
  const activeUsers = population.filter((u) => isActive(u));
  const active = score(activeUsers);

  it('makes both classes common among active users', () => {
    console.log(
      `${activeUsers.length} of ${population.length} users active in the ${WINDOW} days before now; within ${WINDOW} days ` +
        `${(100 * mean(active.churned)).toFixed(1)}% churn (true mean ${(100 * mean(active.churn)).toFixed(1)}%), ` +
        `${(100 * mean(active.purchased)).toFixed(1)}% purchase (true mean ${(100 * mean(active.purchase)).toFixed(1)}%)`,
    );
    expect(mean(active.churned)).toBeGreaterThan(0.15);
    expect(mean(active.churned)).toBeLessThan(0.3);
    expect(mean(active.purchased)).toBeGreaterThan(0.15);
    expect(mean(active.purchased)).toBeLessThan(0.35);
  });

  it('matches realised rates on average, over everyone and over active users', () => {
    expectCalibrated(all.churn, all.churned);
    expectCalibrated(all.purchase, all.purchased);
    expectCalibrated(active.churn, active.churned);
    expectCalibrated(active.purchase, active.purchased);
  });

  it('is calibrated bin by bin', () => {
    expectBinsCalibrated(all.churn, all.churned);
    expectBinsCalibrated(all.purchase, all.purchased);
    expectBinsCalibrated(active.churn, active.churned);
    expectBinsCalibrated(active.purchase, active.purchased);
  });

  it('holds for other windows and for a cutoff inside the history', () => {
    const week = score(population, 7);
    expectCalibrated(week.churn, week.churned);
    expectCalibrated(week.purchase, week.purchased);
    const cutoff = NOW - 75 * DAY_MS - 5 * 3_600_000;
    const earlier = score(population.filter((u) => isActive(u, cutoff)), 60, cutoff);
    expectCalibrated(earlier.churn, earlier.churned);
    expectCalibrated(earlier.purchase, earlier.purchased);
    expectBinsCalibrated(earlier.churn, earlier.churned);
  });

  it('ranks well: oracle AUC comfortably above 0.5', () => {
    const alive = score(activeUsers.filter((u) => u.churnedAt === null || u.churnedAt > NOW));
    const auc = {
      churnActive: rocAuc(active.churned, active.churn),
      churnActiveStillThere: rocAuc(alive.churned, alive.churn),
      purchaseActive: rocAuc(active.purchased, active.purchase),
      churnAll: rocAuc(all.churned, all.churn),
    };
    console.log('oracle AUC (30 days):', JSON.stringify(auc, (_, v: unknown) => (typeof v === 'number' ? +v.toFixed(3) : v)));
    expect(auc.churnActive).toBeGreaterThan(0.8);
    expect(auc.churnActiveStillThere).toBeGreaterThan(0.7);
    expect(auc.purchaseActive).toBeGreaterThan(0.7);
  });

  it('is certain about users who have already gone, and about windows before signup', () => {
    const gone = population.find((u) => u.churnedAt !== null && u.churnedAt < NOW)!;
    expect(gone.truth.churnProbability(WINDOW)).toBe(1);
    expect(gone.truth.purchaseProbability(WINDOW)).toBe(0);
    const u = population[0];
    const beforeSignup = u.profile.signupTs - 10 * DAY_MS;
    expect(u.truth.churnProbability(10, beforeSignup)).toBe(1);
    expect(u.truth.purchaseProbability(10, beforeSignup)).toBe(0);
  });

  it('grows with the window: churn less likely, purchase more likely', () => {
    for (const u of activeUsers.slice(0, 200)) {
      const windows = [1, 7, 30, 60].map((w) => [u.truth.churnProbability(w), u.truth.purchaseProbability(w)]);
      for (let i = 1; i < windows.length; i++) {
        expect(windows[i][0]).toBeLessThanOrEqual(windows[i - 1][0] + 1e-12);
        expect(windows[i][1]).toBeGreaterThanOrEqual(windows[i - 1][1] - 1e-12);
      }
    }
  });

  it('refuses windows the sampled future does not cover', () => {
    expect(() => realisedOutcome(population[0], 61)).toThrow(RangeError);
    expect(() => population[0].truth.churnProbability(0)).toThrow(RangeError);
  });
});
