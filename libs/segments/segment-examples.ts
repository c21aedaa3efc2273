import { SegmentCondition, SegmentDefinition } from '../domain/segment-definition';

/** Definitions as a campaign manager writes them: for the API documentation, and checked by the specs. */
export const SEGMENT_EXAMPLES = {
  likelyChurners: {
    type: 'and',
    conditions: [
      { type: 'predictionCategory', predictionId: 'p_0123456789ab', categories: ['High'] },
      { type: 'subscription', channel: 'email', state: 'subscribed' },
    ],
  },
  repeatBuyers: { type: 'eventCount', eventType: 'purchase', withinDays: 90, min: 2 },
  bigSpenders: { type: 'eventSum', eventType: 'purchase', withinDays: 30, min: 100 },
  valuableShoeLovers: {
    type: 'and',
    conditions: [
      { type: 'clvTier', predictionId: 'p_0123456789ac', tiers: ['high', 'medium'] },
      { type: 'topRecommendation', predictionId: 'p_0123456789ad', category: 'shoes' },
    ],
  },
  dormant: { type: 'lastEvent', eventType: 'session', moreThanDaysAgo: 30, includeNever: true },
  winBack: {
    type: 'and',
    conditions: [
      { type: 'predictionPercentile', predictionId: 'p_0123456789ab', min: 90, max: 100 },
      {
        type: 'or',
        conditions: [
          { type: 'attributeIn', attribute: 'plan', values: ['pro', 'team'] },
          { type: 'eventSum', eventType: 'purchase', withinDays: 365, min: 500 },
        ],
      },
      { type: 'segment', segmentId: 's_recent_complaints', negate: true },
      { type: 'controlGroup', negate: true },
    ],
  },
} satisfies Record<string, SegmentDefinition>;

/** One of every condition type (the syntax of each, for documentation). */
export const EVERY_CONDITION_TYPE: SegmentCondition[] = [
  { type: 'predictionScore', predictionId: 'p_000000000001', min: 70, max: 100 },
  { type: 'predictionCategory', predictionId: 'p_000000000001', categories: ['High', 'Medium'] },
  { type: 'predictionPercentile', predictionId: 'p_000000000002', min: 90, max: 100 },
  { type: 'clvValue', predictionId: 'p_000000000003', min: 500 },
  { type: 'clvTier', predictionId: 'p_000000000003', tiers: ['high'] },
  { type: 'clvPercentile', predictionId: 'p_000000000003', min: 80, max: 100 },
  { type: 'topRecommendation', predictionId: 'p_000000000004', category: 'shoes' },
  { type: 'recommendationScore', predictionId: 'p_000000000004', productId: 'sku-42', min: 0.05 },
  { type: 'attributeEquals', attribute: 'country', value: 'FR' },
  { type: 'attributeIn', attribute: 'plan', values: ['pro', 'team', 3, true] },
  { type: 'attributeRange', attribute: 'age', min: 18, max: 30 },
  { type: 'attributeDateRange', attribute: 'signupDate', from: '2024-01-01', to: { daysAgo: 30 } },
  { type: 'attributeExists', attribute: 'phone', negate: true },
  { type: 'subscription', channel: 'email', state: 'subscribed' },
  { type: 'eventCount', eventType: 'purchase', withinDays: 90, min: 2 },
  { type: 'eventSum', eventType: 'purchase', withinDays: 30, min: 100 },
  { type: 'lastEvent', eventType: 'session', moreThanDaysAgo: 30, includeNever: true },
  { type: 'segment', segmentId: 's_vip' },
  { type: 'controlGroup', negate: true },
];
