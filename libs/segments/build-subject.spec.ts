import { buildSubject, percentileFromCutPoints, subjectScore } from './build-subject';
import { toJsonText } from '../domain/prediction-outputs';
import { SegmentSubject } from '../domain/segment-subject';
import { compileSegment } from './compile-segment';
import { dependencies } from './dependencies';
import { inControlGroup } from './control-group';
import { SEGMENT_EXAMPLES } from './segment-examples';

const DAY = 86_400_000;
const now = Date.UTC(2025, 5, 1);

describe('buildSubject', () => {
  it('summarises events over the windows the segment reads and computes the control group flag', () => {
    const definition = SEGMENT_EXAMPLES.repeatBuyers;
    const assignment = { enabled: true, percentage: 15, salt: 's', from: new Date(0), to: null };
    const userId = Array.from({ length: 100 }, (_, i) => `u${i}`).find((id) => inControlGroup(id, assignment))!;
    const subject = buildSubject({
      userId,
      now,
      events: [
        { type: 'purchase', ts: now - 10 * DAY, amount: 5 },
        { type: 'purchase', ts: now - 80 * DAY, amount: 5 },
      ],
      windowsDays: dependencies(definition).eventWindowsDays,
      controlGroup: assignment,
    });
    expect(subject.events!.windowsDays).toEqual([90]);
    expect(subject.inControlGroup).toBe(true);
    expect(subject.profile).toBeUndefined();
    expect(compileSegment(definition)(subject)).toBe(true);
    expect(buildSubject({ userId, now, controlGroup: null }).inControlGroup).toBe(false);
    expect(buildSubject({ userId, now }).inControlGroup).toBeUndefined();
  });
});

describe('percentileFromCutPoints', () => {
  // A score set of 1,000 users with probabilities 0.000, 0.001, ... 0.999, cut as the snapshot does.
  const sorted = Array.from({ length: 1000 }, (_, i) => i / 1000);
  const cutPoints = Array.from({ length: 101 }, (_, k) => sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / 100))]);

  it('places a probability among the cut points, 0 for the lowest, 99 for the highest', () => {
    expect(percentileFromCutPoints(cutPoints, 0)).toBe(0);
    expect(percentileFromCutPoints(cutPoints, 0.5)).toBe(49);
    expect(percentileFromCutPoints(cutPoints, 0.905)).toBe(90);
    expect(percentileFromCutPoints(cutPoints, 0.999)).toBe(99);
  });

  it('agrees with counting the cut points below (the API user-score formula)', () => {
    for (const p of [0, 0.0005, 0.1, 0.33, 0.901, 0.95, 0.999, 1]) {
      expect(percentileFromCutPoints(cutPoints, p)).toBe(Math.max(0, cutPoints.filter((q) => q < p).length - 1));
    }
  });
});

describe('subjectScore', () => {
  const cutPoints = Array.from({ length: 101 }, (_, k) => k / 100);
  const clv = { expectedValue: 120, expectedPurchases: 2, probabilityAlive: 0.9, valuePercentile: 95, tier: 'high' as const, expectedNextPurchaseAt: null, averageDaysBetweenPurchases: 30, purchases: 4 };
  const recs = [
    { p: 'p01', c: 'c01', s: 0.4 },
    { p: 'p02', c: null, s: 0.1 },
  ];
  const subject = (scores: SegmentSubject['scores']): SegmentSubject => ({ userId: 'u', now, scores });

  it("carries a lifetime value's and a recommendation's outputs to their conditions", () => {
    const value = subjectScore({ score: 95, probability: 0.9, category: 'High', clv: toJsonText(clv) }, cutPoints);
    const picks = subjectScore({ score: 40, probability: 0.4, category: 'Low', recs: toJsonText(recs) }, cutPoints);
    expect(value).toEqual({ score: 95, probability: 0.9, category: 'High', percentile: 89, clv });
    expect(picks).toEqual({ score: 40, probability: 0.4, category: 'Low', percentile: 39, recommendations: recs });
    const s = subject({ p_clv: value, p_rec: picks });
    expect(compileSegment({ type: 'clvTier', predictionId: 'p_clv', tiers: ['high'] })(s)).toBe(true);
    expect(compileSegment({ type: 'clvValue', predictionId: 'p_clv', min: 100 })(s)).toBe(true);
    expect(compileSegment({ type: 'clvPercentile', predictionId: 'p_clv', min: 90, max: 100 })(s)).toBe(true);
    expect(compileSegment({ type: 'topRecommendation', predictionId: 'p_rec', productId: 'p01' })(s)).toBe(true);
    expect(compileSegment({ type: 'recommendationScore', predictionId: 'p_rec', productId: 'p02', min: 0.2 })(s)).toBe(false);
  });

  it('leaves out what the score has not (no percentile before the distribution, no kind output on a yes/no score)', () => {
    const yesNo = subjectScore({ score: 70, probability: 0.7, category: 'High' }, undefined);
    expect(yesNo).toEqual({ score: 70, probability: 0.7, category: 'High', percentile: undefined });
    // A lifetime-value condition on a score without the output throws: never a silent "not a member".
    expect(() => compileSegment({ type: 'clvTier', predictionId: 'p', tiers: ['high'] })(subject({ p: yesNo }))).toThrow();
  });
});
