import { ProductIndex, purchaseBaskets, PurchaseFields, ShopperHistory } from './purchase-baskets';

/**
 * Product recommendations by item-item collaborative filtering on implicit feedback (who bought what):
 * two products are similar when the same customers buy both, measured by the cosine of their buyer
 * sets shrunk towards zero for products with few buyers in common,
 *   sim(i, j) = |buyers(i) ∩ buyers(j)| / (√(|buyers(i)| · |buyers(j)|) + λ),
 * keeping each product's K most similar. A customer's affinity for product j is the sum of its
 * similarities to the products they bought, plus β times j's popularity (relative to the most popular
 * product), which also ranks for customers without purchases. Scores are affinities divided by their
 * sum over the candidate products: comparable across customers, an estimate of the share of the next
 * purchase. (Sarwar et al. 2001; Deshpande & Karypis 2004, item-based top-N recommendation.)
 */

export interface RecommenderOptions extends PurchaseFields {
  /** Most similar products kept per product (default 100). */
  neighbours?: number;
  /** Shrinkage λ of the cosine (default 50: most pairs of products share few buyers). */
  shrinkage?: number;
  /** Weight β of popularity in the affinity (default 0.02). */
  popularityWeight?: number;
}

export interface RecommenderModel {
  products: string[];
  categories: (string | null)[];
  /** Buyers of each product (in the fitted period). */
  buyers: Int32Array;
  /** β · buyers / (most buyers of any product): every product's affinity before similarities. */
  prior: Float64Array;
  /** Product i's neighbours are neighbour[start[i] .. start[i+1]), most similar first. */
  start: Int32Array;
  neighbour: Int32Array;
  similarity: Float64Array;
  popularityWeight: number;
  fields: PurchaseFields;
}

export interface Recommendation {
  productId: string;
  category: string | null;
  /** The product's share of the customer's affinity over all candidate products (scores of all candidates sum to 1). */
  score: number;
}

export interface RecommendOptions {
  /** Products to return (default 10). */
  n?: number;
  /** Leave out products the customer already bought (default true). */
  excludePurchased?: boolean;
  /** Product ids never to recommend (e.g. discontinued, or the subscription itself). */
  exclude?: readonly string[];
}

const DEFAULTS = { neighbours: 100, shrinkage: 50, popularityWeight: 0.02 };

/** Fits on every purchase before `cutoff`. */
export function fitRecommender(histories: readonly ShopperHistory[], cutoff: number, options: RecommenderOptions = {}): RecommenderModel {
  const K = options.neighbours ?? DEFAULTS.neighbours;
  const lambda = options.shrinkage ?? DEFAULTS.shrinkage;
  const index = new ProductIndex();
  const baskets = purchaseBaskets(histories, -Infinity, cutoff, index, options);
  const P = index.size;
  const buyers = new Int32Array(P);
  let pairs = 0;
  for (const b of baskets) {
    for (const j of b) buyers[j]++;
    pairs += b.length * (b.length - 1);
  }
  // Every ordered pair of products bought by one customer, as i·P + j, sorted: runs are co-buyer counts.
  const codes = new Float64Array(pairs);
  let at = 0;
  for (const b of baskets) for (const i of b) for (const j of b) if (i !== j) codes[at++] = i * P + j;
  codes.sort();
  const start = new Int32Array(P + 1);
  const neighbour: number[] = [];
  const similarity: number[] = [];
  let k = 0;
  for (let i = 0; i < P; i++) {
    start[i] = neighbour.length;
    const row: [number, number][] = [];
    while (k < pairs && Math.floor(codes[k] / P) === i) {
      const code = codes[k];
      let count = 0;
      while (k < pairs && codes[k] === code) {
        count++;
        k++;
      }
      const j = code - i * P;
      row.push([j, count / (Math.sqrt(buyers[i] * buyers[j]) + lambda)]);
    }
    row.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [j, s] of row.slice(0, K)) {
      neighbour.push(j);
      similarity.push(s);
    }
  }
  start[P] = neighbour.length;
  const beta = options.popularityWeight ?? DEFAULTS.popularityWeight;
  let maxBuyers = 1;
  for (let j = 0; j < P; j++) maxBuyers = Math.max(maxBuyers, buyers[j]);
  return {
    products: index.ids,
    categories: index.categories,
    buyers,
    prior: Float64Array.from(buyers, (b) => (beta * b) / maxBuyers),
    start,
    neighbour: Int32Array.from(neighbour),
    similarity: Float64Array.from(similarity),
    popularityWeight: beta,
    fields: { purchaseEventType: options.purchaseEventType, productProperty: options.productProperty, categoryProperty: options.categoryProperty },
  };
}

