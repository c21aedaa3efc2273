import type { HistoryEvent } from '../../domain/event';

/** Where a purchase's product (and category) sit on the event. */
export interface PurchaseFields {
  /** Default purchase. */
  purchaseEventType?: string;
  /** Property holding the product id (default productId) and the category (default category). */
  productProperty?: string;
  categoryProperty?: string;
}

/** A user whose purchases feed recommendations. */
export interface ShopperHistory {
  userId: string;
  events: readonly HistoryEvent[];
}

/** Product ids as dense indices, with each product's category (null when none was seen). */
export class ProductIndex {
  readonly ids: string[] = [];
  readonly categories: (string | null)[] = [];
  private readonly byId = new Map<string, number>();

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** The product's index, adding it when new; a later category replaces none. */
  add(id: string, category: string | null): number {
    let j = this.byId.get(id);
    if (j === undefined) {
      j = this.ids.push(id) - 1;
      this.byId.set(id, j);
      this.categories.push(category);
    } else if (category !== null) this.categories[j] = category;
    return j;
  }

  get size(): number {
    return this.ids.length;
  }
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
}

/**
 * Each user's distinct purchased products in [from, to) (indices into `index`, which grows with new
 * products when `grow`), in order of first purchase. Purchases without a product id are skipped.
 */
export function purchaseBaskets(
  histories: readonly ShopperHistory[],
  from: number,
  to: number,
  index: ProductIndex,
  fields: PurchaseFields = {},
  grow = true,
): number[][] {
  const type = fields.purchaseEventType ?? 'purchase';
  const productKey = fields.productProperty ?? 'productId';
  const categoryKey = fields.categoryProperty ?? 'category';
  return histories.map((h) => {
    const basket: number[] = [];
    const seen = new Set<number>();
    for (const e of h.events) {
      if (e.ts < from) continue;
      if (e.ts >= to) break;
      if (e.type !== type) continue;
      const id = text(e.properties?.[productKey]);
      if (id === null) continue;
      const j = grow ? index.add(id, text(e.properties?.[categoryKey])) : index.indexOf(id);
      if (j === undefined || seen.has(j)) continue;
      seen.add(j);
      basket.push(j);
    }
    return basket;
  });
}
