import { SplitMix64 } from '../random';
import { normal } from './sampling';

/**
 * A synthetic catalogue with known structure, for product recommendations: each product belongs to one
 * category, has a popularity and a position in a small taste space near its category's centre. A user's
 * taste is a point in the same space, and each of their purchases is product j with probability
 * π(j) ∝ exp(popularity_j + taste · position_j) (a multinomial logit over the catalogue), so the
 * ground-truth ranking of what a user buys next is known exactly.
 */

export interface CatalogueConfig {
  /** Products in the catalogue (default 1,000). */
  products?: number;
  /** Categories they fall into (default 20). */
  categories?: number;
}

/** Dimensions of the taste space. */
export const TASTE_DIMENSIONS = 8;
// Popularity spread (log scale), how far products stray from their category's centre, and how strongly
// tastes differ between users (how concentrated one user's purchases are).
const POPULARITY_SD = 1;
const PRODUCT_SPREAD = 0.6;
const TASTE_SD = 0.9;
/** Offset of the catalogue's stream from the population seed (its own stream: other draws stay as they were). */
const CATALOGUE_STREAM = 0x0ca7a106n;
/** Offset of the per-user product streams (seeded by (seed + offset, user index)). */
export const PRODUCT_STREAM = 0x9a0d0c75n;

export class ProductCatalogue {
  private static readonly cache = new Map<string, ProductCatalogue>();

  /** The catalogue of a population seed (the same object for the same seed and sizes). */
  static of(seed: number, config: CatalogueConfig = {}): ProductCatalogue {
    const products = config.products ?? 1000;
    const categories = config.categories ?? 20;
    if (!(Number.isInteger(products) && products >= 1 && Number.isInteger(categories) && categories >= 1 && categories <= products)) {
      throw new RangeError(`simulation: catalogue of ${products} products in ${categories} categories`);
    }
    const key = `${seed}/${products}/${categories}`;
    let c = ProductCatalogue.cache.get(key);
    if (!c) ProductCatalogue.cache.set(key, (c = new ProductCatalogue(seed, products, categories)));
    return c;
  }

  /** Category index of each product. */
  readonly categoryOf: Int32Array;
  /** Log popularity of each product. */
  readonly popularity: Float64Array;
  /** Row-major products × TASTE_DIMENSIONS. */
  readonly position: Float64Array;
  private readonly idWidth: number;

  private constructor(seed: number, readonly products: number, readonly categories: number) {
    const rng = new SplitMix64(BigInt(seed) + CATALOGUE_STREAM);
    const centres = Float64Array.from({ length: categories * TASTE_DIMENSIONS }, () => normal(rng));
    this.categoryOf = new Int32Array(products);
    this.popularity = new Float64Array(products);
    this.position = new Float64Array(products * TASTE_DIMENSIONS);
    for (let j = 0; j < products; j++) {
      // Categories of uneven size: product j falls in category floor(c · u²), so low categories are larger.
      const u = rng.nextDouble();
      const c = Math.min(categories - 1, Math.floor(categories * u * u));
      this.categoryOf[j] = c;
      this.popularity[j] = POPULARITY_SD * normal(rng);
      for (let k = 0; k < TASTE_DIMENSIONS; k++) {
        this.position[j * TASTE_DIMENSIONS + k] = centres[c * TASTE_DIMENSIONS + k] + PRODUCT_SPREAD * normal(rng);
      }
    }
    this.idWidth = Math.max(4, String(products).length);
  }

  productId(j: number): string {
    return `p${String(j + 1).padStart(this.idWidth, '0')}`;
  }

  categoryName(c: number): string {
    return `c${String(c + 1).padStart(2, '0')}`;
  }

  /** A user's taste, drawn from their own product stream. */
  drawTaste(rng: SplitMix64): ProductTaste {
    return new ProductTaste(this, Float64Array.from({ length: TASTE_DIMENSIONS }, () => TASTE_SD * normal(rng)));
  }
}

/** One user's taste and the purchase distribution it implies (the ground truth of "what next"). */
export class ProductTaste {
  private cumulative: Float64Array | null = null;

  constructor(readonly catalogue: ProductCatalogue, readonly taste: Float64Array) {}

  /** π(j): the probability that any one purchase of this user is product j (sums to 1). */
  probabilities(): Float64Array {
    const { products, popularity, position } = this.catalogue;
    const logits = new Float64Array(products);
    let max = -Infinity;
    for (let j = 0; j < products; j++) {
      let s = popularity[j];
      for (let k = 0; k < TASTE_DIMENSIONS; k++) s += this.taste[k] * position[j * TASTE_DIMENSIONS + k];
      logits[j] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let j = 0; j < products; j++) total += logits[j] = Math.exp(logits[j] - max);
    for (let j = 0; j < products; j++) logits[j] /= total;
    return logits;
  }

  /** A product drawn from π (one uniform, binary search on the cumulative sums). */
  draw(rng: SplitMix64): number {
    if (!this.cumulative) {
      const pi = this.probabilities();
      for (let j = 1; j < pi.length; j++) pi[j] += pi[j - 1];
      this.cumulative = pi;
    }
    const c = this.cumulative;
    const u = rng.nextDouble() * c[c.length - 1];
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid] <= u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
