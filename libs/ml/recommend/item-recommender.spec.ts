import { HistoryEvent } from '../../domain/event';
import { DAY_MS } from '../features/time';
import { simulatePopulation } from '../simulation/generate-users';
import { fitRecommender, recommendAll } from './item-recommender';
import { evaluateRecommender, rankingQuality } from './recommender-evaluation';

const buy = (day: number, productId: string, category = 'c'): HistoryEvent => ({ type: 'purchase', ts: day * DAY_MS, amount: 1, properties: { productId, category } });

describe('item-item recommendations', () => {
  // a and b go together, c and d go together; e is bought by everyone who buys anything.
  const shoppers = [
    ...Array.from({ length: 30 }, (_, u) => ({ userId: `ab${u}`, events: [buy(1, 'a', 'x'), buy(2, 'b', 'x'), buy(3, 'e', 'z')] })),
    ...Array.from({ length: 30 }, (_, u) => ({ userId: `cd${u}`, events: [buy(1, 'c', 'y'), buy(2, 'd', 'y'), buy(3, 'e', 'z')] })),
    { userId: 'only-a', events: [buy(5, 'a', 'x')] },
    { userId: 'only-c', events: [buy(5, 'c', 'y'), { type: 'purchase', ts: 6 * DAY_MS, amount: 3 }] },
    { userId: 'new', events: [] },
  ];
  const model = fitRecommender(shoppers, 10 * DAY_MS, { shrinkage: 1 });

  it('recommends what the same customers bought together, then the popular, never what was bought or excluded', () => {
    const recs = recommendAll(model, shoppers, 10 * DAY_MS, { n: 3 });
    const byUser = new Map(recs.map((r) => [r.userId, r]));
    expect(byUser.get('only-a')!.items.map((i) => i.productId)).toEqual(['b', 'e', 'c']);
    expect(byUser.get('only-a')!.topCategory).toBe('x');
    expect(byUser.get('only-c')!.items.map((i) => i.productId).slice(0, 2)).toEqual(['d', 'e']);
    // A new customer gets the most bought product first.
    expect(byUser.get('new')!.topProductId).toBe('e');
    const withoutB = recommendAll(model, shoppers, 10 * DAY_MS, { n: 3, exclude: ['b'] });
    expect(withoutB.find((r) => r.userId === 'only-a')!.items.map((i) => i.productId)).toEqual(['e', 'c', 'd']);
    const again = recommendAll(model, shoppers, 10 * DAY_MS, { n: 5, excludePurchased: false });
    expect(again.find((r) => r.userId === 'only-a')!.items[0].productId).toBe('b');
    expect(again.find((r) => r.userId === 'only-a')!.items.map((i) => i.productId)).toContain('a');
  });

  it('scores as shares of the customer\'s affinity: descending, at most 1 in total', () => {
    for (const r of recommendAll(model, shoppers, 10 * DAY_MS, { n: 5 })) {
      const scores = r.items.map((i) => i.score);
      expect(scores.reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(1 + 1e-12);
      scores.forEach((s, k) => k > 0 && expect(s).toBeLessThanOrEqual(scores[k - 1]));
    }
  });

  it('measures precision, recall and NDCG at k', () => {
    const q = rankingQuality(['x', 'a', 'y', 'b'], new Set(['a', 'b', 'c']), 4);
    expect(q.precision).toBe(0.5);
    expect(q.recall).toBeCloseTo(2 / 3, 12);
    expect(q.ndcg).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)), 12);
  });

  it('beats popularity on a simulated population with known tastes, below the oracle', () => {
    const NOW = Date.UTC(2025, 0, 1);
    const users = simulatePopulation({ seed: 11, users: 6000, now: NOW, products: { products: 150, categories: 10 } });
    const histories = users.map((u) => ({ userId: u.history.userId, events: u.history.events.concat(u.futureEvents) }));
    const e = evaluateRecommender(histories, NOW + 60 * DAY_MS, {
      holdoutDays: 60,
      oracle: (u, bought, k) => {
        const pi = users[u].products!.probabilities();
        const { catalogue } = users[u].products!;
        return Array.from(pi.keys()).map((j) => catalogue.productId(j)).filter((id) => !bought.has(id)).sort((a, b) => pi[Number(b.slice(1)) - 1] - pi[Number(a.slice(1)) - 1]).slice(0, k);
      },
    });
    expect(e.customers).toBeGreaterThan(400);
    expect(e.ours.ndcg).toBeGreaterThan(1.2 * e.popularity.ndcg);
    expect(e.oracle!.ndcg).toBeGreaterThan(e.ours.ndcg);
  });
});
