import type { ClvOutput, RecommendedItem } from './prediction-outputs';
import type { SegmentScoreCategory } from './segment-definition';

/**
 * One user as segment conditions see them, as plain data (it can cross an activity boundary). The
 * parts are optional because loading them costs differently: a segment on scores alone is evaluated
 * in the rescore stream without reading events. Which parts a segment needs comes from
 * `dependencies()` in libs/segments; evaluating a condition whose part is absent throws
 * (never a silent "not a member").
 */
export interface SegmentSubject {
  userId: string;
  /** Evaluation time, ms since the epoch: windows and recency are relative to it. */
  now: number;
  profile?: SubjectProfile;
  events?: EventSummary;
  /** By prediction id: the user's score in that prediction's active score set. */
  scores?: Readonly<Record<string, SubjectScore>>;
  /** Ids of the segments the user is a member of (those a condition reads). */
  segments?: readonly string[];
  inControlGroup?: boolean;
}

export interface SubjectProfile {
  attributes: Readonly<Record<string, string | number | boolean | null>>;
  subscription: { email: 'subscribed' | 'unsubscribed' };
  /** IANA time zone; absent means UTC. */
  timezone?: string;
}

export interface SubjectScore {
  /** Likelihood score 0-100. */
  score: number;
  /** Calibrated probability 0-1. */
  probability: number;
  category: SegmentScoreCategory;
  /**
   * Percent of the score set's users with a lower probability, 0-100. Absent while the score set's
   * distribution is not known yet (a percentile condition then throws).
   */
  percentile?: number;
  /** A lifetime-value prediction's output (the score document's `clv`). */
  clv?: ClvOutput;
  /** A recommendation prediction's list, best first (the score document's `recs`). */
  recommendations?: readonly RecommendedItem[];
}

/** A user's events condensed once for every condition: per type, counts and amount sums per window. */
export interface EventSummary {
  /** The windows (days) the counts and sums were accumulated for, ascending. */
  windowsDays: number[];
  /** By event type (only types the user had). */
  byType: Readonly<Record<string, EventTypeSummary>>;
  /** All types together. */
  any: EventTypeSummary;
}

export interface EventTypeSummary {
  /** Time of the last event at or before `now`; null if none. */
  lastTs: number | null;
  /** counts[i], sums[i]: events in the last windowsDays[i] days and the sum of their amounts. */
  counts: number[];
  sums: number[];
}
