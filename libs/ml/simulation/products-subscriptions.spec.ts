import { HistoryEvent } from '../../domain/event';
import { simulatePopulation } from './generate-users';
import { DAY_MS } from './local-calendar';
import { ProductCatalogue } from './product-catalogue';
import { SUBSCRIPTION_PERIOD_DAYS } from './subscription';

const NOW = Date.UTC(2025, 5, 1);
const base = { seed: 77, users: 3000, now: NOW };

describe('simulation: products and subscriptions (opt-in, streams of their own)', () => {
  const plain = simulatePopulation(base);
  const rich = simulatePopulation({ ...base, products: { products: 200, categories: 8 }, subscriptions: true });
  const BILLING = new Set(['subscription_start', 'subscription_renew', 'subscription_cancel']);
  const strip = (events: HistoryEvent[]) => events.filter((e) => !BILLING.has(e.type)).map(({ properties: _, ...e }) => e);

  it('leaves every existing event and field as the seed always generated it', () => {
    rich.forEach((u, i) => {
      expect(strip(u.history.events)).toEqual(plain[i].history.events);
      expect(strip(u.futureEvents)).toEqual(plain[i].futureEvents);
      expect(u.latent).toEqual(plain[i].latent);
      expect(u.churnedAt).toBe(plain[i].churnedAt);
    });
    expect(plain.every((u) => u.products === null && u.subscriptionTruth === null)).toBe(true);
  });

  it('puts a catalogue product and its category on every purchase, drawn from the user taste', () => {
    const catalogue = ProductCatalogue.of(77, { products: 200, categories: 8 });
    let purchases = 0;
    let inTop10 = 0;
    let expectedTop10 = 0;
    for (const u of rich) {
      const pi = u.products!.probabilities();
      const top = new Set(Array.from(pi.keys()).sort((a, b) => pi[b] - pi[a]).slice(0, 10).map((j) => catalogue.productId(j)));
      const mass = Array.from(top, (id) => pi[Number(id.slice(1)) - 1]).reduce((s, v) => s + v, 0);
      for (const e of [...u.history.events, ...u.futureEvents]) {
        if (e.type !== 'purchase') continue;
        const id = String(e.properties!.productId);
        const j = Number(id.slice(1)) - 1;
        expect(e.properties!.category).toBe(catalogue.categoryName(catalogue.categoryOf[j]));
        purchases++;
        inTop10 += top.has(id) ? 1 : 0;
        expectedTop10 += mass;
      }
    }
    expect(purchases).toBeGreaterThan(2000);
    // The realised share of purchases in each user's true top 10 matches the probability mass there.
    const se = Math.sqrt(expectedTop10 * (1 - expectedTop10 / purchases));
    expect(Math.abs(inTop10 - expectedTop10)).toBeLessThan(4 * se);
    expect(expectedTop10 / purchases).toBeGreaterThan(0.2);
  });

  it('bills paid plans monthly until they cancel, and the truth predicts the cancellations', () => {
    const cutoff = NOW - 30 * DAY_MS;
    let subscribers = 0;
    let expected = 0;
    let cancelled = 0;
    for (const u of rich) {
      const billing = [...u.history.events, ...u.futureEvents].filter((e) => BILLING.has(e.type));
      if (u.profile.plan === 'free') {
        expect(billing).toEqual([]);
        expect(u.subscriptionTruth!.cancelProbability(30, cutoff)).toBeNull();
        continue;
      }
      expect(billing[0]).toMatchObject({ type: 'subscription_start', ts: u.profile.signupTs });
      billing.forEach((e, k) => k > 0 && expect(e.ts - billing[k - 1].ts).toBe(SUBSCRIPTION_PERIOD_DAYS * DAY_MS));
      expect(billing.slice(0, -1).every((e) => e.type !== 'subscription_cancel')).toBe(true);
      const p = u.subscriptionTruth!.cancelProbability(45, cutoff);
      if (p === null) continue;
      subscribers++;
      expected += p;
      cancelled += billing.some((e) => e.type === 'subscription_cancel' && e.ts >= cutoff && e.ts < cutoff + 45 * DAY_MS) ? 1 : 0;
    }
    expect(subscribers).toBeGreaterThan(300);
    const se = Math.sqrt(expected * (1 - expected / subscribers));
    expect(Math.abs(cancelled - expected)).toBeLessThan(4 * se);
  });
});
