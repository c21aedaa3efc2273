import { rocAuc } from '../metrics';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from './bg-nbd';
import { CDNOW_HOLDOUT_WEEKS, loadCdnow } from './cdnow';

const within = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual / expected - 1)).toBeLessThan(relative);

describe('BG/NBD on the CDNOW sample (Fader, Hardie & Lee 2005)', () => {
  const cohort = loadCdnow();
  const started = performance.now();
  const fit = fitBgNbd(cohort);
  const fitMs = performance.now() - started;
  const { params } = fit;

  it('reproduces the published maximum-likelihood estimates, fast', () => {
    // Published r=0.243, α=4.414, a=0.793, b=2.426, LL=-9582.4; REFERENCE.md to 4 decimals.
    expect(params.r).toBeCloseTo(0.2426, 4);
    expect(params.alpha).toBeCloseTo(4.4136, 4);
    expect(params.a).toBeCloseTo(0.7929, 4);
    expect(params.b).toBeCloseTo(2.4259, 4);
    expect(fit.logLikelihood).toBeCloseTo(-9582.43, 2);
    within(params.r, 0.243, 0.01);
    within(params.alpha, 4.414, 0.01);
    within(params.a, 0.793, 0.01);
    within(params.b, 2.426, 0.01);
    expect(fitMs).toBeLessThan(1500);
  });

  it('evaluates the log-likelihood at the published parameters just below the maximum', () => {
    const published = bgNbdLogLikelihood({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, cohort);
    expect(published).toBeCloseTo(-9582.4, 0);
    expect(published).toBeLessThan(fit.logLikelihood);
  });

  it('expects 1.226 purchases in 39 weeks for x=2, t_x=30.43, T=38.86', () => {
    expect(bgNbdConditionalExpectedPurchases(params, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it('gives the unconditional E[X(t)] at 1, 3, 32 and 78 weeks', () => {
    // REFERENCE.md: 0.0532, 0.1506, 1.0437, 1.8576; the 78-week figure is 1.8580 with scipy's 2F1
    // at these parameters, hence 0.05% rather than 4 decimals there.
    expect(bgNbdExpectedPurchases(params, 1)).toBeCloseTo(0.0532, 4);
    expect(bgNbdExpectedPurchases(params, 3)).toBeCloseTo(0.1506, 4);
    expect(bgNbdExpectedPurchases(params, 32)).toBeCloseTo(1.0437, 4);
    within(bgNbdExpectedPurchases(params, 78), 1.8576, 5e-4);
    expect(bgNbdExpectedPurchases(params, 0)).toBeCloseTo(0, 15);
  });

  it('expects 1,653.4 holdout purchases against 1,882 actual, and ranks holdout buyers at AUC 0.7725', () => {
    const { frequency, recency, T } = cohort;
    const expected = Float64Array.from(cohort.id, (_, i) =>
      bgNbdConditionalExpectedPurchases(params, CDNOW_HOLDOUT_WEEKS, frequency[i], recency[i], T[i]),
    );
    expect(expected.reduce((s, e) => s + e, 0)).toBeCloseTo(1653.4, 1);
    const bought = Float64Array.from(cohort.holdoutPurchases, (h) => (h > 0 ? 1 : 0));
    expect(rocAuc(bought, expected)).toBeCloseTo(0.7725, 4);
    expect(rocAuc(bought, cohort.frequency)).toBeCloseTo(0.7576, 4);
  });

  it('is certain a customer without repeat purchases is alive, less so after a long silence', () => {
    expect(bgNbdProbabilityAlive(params, 0, 0, 38)).toBe(1);
    const recent = bgNbdProbabilityAlive(params, 5, 37, 38);
    const silent = bgNbdProbabilityAlive(params, 5, 5, 38);
    expect(recent).toBeGreaterThan(0.85);
    expect(silent).toBeLessThan(0.3);
  });

  it('rejects summaries with recency beyond age', () => {
    expect(() => bgNbdLogLikelihood(params, { frequency: [1], recency: [5], T: [4] })).toThrow(/customer 0/);
  });
});
