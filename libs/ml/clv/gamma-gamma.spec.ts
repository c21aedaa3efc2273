import { loadCdnow } from './cdnow';
import { fitGammaGamma, gammaGammaConditionalExpectedSpend, gammaGammaLogLikelihood } from './gamma-gamma';

describe('Gamma-Gamma spend model on the CDNOW sample', () => {
  const cohort = loadCdnow();
  const fit = fitGammaGamma(cohort.frequency, cohort.monetary);

  it('fits p = 6.25, q = 3.74, v = 15.44 on the 946 repeat customers', () => {
    expect(fit.customers).toBe(946);
    expect(fit.params.p).toBeCloseTo(6.25, 2);
    expect(fit.params.q).toBeCloseTo(3.74, 2);
    expect(fit.params.v).toBeCloseTo(15.44, 2);
  });

  it('is at a maximum of the likelihood', () => {
    for (const key of ['p', 'q', 'v'] as const) {
      for (const factor of [0.99, 1.01]) {
        const moved = { ...fit.params, [key]: fit.params[key] * factor };
        expect(gammaGammaLogLikelihood(moved, cohort.frequency, cohort.monetary)).toBeLessThan(fit.logLikelihood);
      }
    }
  });

  it('shrinks a customer’s mean spend towards the population mean, more so with fewer purchases', () => {
    const { p, q, v } = fit.params;
    const populationMean = (p * v) / (q - 1);
    expect(gammaGammaConditionalExpectedSpend(fit.params, 0, 0)).toBeCloseTo(populationMean, 12);
    const few = gammaGammaConditionalExpectedSpend(fit.params, 1, 100);
    const many = gammaGammaConditionalExpectedSpend(fit.params, 20, 100);
    expect(few).toBeGreaterThan(populationMean);
    expect(few).toBeLessThan(many);
    expect(many).toBeLessThan(100);
    // Customer 1: two repeat purchases averaging $22.35.
    expect(gammaGammaConditionalExpectedSpend(fit.params, 2, 22.345)).toBeCloseTo(24.654, 2);
  });

  it('needs at least one repeat customer with positive spend', () => {
    expect(() => fitGammaGamma([0, 1], [0, 0])).toThrow(/no customer/);
  });
});
