import { bgNbdConditionalExpectedPurchases } from './bg-nbd';
import { customerLifetimeValue } from './clv';
import { gammaGammaConditionalExpectedSpend } from './gamma-gamma';

// The CDNOW fits (see bg-nbd.spec.ts and gamma-gamma.spec.ts).
const bgNbd = { r: 0.2425945101751361, alpha: 4.413601456500973, a: 0.7929231631498106, b: 2.4259095469832928 };
const gammaGamma = { p: 6.249571549395299, q: 3.744224546963233, v: 15.443523104237054 };
const customer1 = { frequency: 2, recency: 213 / 7, T: 272 / 7, monetary: 22.345 };
const monthly = { periods: 12, periodLength: 4.345, discountRate: 0.01 };

describe('customerLifetimeValue', () => {
  it('matches an independent scipy computation of the lifetimes formula for CDNOW customer 1', () => {
    // 12 months of 4.345 weeks at 1% a month, computed with scipy.special.hyp2f1.
    expect(customerLifetimeValue(bgNbd, gammaGamma, customer1, monthly)).toBeCloseTo(36.27397, 4);
  });

  it('without discounting is expected purchases over the horizon times expected spend', () => {
    const value = customerLifetimeValue(bgNbd, gammaGamma, customer1, { ...monthly, discountRate: 0 });
    const purchases = bgNbdConditionalExpectedPurchases(bgNbd, 12 * 4.345, 2, 213 / 7, 272 / 7);
    const spend = gammaGammaConditionalExpectedSpend(gammaGamma, 2, 22.345);
    expect(value).toBeCloseTo(purchases * spend, 10);
  });

  it('falls with the discount rate and rises with the horizon', () => {
    const base = customerLifetimeValue(bgNbd, gammaGamma, customer1, monthly);
    expect(customerLifetimeValue(bgNbd, gammaGamma, customer1, { ...monthly, discountRate: 0.05 })).toBeLessThan(base);
    expect(customerLifetimeValue(bgNbd, gammaGamma, customer1, { ...monthly, periods: 24 })).toBeGreaterThan(base);
  });

  it('values a one-off buyer at the population spend and a lapsed frequent buyer low', () => {
    const value = (frequency: number, recency: number, monetary: number) =>
      customerLifetimeValue(bgNbd, gammaGamma, { frequency, recency, T: 38, monetary }, monthly);
    const oneOff = value(0, 0, 0);
    const lapsed = value(10, 5, 40);
    const active = value(10, 37, 40);
    expect(oneOff).toBeGreaterThan(0);
    expect(lapsed).toBeLessThan(active / 10);
  });
});
