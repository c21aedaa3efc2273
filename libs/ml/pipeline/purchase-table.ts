import type { HistoryEvent } from '../../domain/event';
import { ProductIndex } from '../recommend/purchase-baskets';

/**
 * The purchases of a prediction's audience as a small numeric table, so the activity that reads the
 * histories can hand them to the one that fits lifetime value or recommendations through the training
 * set store (column-major Float32: user, minutes since `base`, amount, product index or NaN). Minutes
 * stay exact in Float32 for 31 years; amounts keep 7 significant digits.
 */
export interface PurchaseTableHeader {
  kind: 'purchases';
  /** ms since the epoch of minute 0. */
  base: number;
  /** The workflow's "now": purchases are before it. */
  now: number;
  users: number;
  purchaseEventType: string;
  /** Products by index, with their category (null when none was seen). */
  products: string[];
  categories: (string | null)[];
}

export interface PurchaseTable {
  header: PurchaseTableHeader;
  X: Float32Array;
  n: number;
}

export const PURCHASE_COLUMNS = 4;
const MINUTE_MS = 60_000;

export interface PurchaseFieldNames {
  purchaseEventType?: string;
  productProperty?: string;
  categoryProperty?: string;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);

/** The purchases before `now` of users who made any (others add no row). */
export function purchaseTable(histories: readonly { events: readonly HistoryEvent[] }[], now: number, fields: PurchaseFieldNames = {}): PurchaseTable {
  const type = fields.purchaseEventType ?? 'purchase';
  const productKey = fields.productProperty ?? 'productId';
  const categoryKey = fields.categoryProperty ?? 'category';
  const rows: [number, number, number, number][] = [];
  const index = new ProductIndex();
  let base = Infinity;
  let users = 0;
  for (const h of histories) {
    let any = false;
    for (const e of h.events) {
      if (e.ts >= now) break;
      if (e.type !== type) continue;
      if (!any) users++;
      any = true;
      const id = text(e.properties?.[productKey]);
      const j = id === null ? NaN : index.add(id, text(e.properties?.[categoryKey]));
      rows.push([users - 1, e.ts, e.amount ?? 0, j]);
      base = Math.min(base, e.ts);
    }
  }
  base = Number.isFinite(base) ? Math.floor(base / MINUTE_MS) * MINUTE_MS : now;
  const n = rows.length;
  const X = new Float32Array(n * PURCHASE_COLUMNS);
  rows.forEach(([u, ts, amount, j], i) => {
    X[i] = u;
    X[n + i] = Math.floor((ts - base) / MINUTE_MS);
    X[2 * n + i] = amount;
    X[3 * n + i] = j;
  });
  return { header: { kind: 'purchases', base, now, users, purchaseEventType: type, products: index.ids, categories: index.categories }, X, n };
}

/**
 * The table back as histories of purchase events (the stored type, `amount`, and `productId` /
 * `category` properties: the default fields whatever the source events called them), one per customer.
 */
export function purchaseHistories(table: PurchaseTable): { userId: string; events: HistoryEvent[] }[] {
  const { header, X, n } = table;
  const out = Array.from({ length: header.users }, (_, u) => ({ userId: `customer-${u}`, events: [] as HistoryEvent[] }));
  for (let i = 0; i < n; i++) {
    const j = X[3 * n + i];
    const e: HistoryEvent = { type: header.purchaseEventType, ts: header.base + X[n + i] * MINUTE_MS, amount: X[2 * n + i] };
    if (!Number.isNaN(j)) e.properties = { productId: header.products[j], category: header.categories[j] };
    out[X[i]].events.push(e);
  }
  return out;
}

/** Customers, repeat customers (purchases on two days or more) and products of a table. */
export function purchaseCounts(table: PurchaseTable): { customers: number; repeatCustomers: number; products: number; purchases: number } {
  const { X, n, header } = table;
  const firstDay = new Float64Array(header.users).fill(NaN);
  const repeat = new Uint8Array(header.users);
  for (let i = 0; i < n; i++) {
    const u = X[i];
    const day = Math.floor(X[n + i] / 1440);
    if (Number.isNaN(firstDay[u])) firstDay[u] = day;
    else if (firstDay[u] !== day) repeat[u] = 1;
  }
  return { customers: header.users, repeatCustomers: repeat.reduce((s, r) => s + r, 0), products: header.products.length, purchases: n };
}
