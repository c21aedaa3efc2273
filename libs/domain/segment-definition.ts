/**
 * The segment definition language: conditions joined by AND/OR groups. Every node takes `negate`
 * (true = the opposite; a user without the data a condition reads matches only a negated condition).
 * The zod schema that validates user input against these types and SEGMENT_LIMITS lives in
 * libs/segments (segment-definition.schema.ts); nothing here is ever passed to a database.
 */

export const SEGMENT_LIMITS = {
  /** AND/OR groups nested on one path, the outermost counting 1. */
  maxGroupDepth: 5,
  /** Leaf conditions in the whole definition. */
  maxConditions: 100,
  /** Items of one group. */
  maxGroupSize: 50,
  /** Values of an attributeIn list and categories of a predictionCategory. */
  maxListValues: 100,
  /** A string value compared with an attribute (the longest an attribute value can be). */
  maxStringLength: 1024,
  /** Event windows and recency, in days. */
  maxDays: 3650,
  /** Segments a membership chain may pass through (s1 reads s2 reads s3 ...). */
  maxMembershipChain: 10,
} as const;

export const SEGMENT_CATEGORIES = ['Low', 'Medium', 'High'] as const;
export type SegmentScoreCategory = (typeof SEGMENT_CATEGORIES)[number];

interface Negatable {
  negate?: boolean;
}

export interface SegmentGroup extends Negatable {
  type: 'and' | 'or';
  conditions: SegmentNode[];
}

/** Likelihood score 0-100 of an active prediction, both ends included. */
export interface PredictionScoreCondition extends Negatable {
  type: 'predictionScore';
  predictionId: string;
  min: number;
  max: number;
}

export interface PredictionCategoryCondition extends Negatable {
  type: 'predictionCategory';
  predictionId: string;
  categories: SegmentScoreCategory[];
}

/**
 * Percentile rank 0-100 (percent of scored users with a lower probability): `min` included, `max`
 * excluded unless it is 100, so adjacent bands ([80, 90), [90, 100]) never share a user.
 */
export interface PredictionPercentileCondition extends Negatable {
  type: 'predictionPercentile';
  predictionId: string;
  min: number;
  max: number;
}

/** A lifetime-value prediction's expected value over its horizon within [min, max] (either bound may be absent, not both). */
export interface ClvValueCondition extends Negatable {
  type: 'clvValue';
  predictionId: string;
  min?: number;
  max?: number;
}

/** A lifetime-value prediction's tier: high (top 20% by default), medium, low. */
export interface ClvTierCondition extends Negatable {
  type: 'clvTier';
  predictionId: string;
  tiers: ('high' | 'medium' | 'low')[];
}

/** A lifetime-value prediction's value percentile 0-100, banded like predictionPercentile. */
export interface ClvPercentileCondition extends Negatable {
  type: 'clvPercentile';
  predictionId: string;
  min: number;
  max: number;
}

/** The user's first recommendation is this product, or is in this category (exactly one of the two). */
export interface TopRecommendationCondition extends Negatable {
  type: 'topRecommendation';
  predictionId: string;
  productId?: string;
  category?: string;
}

/** The product is among the user's recommendations with a score of at least `min` (share of the user's affinity, 0-1). */
export interface RecommendationScoreCondition extends Negatable {
  type: 'recommendationScore';
  predictionId: string;
  productId: string;
  min: number;
}

export type AttributeScalar = string | number | boolean;

/** Strict equality: "1" is not 1, "FR" is not "fr". */
export interface AttributeEqualsCondition extends Negatable {
  type: 'attributeEquals';
  attribute: string;
  value: AttributeScalar;
}

export interface AttributeInCondition extends Negatable {
  type: 'attributeIn';
  attribute: string;
  values: AttributeScalar[];
}

/** A numeric attribute within [min, max] (either bound may be absent, not both). */
export interface AttributeRangeCondition extends Negatable {
  type: 'attributeRange';
  attribute: string;
  min?: number;
  max?: number;
}

/** An absolute instant (ISO 8601) or one relative to evaluation time. */
export type DateBound = string | { daysAgo: number };

/** A date attribute (ISO 8601 string) within [from, to] (either bound may be absent, not both). */
export interface AttributeDateRangeCondition extends Negatable {
  type: 'attributeDateRange';
  attribute: string;
  from?: DateBound;
  to?: DateBound;
}

/** The attribute is present and not null. */
export interface AttributeExistsCondition extends Negatable {
  type: 'attributeExists';
  attribute: string;
}

export interface SubscriptionCondition extends Negatable {
  type: 'subscription';
  channel: 'email';
  state: 'subscribed' | 'unsubscribed';
}

/**
 * Events (of one type, or of any type without `eventType`) in the last `withinDays` days: their
 * number (eventCount) or the sum of their amounts (eventSum) within [min, max], either bound optional.
 */
export interface EventAggregateCondition extends Negatable {
  type: 'eventCount' | 'eventSum';
  eventType?: string;
  withinDays: number;
  min?: number;
  max?: number;
}

/**
 * When the last event (of one type, or any) happened: more than `moreThanDaysAgo` and/or less than
 * `lessThanDaysAgo` days before evaluation. A user who never had one matches only with `includeNever`
 * ("no session for 30 days" = moreThanDaysAgo 30 + includeNever).
 */
export interface LastEventCondition extends Negatable {
  type: 'lastEvent';
  eventType?: string;
  moreThanDaysAgo?: number;
  lessThanDaysAgo?: number;
  includeNever?: boolean;
}

/** Member of another segment (negate: not a member). */
export interface SegmentMembershipCondition extends Negatable {
  type: 'segment';
  segmentId: string;
}

/** In the global control group (negate: not in it). */
export interface ControlGroupCondition extends Negatable {
  type: 'controlGroup';
}

export type SegmentCondition =
  | PredictionScoreCondition
  | PredictionCategoryCondition
  | PredictionPercentileCondition
  | ClvValueCondition
  | ClvTierCondition
  | ClvPercentileCondition
  | TopRecommendationCondition
  | RecommendationScoreCondition
  | AttributeEqualsCondition
  | AttributeInCondition
  | AttributeRangeCondition
  | AttributeDateRangeCondition
  | AttributeExistsCondition
  | SubscriptionCondition
  | EventAggregateCondition
  | LastEventCondition
  | SegmentMembershipCondition
  | ControlGroupCondition;

export type SegmentNode = SegmentGroup | SegmentCondition;

/** A whole definition is one node, usually a group. */
export type SegmentDefinition = SegmentNode;
