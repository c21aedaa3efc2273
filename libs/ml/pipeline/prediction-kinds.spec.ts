import { HistoryEvent } from '../../domain/event';
import { clvDefinitionSchema, recommendationDefinitionSchema } from '../../domain/prediction';
import { buildFeatureMatrix } from '../datasets/feature-matrix';
import { describeReasons, reasonFeatures, topContributions } from '../explain';
import { compileExplainer } from '../explain/tree-shap';
import { fitFeatureSchema } from '../features/feature-schema';
import { DAY_MS } from '../features/time';
import { predictMargins, serializeModel, trainGbdt } from '../gbdt';
import { simulatePopulation } from '../simulation/generate-users';
import { scoreLifetimeValue, trainLifetimeValue } from './lifetime-value';
import { purchaseCounts, purchaseHistories, purchaseTable } from './purchase-table';
import { parseRecommender, recommendForUsers, serializeRecommender, trainRecommendations } from './recommendations';
import { explainTop, runPipelineJob } from './pipeline-jobs';
import { runInThread } from './pipeline-thread';
import { fitOnPurchases, PurchaseFitInput } from './purchase-models';
import { reasonsInWords, storedReasons } from './score';

const NOW = Date.UTC(2026, 0, 1);
// One simulated shop: a year of history, a catalogue of 80 products in 8 categories (known tastes).
const population = simulatePopulation({ seed: 5, users: 2500, now: NOW, historyDays: 365, products: { products: 80, categories: 8 } });
const histories = population.map((u) => u.history);

describe('purchase table (what the training activities hand over)', () => {
  it('keeps every purchase before now: customer, minute, amount, product and category', () => {
    const buy = (day: number, amount: number, productId?: string): HistoryEvent => ({ type: 'order', ts: day * DAY_MS + 61_234, amount, ...(productId ? { properties: { sku: productId, family: 'f' } } : {}) });
    const table = purchaseTable(
      [
        { events: [{ type: 'session', ts: DAY_MS }, buy(2, 10.5, 'a'), buy(3, 4)] },
        { events: [] },
        { events: [buy(5, 7, 'b'), buy(40, 1, 'a')] },
      ],
      30 * DAY_MS,
      { purchaseEventType: 'order', productProperty: 'sku', categoryProperty: 'family' },
    );
    expect(purchaseCounts(table)).toEqual({ customers: 2, repeatCustomers: 1, products: 2, purchases: 3 });
    expect(purchaseHistories(table)).toEqual([
      {
        userId: 'customer-0',
        events: [
          { type: 'order', ts: 2 * DAY_MS + 60_000, amount: 10.5, properties: { productId: 'a', category: 'f' } },
          { type: 'order', ts: 3 * DAY_MS + 60_000, amount: 4 },
        ],
      },
      { userId: 'customer-1', events: [{ type: 'order', ts: 5 * DAY_MS + 60_000, amount: 7, properties: { productId: 'b', category: 'f' } }] },
    ]);
  });
});

describe('lifetime value as a prediction', () => {
  const def = clvDefinitionSchema.parse({ horizonDays: 180 });
  const table = purchaseTable(histories, NOW);
  const { model, quality } = trainLifetimeValue(purchaseHistories(table), NOW, def);

  it('is judged on a holdout against the past-value baseline, with its value errors and totals', () => {
    expect(quality).toMatchObject({ kind: 'clv', holdoutDays: 180, topShare: 0.2 });
    // Judged: the customers who had bought before the holdout began.
    expect(quality.customers).toBeGreaterThan(0.3 * purchaseCounts(table).customers);
    expect(quality.customers).toBeLessThan(purchaseCounts(table).customers);
    expect(['A', 'B', 'C']).toContain(quality.grade);
    expect(quality.hitRate).toBeGreaterThan(0.3);
    expect(quality.mae).toBeGreaterThan(0);
    expect(quality.rmse).toBeGreaterThanOrEqual(quality.mae);
    expect(quality.predictedValue).toBeGreaterThan(0.5 * quality.actualValue);
    expect(quality.predictedValue).toBeLessThan(2 * quality.actualValue);
  });

  it('scores customers from the stored model: percentile and tier from the training distribution, whatever the batch', () => {
    const stored = JSON.parse(JSON.stringify(model)) as typeof model;
    const all = scoreLifetimeValue(stored, histories, NOW);
    const few = scoreLifetimeValue(stored, histories.slice(0, 50), NOW);
    expect(few).toEqual(all.filter((s) => few.some((f) => f.userId === s.userId)));
    const high = all.filter((s) => s.clv.tier === 'high').length / all.length;
    expect(high).toBeGreaterThan(0.15);
    expect(high).toBeLessThan(0.25);
    for (const s of all) {
      expect(s.score).toBe(s.clv.valuePercentile);
      expect(s.category).toBe({ high: 'High', medium: 'Medium', low: 'Low' }[s.clv.tier]);
      expect(s.probability).toBe(s.clv.probabilityAlive);
    }
    const byValue = [...all].sort((a, b) => a.clv.expectedValue - b.clv.expectedValue);
    for (let k = 1; k < byValue.length; k++) expect(byValue[k].clv.valuePercentile).toBeGreaterThanOrEqual(byValue[k - 1].clv.valuePercentile);
  });
});

