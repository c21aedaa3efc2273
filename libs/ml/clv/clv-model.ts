import type { HistoryEvent } from '../../domain/event';
import type { ClvOutput, ClvTier } from '../../domain/prediction-outputs';
import { BgNbdParams, bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive, fitBgNbd } from './bg-nbd';
import { GammaGammaParams, fitGammaGamma, gammaGammaConditionalExpectedSpend } from './gamma-gamma';
import { DAY_MS, RfmSummary, WEEK_MS, rfmSummaryOfEvents } from './rfm-summary';

/**
 * Customer lifetime value per user from BG/NBD (how many purchases, and whether the customer is still
 * active) and Gamma-Gamma (how much per purchase), fitted on every user's purchases before a cutoff.
 * Purchases are counted per UTC day (several on one day are one, amounts summed), times in weeks.
 */

/** A user as the CLV model reads them: purchase events (and any others, ignored), ts-ascending. */
export interface PurchaseHistory {
  userId: string;
  events: readonly HistoryEvent[];
}

export interface ClvOptions {
  /** Days ahead the value is forecast over (default 365: 12 months). */
  horizonDays?: number;
  /** The event type that is a purchase, carrying `amount` (default purchase). */
  purchaseEventType?: string;
  /** Share of the scored customers in the "high" tier (default 0.2) and in "medium" (default 0.3). */
  highShare?: number;
  mediumShare?: number;
  /**
   * Spend per purchase: Gamma-Gamma's shrunk mean of the repeat purchases (default), or the customer's
   * own mean over every purchase day, first included (better where spend is a stable trait of the
   * customer that the first order already shows; lifetime value predictions pick one by holdout).
   */
  spend?: ClvSpend;
}

export type ClvSpend = 'gamma-gamma' | 'own-mean';

export const DEFAULT_CLV_HORIZON_DAYS = 365;

export interface ClvModel {
  bgNbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** Purchases before this instant (epoch ms) were fitted on. */
  cutoff: number;
  /** Customers (users with a purchase before the cutoff) and repeat customers the fits used. */
  customers: number;
  repeatCustomers: number;
}

export type { ClvTier };

/**
 * One customer's lifetime value as of a date: the output a score set stores (libs/domain; its
 * valuePercentile here ranks the customers scored together), with the user and the spend so far (the
 * naive baseline's "past value"). The next purchase's median date: BG/NBD's dropout happens only right
 * after a purchase, so until the next one the wait is exponential at the customer's posterior rate,
 * λ ~ Gamma(r + x, α + T), and P(wait ≤ t) = 1 − ((α+T)/(α+T+t))^(r+x).
 */
export interface ClvScore extends ClvOutput {
  userId: string;
  pastValue: number;
}

function summaryAt(h: PurchaseHistory, asOf: number, type: string): RfmSummary | null {
  // Events strictly before asOf; T counts whole days up to the last one before it.
  return rfmSummaryOfEvents(h.events, asOf - 1, { unitMs: WEEK_MS, periodMs: DAY_MS }, type);
}

/** Fits BG/NBD and Gamma-Gamma on the users' purchases before `cutoff`. */
export function fitClvModel(histories: readonly PurchaseHistory[], cutoff: number, options: ClvOptions = {}): ClvModel {
  const type = options.purchaseEventType ?? 'purchase';
  const frequency: number[] = [];
  const recency: number[] = [];
  const T: number[] = [];
  const monetary: number[] = [];
  for (const h of histories) {
    const s = summaryAt(h, cutoff, type);
    if (!s) continue;
    frequency.push(s.frequency);
    recency.push(s.recency);
    T.push(s.T);
    monetary.push(s.monetary);
  }
  const repeatCustomers = frequency.filter((x, i) => x > 0 && monetary[i] > 0).length;
  if (frequency.length < 10 || repeatCustomers < 5) {
    throw new RangeError(
      `clv: ${frequency.length} customers with a purchase before the cutoff, ${repeatCustomers} of them repeat buyers; ` +
        'the models need at least 10 customers and 5 repeat buyers',
    );
  }
  const bgNbd = fitBgNbd({ frequency, recency, T }).params;
  const gammaGamma = fitGammaGamma(frequency, monetary).params;
  return { bgNbd, gammaGamma, cutoff, customers: frequency.length, repeatCustomers };
}

