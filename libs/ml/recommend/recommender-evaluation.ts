import { DAY_MS } from '../features/time';
import { fitRecommender, RecommenderModel, RecommenderOptions, RecommendScratch, recommendTop } from './item-recommender';
import { ProductIndex, purchaseBaskets, ShopperHistory } from './purchase-baskets';

/** Top-k quality of ranked lists against what customers really bought next (means over customers). */
export interface RankingQuality {
  precision: number;
  recall: number;
  /** Binary-gain NDCG: hits discounted by log2(rank + 1), over the best possible for the customer. */
  ndcg: number;
}

/** Precision, recall and NDCG at k of one ranked list (only its first k count). */
export function rankingQuality(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): RankingQuality {
  let hits = 0;
  let dcg = 0;
  for (let r = 0; r < Math.min(k, ranked.length); r++) {
    if (!relevant.has(ranked[r])) continue;
    hits++;
    dcg += 1 / Math.log2(r + 2);
  }
  let ideal = 0;
  for (let r = 0; r < Math.min(k, relevant.size); r++) ideal += 1 / Math.log2(r + 2);
  return { precision: hits / k, recall: relevant.size ? hits / relevant.size : 0, ndcg: ideal ? dcg / ideal : 0 };
}

export interface RecommenderEvaluationOptions extends RecommenderOptions {
  /** The holdout: purchases in the last holdoutDays before `now` (default 30). */
  holdoutDays?: number;
  /** List length judged (default 10). */
  k?: number;
  /** Judge only products new to the customer, and recommend only those (default true). */
  excludePurchased?: boolean;
  /**
   * Another ranking to judge on the same customers (e.g. a simulation's ground truth): the k best
   * product ids for customer u (an index into the histories), never one of `bought`.
   */
  oracle?: (u: number, bought: ReadonlySet<string>, k: number) => string[];
}

export interface RecommenderEvaluation {
  cutoff: number;
  holdoutDays: number;
  /** Customers judged: those with a (new) purchase in the holdout. */
  customers: number;
  products: number;
  ours: RankingQuality;
  /** The most-bought products the customer has not bought yet. */
  popularity: RankingQuality;
  oracle: RankingQuality | null;
  model: RecommenderModel;
  /** Time to fit on the training period, and to recommend for every customer (not only the judged). */
  fitMs: number;
  recommendMs: number;
}

function mean(qs: RankingQuality[]): RankingQuality {
  const n = qs.length || 1;
  return {
    precision: qs.reduce((s, q) => s + q.precision, 0) / n,
    recall: qs.reduce((s, q) => s + q.recall, 0) / n,
    ndcg: qs.reduce((s, q) => s + q.ndcg, 0) / n,
  };
}

/**
 * Time-based holdout: fit on the purchases before now − holdoutDays, recommend k products to every
 * customer, and judge the lists of those who bought something (new to them) in the holdout, next to
 * the popularity baseline and an optional oracle.
 */
export function evaluateRecommender(histories: readonly ShopperHistory[], now: number, options: RecommenderEvaluationOptions = {}): RecommenderEvaluation {
  const holdoutDays = options.holdoutDays ?? 30;
  const k = options.k ?? 10;
  const excludePurchased = options.excludePurchased ?? true;
  const cutoff = now - holdoutDays * DAY_MS;
  let t0 = performance.now();
  const model = fitRecommender(histories, cutoff, options);
  const fitMs = performance.now() - t0;
  const index = new ProductIndex();
  model.products.forEach((id, j) => index.add(id, model.categories[j]));
  const bought = purchaseBaskets(histories, -Infinity, cutoff, index, options, false);
  // The holdout's products get an index of their own: some were never bought before the cutoff.
  const nextIndex = new ProductIndex();
  const next = purchaseBaskets(histories, cutoff, now, nextIndex, options);
  const popular = Array.from(model.products.keys()).sort((a, b) => model.buyers[b] - model.buyers[a] || a - b);
  const scratch = new RecommendScratch(model.products.length);
  t0 = performance.now();
  const lists = bought.map((basket) => recommendTop(model, basket, { n: k, excludePurchased }, [], scratch));
  const recommendMs = performance.now() - t0;
  const ours: RankingQuality[] = [];
  const baseline: RankingQuality[] = [];
  const oracle: RankingQuality[] = [];
  bought.forEach((basket, u) => {
    const had = new Set(basket.map((j) => model.products[j]));
    const relevant = new Set(next[u].map((j) => nextIndex.ids[j]).filter((id) => !excludePurchased || !had.has(id)));
    if (relevant.size === 0) return;
    ours.push(rankingQuality(lists[u].map((r) => r.productId), relevant, k));
    const popularList: string[] = [];
    for (const j of popular) {
      if (popularList.length === k) break;
      if (!excludePurchased || !had.has(model.products[j])) popularList.push(model.products[j]);
    }
    baseline.push(rankingQuality(popularList, relevant, k));
    if (options.oracle) oracle.push(rankingQuality(options.oracle(u, excludePurchased ? had : new Set(), k), relevant, k));
  });
  return {
    cutoff,
    holdoutDays,
    customers: ours.length,
    products: model.products.length,
    ours: mean(ours),
    popularity: mean(baseline),
    oracle: options.oracle ? mean(oracle) : null,
    model,
    fitMs,
    recommendMs,
  };
}
