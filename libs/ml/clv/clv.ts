import { BgNbdParams, bgNbdConditionalExpectedPurchases } from './bg-nbd';
import { GammaGammaParams, gammaGammaConditionalExpectedSpend } from './gamma-gamma';
import type { RfmSummary } from './rfm-summary';

export interface ClvOptions {
  /** Number of periods to sum over. */
  periods: number;
  /** Length of one period in the models' time unit (e.g. 4.345 weeks for a month). */
  periodLength: number;
  /** Discount rate per period (0.01 a month ≈ 12.7% a year). */
  discountRate: number;
}

/**
 * Discounted expected spend over the next `periods` periods, as lifetimes'
 * customer_lifetime_value: Σₖ (E[purchases by k] − E[purchases by k−1]) × expected spend / (1+d)^k,
 * with purchases from BG/NBD and spend per purchase from Gamma-Gamma.
 */
export function customerLifetimeValue(
  bgNbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customer: RfmSummary,
  options: ClvOptions,
): number {
  const { frequency: x, recency: tx, T, monetary } = customer;
  const spend = gammaGammaConditionalExpectedSpend(gammaGamma, x, monetary);
  let value = 0;
  let before = 0;
  for (let k = 1; k <= options.periods; k++) {
    const byNow = bgNbdConditionalExpectedPurchases(bgNbd, k * options.periodLength, x, tx, T);
    value += ((byNow - before) * spend) / Math.pow(1 + options.discountRate, k);
    before = byNow;
  }
  return value;
}
