import { HistoryEvent } from '../domain/event';
import { SegmentNode } from '../domain/segment-definition';
import { SegmentSubject } from '../domain/segment-subject';
import { SubjectIncompleteError, compileSegment } from './compile-segment';
import { dependencies } from './dependencies';
import { summarizeEvents } from './event-summary';
import { EVERY_CONDITION_TYPE, SEGMENT_EXAMPLES } from './segment-examples';

const DAY = 86_400_000;
const now = Date.UTC(2025, 5, 1, 12);
const ago = (days: number) => now - days * DAY;

/** A complete subject: every part present, events summarised over the windows the definition reads. */
function subject(over: Partial<SegmentSubject> & { history?: HistoryEvent[]; windows?: number[] } = {}): SegmentSubject {
  const { history = [], windows = [7, 30, 90, 365], ...rest } = over;
  return {
    userId: 'u1',
    now,
    profile: { attributes: {}, subscription: { email: 'subscribed' } },
    events: summarizeEvents(history, now, windows),
    scores: {},
    segments: [],
    inControlGroup: false,
    ...rest,
  };
}
const withAttributes = (attributes: Record<string, string | number | boolean | null>) => subject({ profile: { attributes, subscription: { email: 'subscribed' } } });
const matches = (definition: SegmentNode, s: SegmentSubject) => compileSegment(definition)(s);

