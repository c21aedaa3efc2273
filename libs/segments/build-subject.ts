import { ControlGroupAssignment } from '../domain/control-group';
import { HistoryEvent } from '../domain/event';
import { ClvOutput, fromJsonText, JsonText, RecommendedItem } from '../domain/prediction-outputs';
import { SegmentSubject, SubjectProfile, SubjectScore } from '../domain/segment-subject';
import { inControlGroup } from './control-group';
import { summarizeEvents } from './event-summary';

/** What the caller loaded for one user; leave out what the segments do not read (their dependencies). */
export interface SubjectSources {
  userId: string;
  now: number;
  profile?: SubjectProfile;
  /** The user's events, summarised here over `windowsDays` (dependencies().eventWindowsDays). */
  events?: readonly HistoryEvent[];
  windowsDays?: readonly number[];
  scores?: Record<string, SubjectScore>;
  segments?: readonly string[];
  /** The assignment in force (null: no control group set up); absent: not loaded. */
  controlGroup?: ControlGroupAssignment | null;
}

export function buildSubject(src: SubjectSources): SegmentSubject {
  return {
    userId: src.userId,
    now: src.now,
    profile: src.profile,
    events: src.events === undefined ? undefined : summarizeEvents(src.events, src.now, src.windowsDays ?? []),
    scores: src.scores,
    segments: src.segments,
    inControlGroup: src.controlGroup === undefined ? undefined : inControlGroup(src.userId, src.controlGroup),
  };
}

/** A user's stored score as a score set holds it (every kind's common fields, and a kind's own output). */
export interface StoredScoreFields {
  score: number;
  probability: number;
  category: SubjectScore['category'];
  clv?: JsonText<ClvOutput>;
  recs?: JsonText<RecommendedItem[]>;
}

/**
 * What segment conditions read of one stored score: the common fields, the percentile against the
 * set's cut points (absent while the set's distribution is unknown), and the lifetime-value and
 * recommendation outputs (their conditions throw on a score without them, never match silently).
 */
export function subjectScore(doc: StoredScoreFields, cutPoints: readonly number[] | undefined): SubjectScore {
  return {
    score: doc.score,
    probability: doc.probability,
    category: doc.category,
    percentile: cutPoints ? percentileFromCutPoints(cutPoints, doc.probability) : undefined,
    ...(doc.clv ? { clv: fromJsonText(doc.clv) } : {}),
    ...(doc.recs ? { recommendations: fromJsonText(doc.recs) } : {}),
  };
}

/**
 * A probability's percentile (0-100) against a score set's 101 cut points (cutPoints[k] = the
 * probability at rank k% of the set, ascending, as the score snapshot stores them): the number of cut
 * points below it, less one, as the API's user score shows it.
 */
export function percentileFromCutPoints(cutPoints: readonly number[], probability: number): number {
  let lo = 0;
  let hi = cutPoints.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cutPoints[mid] < probability) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}