describe('recommendations as a prediction', () => {
  const def = recommendationDefinitionSchema.parse({ topN: 5, holdoutDays: 60 });
  const { model, quality } = trainRecommendations(purchaseHistories(purchaseTable(histories, NOW)), NOW, def);

  it('beats popularity on the time-based holdout', () => {
    expect(quality).toMatchObject({ kind: 'recommendation', k: 10, holdoutDays: 60 });
    expect(quality.products).toBeGreaterThan(60);
    expect(quality.customers).toBeGreaterThan(100);
    expect(quality.ours.ndcg).toBeGreaterThan(quality.popularity.ndcg);
  });

  it('recommends N products per user from the stored model, never one already bought or excluded', () => {
    const stored = parseRecommender(serializeRecommender(model));
    const recs = recommendForUsers(stored, histories, NOW, { ...def, exclude: ['p1'] });
    expect(recs).toHaveLength(histories.length);
    recs.forEach((r, u) => {
      expect(r.items).toHaveLength(5);
      const bought = new Set(histories[u].events.flatMap((e) => (e.type === 'purchase' && e.properties?.productId ? [e.properties.productId] : [])));
      for (const i of r.items) {
        expect(bought.has(i.p)).toBe(false);
        expect(i.p).not.toBe('p1');
        expect(i.c).toMatch(/./);
      }
      expect(r.probability).toBe(r.items[0].s);
      expect(r.score).toBe(Math.round(100 * r.items[0].s));
    });
  });
});

