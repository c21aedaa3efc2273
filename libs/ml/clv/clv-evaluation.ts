import { ClvModel, ClvOptions, customerForecast, DEFAULT_CLV_HORIZON_DAYS, fitClvModel, PurchaseHistory } from './clv-model';
import { DAY_MS } from './rfm-summary';

/**
 * How good the CLV model is, judged as Dynamics 365 Customer Insights judges its CLV model: fitted on
 * a calibration period, it forecasts each customer's spend over a holdout period that follows; the
 * customers who really spent most in the holdout (its top 20%) are compared with the model's top 20%
 * and with the top 20% of a naive baseline that ranks by past value (spend so far). Grade A: the model
 * finds at least 5% more of them than the baseline; B: at least as many; C: fewer.
 */

export type ClvGrade = 'A' | 'B' | 'C';

export interface ClvEvaluation {
  /** The holdout [cutoff, now): the horizon's length, or half the purchase history when that is shorter. */
  cutoff: number;
  holdoutDays: number;
  /** Customers judged: users with a purchase before the cutoff. */
  customers: number;
  model: ClvModel;
  /** Sum over customers of the forecast and of the real holdout spend (and purchase days). */
  predictedValue: number;
  actualValue: number;
  predictedPurchases: number;
  actualPurchases: number;
  /** Per customer, forecast against real holdout spend. */
  mae: number;
  rmse: number;
  topShare: number;
  /** Customers in the real top share with a positive spend (fewer than the share when few bought). */
  actualTop: number;
  /** Share of the real top customers that the model's top share holds, and that the baseline's holds. */
  hitRate: number;
  baselineHitRate: number;
  grade: ClvGrade;
}

/** The k highest values' indices (ties by index), as a set. */
function topIndices(values: ArrayLike<number>, k: number): Set<number> {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  return new Set(order.slice(0, k));
}

/** Dynamics 365's grade from the two hit counts. */
export function clvGrade(hits: number, baselineHits: number): ClvGrade {
  if (hits >= 1.05 * baselineHits && hits > baselineHits) return 'A';
  return hits >= baselineHits ? 'B' : 'C';
}

export interface ClvEvaluationOptions extends ClvOptions {
  /** Share of customers that counts as "top" (default 0.2). */
  topShare?: number;
}

/** Fits on the purchases before now − holdout, forecasts the holdout and compares (see the module comment). */
export function evaluateClv(histories: readonly PurchaseHistory[], now: number, options: ClvEvaluationOptions = {}): ClvEvaluation {
  const type = options.purchaseEventType ?? 'purchase';
  const horizon = options.horizonDays ?? DEFAULT_CLV_HORIZON_DAYS;
  const topShare = options.topShare ?? 0.2;
  let first = Infinity;
  for (const h of histories) for (const e of h.events) if (e.type === type && e.ts < now) first = Math.min(first, e.ts);
  const spanDays = Math.floor((now - first) / DAY_MS);
  const holdoutDays = Math.min(horizon, Math.floor(spanDays / 2));
  if (!(holdoutDays >= 7)) {
    throw new RangeError(`clv evaluation: ${Number.isFinite(spanDays) ? spanDays : 0} days of purchases; a holdout needs at least 14`);
  }
  const cutoff = now - holdoutDays * DAY_MS;
  const model = fitClvModel(histories, cutoff, options);
  const predicted: number[] = [];
  const actual: number[] = [];
  const past: number[] = [];
  let predictedPurchases = 0;
  let actualPurchases = 0;
  for (const h of histories) {
    const f = customerForecast(model, h, cutoff, holdoutDays, type, options.spend);
    if (!f) continue;
    let spend = 0;
    const days = new Set<number>();
    for (const e of h.events) {
      if (e.type !== type || e.ts < cutoff || e.ts >= now) continue;
      spend += e.amount ?? 0;
      days.add(Math.floor(e.ts / DAY_MS));
    }
    predicted.push(f.expectedValue);
    actual.push(spend);
    past.push(f.pastValue);
    predictedPurchases += f.expectedPurchases;
    actualPurchases += days.size;
  }
  const n = predicted.length;
  let absolute = 0;
  let squared = 0;
  for (let i = 0; i < n; i++) {
    absolute += Math.abs(predicted[i] - actual[i]);
    squared += (predicted[i] - actual[i]) ** 2;
  }
  const k = Math.round(topShare * n);
  const realTop = [...topIndices(actual, k)].filter((i) => actual[i] > 0);
  const ours = topIndices(predicted, k);
  const baseline = topIndices(past, k);
  const hits = realTop.filter((i) => ours.has(i)).length;
  const baselineHits = realTop.filter((i) => baseline.has(i)).length;
  return {
    cutoff,
    holdoutDays,
    customers: n,
    model,
    predictedValue: predicted.reduce((s, v) => s + v, 0),
    actualValue: actual.reduce((s, v) => s + v, 0),
    predictedPurchases,
    actualPurchases,
    mae: absolute / n,
    rmse: Math.sqrt(squared / n),
    topShare,
    actualTop: realTop.length,
    hitRate: realTop.length ? hits / realTop.length : 0,
    baselineHitRate: realTop.length ? baselineHits / realTop.length : 0,
    grade: clvGrade(hits, baselineHits),
  };
}