describe('compileSegment', () => {
  describe('prediction conditions', () => {
    const scored = (score: number, percentile?: number) =>
      subject({ scores: { p1: { score, probability: score / 100, category: score >= 75 ? 'High' : score >= 50 ? 'Medium' : 'Low', percentile } } });

    it('score range includes both ends; an unscored user is not in it', () => {
      const d: SegmentNode = { type: 'predictionScore', predictionId: 'p1', min: 70, max: 90 };
      expect([69, 70, 90, 91].map((s) => matches(d, scored(s)))).toEqual([false, true, true, false]);
      expect(matches(d, subject())).toBe(false);
      expect(matches({ ...d, negate: true }, subject())).toBe(true);
    });

    it('category is any of the listed ones', () => {
      const d: SegmentNode = { type: 'predictionCategory', predictionId: 'p1', categories: ['High', 'Medium'] };
      expect([10, 60, 80].map((s) => matches(d, scored(s)))).toEqual([false, true, true]);
    });

    it('percentile bands are [min, max), the top band including 100', () => {
      const top: SegmentNode = { type: 'predictionPercentile', predictionId: 'p1', min: 90, max: 100 };
      const next: SegmentNode = { type: 'predictionPercentile', predictionId: 'p1', min: 80, max: 90 };
      expect([89.9, 90, 99.99, 100].map((p) => matches(top, scored(50, p)))).toEqual([false, true, true, true]);
      expect([79.9, 80, 89.9, 90].map((p) => matches(next, scored(50, p)))).toEqual([false, true, true, false]);
    });

    it('throws when a scored user has no percentile yet, instead of leaving them out', () => {
      expect(() => matches({ type: 'predictionPercentile', predictionId: 'p1', min: 90, max: 100 }, scored(50))).toThrow(
        'segment (unsaved): the subject of user u1 has no percentile in prediction p1, and the segment reads percentiles (compute them from the score set distribution first)',
      );
    });
  });

  describe('model-output conditions (lifetime value, recommendations)', () => {
    const clv = (expectedValue: number, tier: 'high' | 'medium' | 'low', valuePercentile: number) =>
      subject({
        scores: {
          c: {
            score: valuePercentile,
            probability: 0.9,
            category: 'High',
            clv: { expectedValue, expectedPurchases: 2, probabilityAlive: 0.9, valuePercentile, tier, expectedNextPurchaseAt: null, averageDaysBetweenPurchases: 30, purchases: 3 },
          },
        },
      });
    const recs = (...items: [string, string | null, number][]) =>
      subject({ scores: { r: { score: 10, probability: 0.1, category: 'Low', recommendations: items.map(([p, c, s]) => ({ p, c, s })) } } });

    it('value, tier and percentile of a lifetime-value prediction; a user without a value is in none', () => {
      expect([49, 50, 120].map((v) => matches({ type: 'clvValue', predictionId: 'c', min: 50 }, clv(v, 'low', 10)))).toEqual([false, true, true]);
      expect(matches({ type: 'clvValue', predictionId: 'c', max: 100 }, clv(120, 'low', 10))).toBe(false);
      expect(['high', 'medium', 'low'].map((t) => matches({ type: 'clvTier', predictionId: 'c', tiers: ['high', 'medium'] }, clv(1, t as 'high', 10)))).toEqual([true, true, false]);
      expect([79, 80, 99, 100].map((p) => matches({ type: 'clvPercentile', predictionId: 'c', min: 80, max: 100 }, clv(1, 'high', p)))).toEqual([false, true, true, true]);
      expect(matches({ type: 'clvTier', predictionId: 'c', tiers: ['low'] }, subject())).toBe(false);
    });

    it('top recommendation by product or category, and a product\'s score', () => {
      const u = recs(['x', 'shoes', 0.3], ['y', 'hats', 0.1]);
      expect(matches({ type: 'topRecommendation', predictionId: 'r', productId: 'x' }, u)).toBe(true);
      expect(matches({ type: 'topRecommendation', predictionId: 'r', productId: 'y' }, u)).toBe(false);
      expect(matches({ type: 'topRecommendation', predictionId: 'r', category: 'shoes' }, u)).toBe(true);
      expect(matches({ type: 'topRecommendation', predictionId: 'r', category: 'hats' }, u)).toBe(false);
      expect([0.05, 0.1, 0.11].map((min) => matches({ type: 'recommendationScore', predictionId: 'r', productId: 'y', min }, u))).toEqual([true, true, false]);
      expect(matches({ type: 'recommendationScore', predictionId: 'r', productId: 'z', min: 0.01 }, u)).toBe(false);
      expect(matches({ type: 'topRecommendation', predictionId: 'r', productId: 'x' }, recs())).toBe(false);
    });

    it('throws when a score lacks the output a condition reads (a prediction of another type, or not loaded)', () => {
      expect(() => matches({ type: 'clvTier', predictionId: 'r', tiers: ['high'] }, recs(['x', null, 1]))).toThrow(
        'segment (unsaved): the subject of user u1 has no lifetime value in prediction r, and the segment reads its clv',
      );
      expect(() => matches({ type: 'topRecommendation', predictionId: 'c', productId: 'x' }, clv(1, 'low', 1))).toThrow('has no recommendations in prediction c');
    });
  });

  describe('attribute conditions', () => {
    it('equals is strict about type and case', () => {
      const d: SegmentNode = { type: 'attributeEquals', attribute: 'country', value: 'FR' };
      expect(matches(d, withAttributes({ country: 'FR' }))).toBe(true);
      expect(matches(d, withAttributes({ country: 'fr' }))).toBe(false);
      expect(matches({ type: 'attributeEquals', attribute: 'n', value: 1 }, withAttributes({ n: '1' }))).toBe(false);
      expect(matches({ type: 'attributeEquals', attribute: 'vip', value: true }, withAttributes({ vip: true }))).toBe(true);
    });

    it('in matches any listed value; "does not equal" (negate) includes users without the attribute', () => {
      const d: SegmentNode = { type: 'attributeIn', attribute: 'plan', values: ['pro', 'team', 3] };
      expect(['pro', 'free', 3, '3', null].map((v) => matches(d, withAttributes({ plan: v })))).toEqual([true, false, true, false, false]);
      expect(matches({ type: 'attributeEquals', attribute: 'country', value: 'FR', negate: true }, withAttributes({}))).toBe(true);
    });

    it('range takes numbers only, both ends included, one bound optional', () => {
      const d: SegmentNode = { type: 'attributeRange', attribute: 'age', min: 18, max: 30 };
      expect([17, 18, 30, 31, '20', null].map((v) => matches(d, withAttributes({ age: v })))).toEqual([false, true, true, false, false, false]);
      expect(matches({ type: 'attributeRange', attribute: 'age', min: 65 }, withAttributes({ age: 70 }))).toBe(true);
    });

    it('date range compares ISO dates; a date-only "to" includes that day; relative bounds move with now', () => {
      const d: SegmentNode = { type: 'attributeDateRange', attribute: 'signup', from: '2024-01-01', to: '2024-01-31' };
      const at = (v: string | number) => matches(d, withAttributes({ signup: v }));
      expect([at('2023-12-31T23:59:59Z'), at('2024-01-01'), at('2024-01-31T23:59:59Z'), at('2024-02-01T00:00:00Z')]).toEqual([false, true, true, false]);
      expect([at('not a date'), at(Date.UTC(2024, 0, 15))]).toEqual([false, false]);
      const recent: SegmentNode = { type: 'attributeDateRange', attribute: 'signup', from: { daysAgo: 30 } };
      expect(matches(recent, withAttributes({ signup: new Date(ago(29)).toISOString() }))).toBe(true);
      expect(matches(recent, withAttributes({ signup: new Date(ago(31)).toISOString() }))).toBe(false);
    });

    it('exists means present and not null', () => {
      const d: SegmentNode = { type: 'attributeExists', attribute: 'phone' };
      expect([matches(d, withAttributes({ phone: '+33' })), matches(d, withAttributes({ phone: null })), matches(d, withAttributes({}))]).toEqual([true, false, false]);
    });

    it('reads own attributes only ("constructor" is a valid name)', () => {
      expect(matches({ type: 'attributeExists', attribute: 'constructor' }, withAttributes({}))).toBe(false);
      expect(matches({ type: 'attributeExists', attribute: 'constructor' }, withAttributes(JSON.parse('{"constructor": 1}')))).toBe(true);
    });
  });

  it('reads the email subscription state', () => {
    const d: SegmentNode = { type: 'subscription', channel: 'email', state: 'unsubscribed' };
    expect(matches(d, subject({ profile: { attributes: {}, subscription: { email: 'unsubscribed' } } }))).toBe(true);
    expect(matches(d, subject())).toBe(false);
  });

  describe('event conditions', () => {
    const history: HistoryEvent[] = [
      { type: 'purchase', ts: ago(100), amount: 500 },
      { type: 'purchase', ts: ago(60), amount: 40 },
      { type: 'purchase', ts: ago(10), amount: 70 },
      { type: 'session', ts: ago(45) },
    ];
    const user = subject({ history });

    it('"purchased at least 2 times in 90 days", "spent at least 100 in 30 days"', () => {
      expect(matches(SEGMENT_EXAMPLES.repeatBuyers, user)).toBe(true);
      expect(matches({ ...SEGMENT_EXAMPLES.repeatBuyers, withinDays: 30 }, user)).toBe(false);
      expect(matches(SEGMENT_EXAMPLES.bigSpenders, user)).toBe(false);
      expect(matches({ ...SEGMENT_EXAMPLES.bigSpenders, min: 70 }, user)).toBe(true);
      expect(matches({ type: 'eventSum', eventType: 'purchase', withinDays: 365, min: 100, max: 700 }, user)).toBe(true);
    });

    it('counts of any type, and zero for a type never seen', () => {
      expect(matches({ type: 'eventCount', withinDays: 90, min: 3 }, user)).toBe(true);
      expect(matches({ type: 'eventCount', eventType: 'email_open', withinDays: 30, max: 0 }, user)).toBe(true);
      expect(matches({ type: 'eventCount', eventType: 'email_open', withinDays: 30, min: 1 }, user)).toBe(false);
    });

    it('"no session for 30 days" includes users who never had one only when asked', () => {
      expect(matches(SEGMENT_EXAMPLES.dormant, user)).toBe(true);
      expect(matches(SEGMENT_EXAMPLES.dormant, subject())).toBe(true);
      expect(matches({ ...SEGMENT_EXAMPLES.dormant, includeNever: false }, subject())).toBe(false);
      expect(matches(SEGMENT_EXAMPLES.dormant, subject({ history: [{ type: 'session', ts: ago(2) }] }))).toBe(false);
    });

    it('recency between two ages, of any type', () => {
      const d: SegmentNode = { type: 'lastEvent', moreThanDaysAgo: 7, lessThanDaysAgo: 14 };
      expect(matches(d, user)).toBe(true); // last event 10 days ago
      expect(matches(d, subject({ history: [{ type: 'x', ts: ago(3) }] }))).toBe(false);
      expect(matches(d, subject({ history: [{ type: 'x', ts: ago(20) }] }))).toBe(false);
    });
  });

  it('reads memberships and the control group flag', () => {
    expect(matches({ type: 'segment', segmentId: 's1' }, subject({ segments: ['s1'] }))).toBe(true);
    expect(matches({ type: 'segment', segmentId: 's1', negate: true }, subject({ segments: ['s1'] }))).toBe(false);
    expect(matches({ type: 'controlGroup' }, subject({ inControlGroup: true }))).toBe(true);
    expect(matches({ type: 'controlGroup', negate: true }, subject({ inControlGroup: true }))).toBe(false);
  });

  it('joins with AND/OR and negates groups', () => {
    const fr: SegmentNode = { type: 'attributeEquals', attribute: 'country', value: 'FR' };
    const vip: SegmentNode = { type: 'attributeEquals', attribute: 'vip', value: true };
    const user = withAttributes({ country: 'FR', vip: false });
    expect(matches({ type: 'and', conditions: [fr, vip] }, user)).toBe(false);
    expect(matches({ type: 'or', conditions: [fr, vip] }, user)).toBe(true);
    expect(matches({ type: 'and', conditions: [fr, vip], negate: true }, user)).toBe(true);
    expect(matches({ type: 'or', conditions: [{ type: 'and', conditions: [vip] }, { type: 'or', conditions: [fr], negate: true }] }, user)).toBe(false);
  });

  describe('a subject missing a part the segment reads', () => {
    it.each([
      ['profile', { profile: undefined }, 'has no profile, and the segment reads attribute age, attribute country, attribute phone, attribute plan, attribute signupDate, the subscription'],
      ['events', { events: undefined }, 'has no event summary, and the segment reads events'],
      ['a window', { events: summarizeEvents([], now, [7, 90]) }, 'has no 30-day window in its event summary'],
      ['scores', { scores: undefined }, 'has no scores, and the segment reads predictions'],
      ['memberships', { segments: undefined }, 'has no segment memberships, and the segment reads other segments'],
      ['the control group flag', { inControlGroup: undefined }, 'has no control group flag, and the segment reads the control group'],
    ])('throws for %s, even when an earlier condition already decides', (_what, missing, message) => {
      // The first condition is false for this subject, so AND never reaches the others: still refused.
      const d: SegmentNode = { type: 'and', conditions: [{ type: 'controlGroup', negate: true }, { type: 'or', conditions: EVERY_CONDITION_TYPE.slice(0, -1) }] };
      const s = { ...subject({ inControlGroup: true }), ...missing };
      expect(() => compileSegment(d, 's_x')(s)).toThrow(SubjectIncompleteError);
      expect(() => compileSegment(d, 's_x')(s)).toThrow(message);
    });

    it('needs only the parts it reads: scores alone for a score segment', () => {
      const d: SegmentNode = { type: 'predictionScore', predictionId: 'p1', min: 70, max: 100 };
      expect(dependencies(d).subjectParts).toEqual(['scores']);
      expect(compileSegment(d)({ userId: 'u', now, scores: { p1: { score: 80, probability: 0.8, category: 'High' } } })).toBe(true);
    });
  });
});