describe('stored reasons', () => {
  it('word the same as describeReasons on the scored matrix', () => {
    const users = histories.slice(0, 400);
    const schema = fitFeatureSchema(users);
    const { X, n } = buildFeatureMatrix(users, NOW, schema);
    const y = Float32Array.from(population.slice(0, 400), (u) => (u.truth.churnProbability(30) > 0.5 ? 1 : 0));
    const names = schema.features.map((f) => f.name);
    const model = trainGbdt({ x: X, y, n, featureNames: names, categoricalFeatures: [] }, { rounds: 20, maxDepth: 3, learningRate: 0.3 });
    const top = topContributions(compileExplainer(model), X, n, 3);
    const stored = storedReasons(top, X);
    const features = reasonFeatures(schema);
    for (const i of [0, 1, 2, 57, 399]) {
      expect(stored[i].length).toBeLessThanOrEqual(3 * 3);
      const worded = reasonsInWords(stored[i], features);
      const direct = describeReasons(top, i, X, features);
      expect(worded.map((r) => [r.feature, r.value, r.text])).toEqual(direct.map((r) => [r.feature, r.value, r.text]));
      worded.forEach((r, k) => expect(Math.abs(r.contribution - direct[k].contribution)).toBeLessThanOrEqual(5e-5));
    }
  });

  it('come with the margins from a scoring job, on the calling thread and on a thread of its own', async () => {
    const users = histories.slice(0, 300);
    const schema = fitFeatureSchema(users);
    const { X, n } = buildFeatureMatrix(users, NOW, schema);
    const y = Float32Array.from(population.slice(0, 300), (u) => (u.truth.purchaseProbability(14) > 0.3 ? 1 : 0));
    const model = trainGbdt({ x: X, y, n, featureNames: schema.features.map((f) => f.name), categoricalFeatures: [] }, { rounds: 15, maxDepth: 3, learningRate: 0.3 });
    const expected = { margins: predictMargins(model, X, n), reasons: storedReasons(topContributions(compileExplainer(model), X, n, 3), X) };
    const job = () => ({ kind: 'scores' as const, modelJson: serializeModel(model), x: X.slice(), n, numThreads: 1, reasons: 3 });
    // Plain arrays: the thread's typed arrays come from another realm.
    const plain = (r: { margins: Float64Array; reasons: unknown }) => ({ margins: Array.from(r.margins), reasons: r.reasons });
    expect(plain(await runPipelineJob(job()))).toEqual(plain(expected));
    expect(plain(await runInThread(job()))).toEqual(plain(expected));
  });

  it('are explained on threads of their own from a large chunk, the same as on one thread', async () => {
    const n = 17_000;
    const names = ['a', 'b', 'c', 'd'];
    const x = new Float32Array(n * names.length);
    for (let i = 0; i < x.length; i++) x[i] = ((i * 2654435761) % 1000) / 1000;
    const y = Float32Array.from({ length: n }, (_, i) => (x[i] + x[n + i] > 1 ? 1 : 0));
    const model = trainGbdt({ x, y, n, featureNames: names, categoricalFeatures: [] }, { rounds: 10, maxDepth: 3, learningRate: 0.3 });
    const one = await explainTop(model, x, n, 2);
    const chunk = await runInThread({ kind: 'scores', modelJson: serializeModel(model), x: x.slice(), n, numThreads: 2, reasons: 2 });
    expect(chunk.reasons).toEqual(one);
  });
});

describe('lifetime-value and recommendation fits on the pipeline thread', () => {
  const table = purchaseTable(histories, NOW);
  // The job's table moves to the thread: each run gets its own copy of the purchases.
  const input = (fit: Omit<PurchaseFitInput, 'table'>) => ({ ...fit, table: { ...table, X: table.X.slice() } }) as PurchaseFitInput;

  it('fits lifetime value on a thread of its own exactly as on the calling thread', async () => {
    const fit = { kind: 'clv' as const, definition: clvDefinitionSchema.parse({ horizonDays: 180 }) };
    const here = fitOnPurchases(input(fit));
    const { model, quality } = trainLifetimeValue(purchaseHistories(table), NOW, fit.definition);
    expect(here).toMatchObject({ kind: 'clv', metrics: quality, modelJson: JSON.stringify(model) });
    expect(await runInThread({ kind: 'purchases', input: input(fit) })).toEqual(here);
  });

  it('fits recommendations on a thread of its own exactly as on the calling thread', async () => {
    const fit = { kind: 'recommendation' as const, definition: recommendationDefinitionSchema.parse({ topN: 5, holdoutDays: 45 }) };
    const here = fitOnPurchases(input(fit));
    const { model, quality } = trainRecommendations(purchaseHistories(table), NOW, fit.definition);
    expect(here).toMatchObject({ kind: 'recommendation', metrics: quality, modelJson: serializeRecommender(model) });
    expect(await runInThread({ kind: 'purchases', input: input(fit) })).toEqual(here);
  });

  it('answers a refusal as data from the thread (no customer bought anything new in the holdout)', async () => {
    const old = (day: number, productId: string): HistoryEvent => ({ type: 'purchase', ts: NOW - day * DAY_MS, amount: 5, properties: { productId, category: 'c' } });
    const stale = purchaseTable(
      Array.from({ length: 50 }, (_, u) => ({ events: [old(300, `p${u % 3}`), old(200, `p${(u + 1) % 3}`)] })),
      NOW,
    );
    const definition = recommendationDefinitionSchema.parse({ holdoutDays: 30 });
    const refused = await runInThread({ kind: 'purchases', input: { kind: 'recommendation', table: stale, definition } });
    expect(refused).toEqual({ kind: 'refused', reason: expect.stringMatching(/no customer bought a product new to them in the last 30 days/) });
  });
});