/** Expected purchases and value of one customer over `days` from asOf, and the facts behind them. */
export function customerForecast(model: ClvModel, h: PurchaseHistory, asOf: number, days: number, type = 'purchase', spendModel: ClvSpend = 'gamma-gamma') {
  const s = summaryAt(h, asOf, type);
  if (!s) return null;
  const t = (days * DAY_MS) / WEEK_MS;
  const expectedPurchases = bgNbdConditionalExpectedPurchases(model.bgNbd, t, s.frequency, s.recency, s.T);
  let pastValue = 0;
  for (const e of h.events) if (e.ts < asOf && e.type === type) pastValue += e.amount ?? 0;
  // Gamma-Gamma needs q > 1 for a finite mean; otherwise the customer's own mean is the best we have.
  const spend =
    spendModel === 'own-mean'
      ? pastValue / (s.frequency + 1)
      : model.gammaGamma.q > 1
        ? gammaGammaConditionalExpectedSpend(model.gammaGamma, s.frequency, s.monetary)
        : s.monetary;
  return { summary: s, expectedPurchases, expectedValue: expectedPurchases * spend, pastValue };
}

/**
 * Every customer's value over the horizon as of `asOf` (users without a purchase before it are left
 * out: the models describe what happens after a first purchase). Percentiles and tiers are among the
 * customers scored together.
 */
export function clvScores(model: ClvModel, histories: readonly PurchaseHistory[], asOf: number, options: ClvOptions = {}): ClvScore[] {
  const horizon = options.horizonDays ?? DEFAULT_CLV_HORIZON_DAYS;
  const type = options.purchaseEventType ?? 'purchase';
  const highShare = options.highShare ?? 0.2;
  const mediumShare = options.mediumShare ?? 0.3;
  if (!(horizon > 0)) throw new RangeError(`clv: horizonDays must be positive, got ${horizon}`);
  if (!(highShare > 0 && mediumShare >= 0 && highShare + mediumShare <= 1)) {
    throw new RangeError(`clv: tier shares ${highShare} + ${mediumShare} must lie in (0, 1]`);
  }
  const { r, alpha } = model.bgNbd;
  const scores: ClvScore[] = [];
  for (const h of histories) {
    const f = customerForecast(model, h, asOf, horizon, type, options.spend);
    if (!f) continue;
    const { frequency: x, recency, T } = f.summary;
    const medianWait = (alpha + T) * (Math.pow(2, 1 / (r + x)) - 1) * WEEK_MS;
    scores.push({
      userId: h.userId,
      expectedPurchases: f.expectedPurchases,
      expectedValue: f.expectedValue,
      probabilityAlive: bgNbdProbabilityAlive(model.bgNbd, x, recency, T),
      valuePercentile: 0,
      tier: 'low',
      expectedNextPurchaseAt: medianWait <= horizon * DAY_MS ? asOf + Math.round(medianWait) : null,
      averageDaysBetweenPurchases: x > 0 ? (recency * 7) / x : null,
      purchases: x + 1,
      pastValue: f.pastValue,
    });
  }
  const order = scores.map((_, i) => i).sort((a, b) => scores[a].expectedValue - scores[b].expectedValue);
  const n = scores.length;
  let below = 0;
  order.forEach((i, k) => {
    if (k > 0 && scores[order[k - 1]].expectedValue < scores[i].expectedValue) below = k;
    scores[i].valuePercentile = (100 * below) / n;
    const fromTop = n - k;
    scores[i].tier = fromTop <= Math.round(highShare * n) ? 'high' : fromTop <= Math.round((highShare + mediumShare) * n) ? 'medium' : 'low';
  });
  return scores;
}
