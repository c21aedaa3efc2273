import { HistoryEvent } from '../../domain/event';
import { cdnowHistories, CDNOW_END, loadCdnow } from './cdnow';
import { clvGrade, evaluateClv } from './clv-evaluation';
import { clvScores, fitClvModel } from './clv-model';
import { DAY_MS, WEEK_MS } from './rfm-summary';

describe('CLV on the CDNOW sample (calibration 39 weeks, holdout 39 weeks)', () => {
  const histories = cdnowHistories(loadCdnow());
  const evaluation = evaluateClv(histories, CDNOW_END, { horizonDays: 273 });

  it('fits on the calibration weeks as the BG/NBD paper does and forecasts its 1,653.4 holdout purchases (1,882 real)', () => {
    expect(evaluation.holdoutDays).toBe(273);
    expect(evaluation.customers).toBe(2357);
    expect(evaluation.model.bgNbd.r).toBeCloseTo(0.2426, 4);
    expect(evaluation.model.gammaGamma.p).toBeCloseTo(6.25, 2);
    expect(evaluation.predictedPurchases).toBeCloseTo(1653.4, 1);
    expect(evaluation.actualPurchases).toBe(1882);
  });

  it('grades against the past-value baseline on the real top 20% of holdout spenders', () => {
    expect(evaluation.actualTop).toBe(471);
    expect(evaluation.hitRate).toBeCloseTo(260 / 471, 10);
    expect(evaluation.baselineHitRate).toBeCloseTo(235 / 471, 10);
    expect(evaluation.grade).toBe('A');
    expect(evaluation.predictedValue).toBeCloseTo(59931.6, 1);
    expect(evaluation.actualValue).toBeCloseTo(70976.39, 2);
    expect(evaluation.mae).toBeCloseTo(30.41, 2);
    expect(evaluation.rmse).toBeCloseTo(72.30, 2);
  });

  it('scores every customer: value, percentile, tier, probability alive, next purchase and rhythm', () => {
    const scores = clvScores(evaluation.model, histories, evaluation.cutoff, { horizonDays: 273 });
    expect(scores).toHaveLength(2357);
    expect(scores.filter((s) => s.tier === 'high')).toHaveLength(471);
    expect(scores.filter((s) => s.tier === 'medium')).toHaveLength(1179 - 471);
    const byValue = [...scores].sort((a, b) => a.expectedValue - b.expectedValue);
    for (let k = 1; k < byValue.length; k++) expect(byValue[k].valuePercentile).toBeGreaterThanOrEqual(byValue[k - 1].valuePercentile);
    expect(Math.min(...scores.filter((s) => s.tier === 'high').map((s) => s.expectedValue))).toBeGreaterThanOrEqual(
      Math.max(...scores.filter((s) => s.tier !== 'high').map((s) => s.expectedValue)),
    );
    // Customer 1: purchases on days 0, 17 and 213 before the cutoff: 3 purchase days, 106.5 days apart on average.
    const one = scores[0];
    expect(one.purchases).toBe(3);
    expect(one.averageDaysBetweenPurchases).toBe(106.5);
    expect(one.expectedPurchases).toBeCloseTo(1.226, 3);
    expect(one.pastValue).toBeCloseTo(29.33 + 29.73 + 14.96, 10);
    // The median wait: half the posterior mass of "next purchase by then".
    const { r, alpha } = evaluation.model.bgNbd;
    const weeks = (one.expectedNextPurchaseAt! - evaluation.cutoff) / WEEK_MS;
    expect(1 - Math.pow((alpha + 272 / 7) / (alpha + 272 / 7 + weeks), r + 2)).toBeCloseTo(0.5, 6);
    // A one-off buyer's median wait lies far beyond the horizon: no date.
    expect(scores[2].expectedNextPurchaseAt).toBeNull();
  });
});

describe('CLV evaluation', () => {
  it('shortens the holdout to half the history and refuses too little data', () => {
    const day = (d: number) => Date.UTC(2025, 0, 1) + d * DAY_MS;
    const users = Array.from({ length: 40 }, (_, u) => ({
      userId: `u${u}`,
      events: Array.from({ length: 1 + (u % 5) }, (_, k): HistoryEvent => ({ type: 'purchase', ts: day(k * (7 + u) + (u % 3)), amount: 10 + u })),
    }));
    const e = evaluateClv(users, day(100));
    expect(e.holdoutDays).toBe(50);
    expect(e.cutoff).toBe(day(50));
    expect(() => evaluateClv(users, day(10))).toThrow(/a holdout needs at least 14/);
    expect(() => fitClvModel(users.slice(0, 5), day(100))).toThrow(/5 customers with a purchase before the cutoff/);
  });

  it('grades as Dynamics 365: A at 5% more hits than the baseline, B at as many, C below', () => {
    expect(clvGrade(105, 100)).toBe('A');
    expect(clvGrade(104, 100)).toBe('B');
    expect(clvGrade(100, 100)).toBe('B');
    expect(clvGrade(99, 100)).toBe('C');
    expect(clvGrade(0, 0)).toBe('B');
  });
});