/** Reusable per-call buffers of recommendTop. */
export class RecommendScratch {
  readonly affinity: Float64Array;
  readonly excluded: Uint8Array;

  constructor(products: number) {
    this.affinity = new Float64Array(products);
    this.excluded = new Uint8Array(products);
  }
}

/**
 * The top n products for a customer who bought `basket` (product indices of the model), best first.
 * `blocked` lists product indices never to return.
 */
export function recommendTop(
  model: RecommenderModel,
  basket: readonly number[],
  options: RecommendOptions = {},
  blocked: readonly number[] = [],
  scratch = new RecommendScratch(model.products.length),
): Recommendation[] {
  const n = options.n ?? 10;
  const P = model.products.length;
  const { affinity, excluded } = scratch;
  affinity.set(model.prior);
  for (const i of basket) {
    for (let k = model.start[i]; k < model.start[i + 1]; k++) affinity[model.neighbour[k]] += model.similarity[k];
  }
  const skip = (options.excludePurchased ?? true) ? [...basket, ...blocked] : blocked;
  for (const j of skip) excluded[j] = 1;
  // Partial selection of the n best (ties by product order) in a small sorted array, and the total.
  const best: number[] = [];
  let total = 0;
  let floor = -Infinity;
  for (let j = 0; j < P; j++) {
    if (excluded[j]) continue;
    const a = affinity[j];
    total += a;
    if (a <= floor) continue;
    let s = best.length < n ? best.length : n - 1;
    best[s] = j;
    while (s > 0 && affinity[best[s - 1]] < a) {
      best[s] = best[s - 1];
      best[--s] = j;
    }
    if (best.length === n) floor = affinity[best[n - 1]];
  }
  for (const j of skip) excluded[j] = 0;
  return best.map((j) => ({ productId: model.products[j], category: model.categories[j], score: total > 0 ? affinity[j] / total : 0 }));
}

/** A customer's recommendations, shaped for segments ("top recommendation is X", "score for X ≥ s"). */
export interface UserRecommendations {
  userId: string;
  /** Best first. */
  items: Recommendation[];
  topProductId: string | null;
  topCategory: string | null;
}

/** Recommendations for every customer from their purchases before `asOf` (customers without any get the popular products). */
export function recommendAll(
  model: RecommenderModel,
  histories: readonly ShopperHistory[],
  asOf: number,
  options: RecommendOptions = {},
): UserRecommendations[] {
  const index = new ProductIndex();
  model.products.forEach((id, j) => index.add(id, model.categories[j]));
  const blocked = (options.exclude ?? []).flatMap((id) => {
    const j = index.indexOf(id);
    return j === undefined ? [] : [j];
  });
  const baskets = purchaseBaskets(histories, -Infinity, asOf, index, model.fields, false);
  const scratch = new RecommendScratch(model.products.length);
  return histories.map((h, u) => {
    const items = recommendTop(model, baskets[u], options, blocked, scratch);
    return { userId: h.userId, items, topProductId: items[0]?.productId ?? null, topCategory: items[0]?.category ?? null };
  });
}
