import { DateBound, SegmentCondition, SegmentDefinition, SegmentNode } from '../domain/segment-definition';
import { EventTypeSummary, SegmentSubject } from '../domain/segment-subject';
import { SegmentDependencies, dependencies } from './dependencies';
import { isGroup } from './segment-tree';

const DAY_MS = 86_400_000;

/** A subject lacks a part the segment reads: a loading bug to surface, never a silent "not a member". */
export class SubjectIncompleteError extends Error {
  override readonly name = 'SubjectIncompleteError';
}

/** Membership of the segments a definition reads by id. */
export type MembershipLookup = (segmentId: string) => boolean;
export type SegmentEvaluator = (subject: SegmentSubject, isMember: MembershipLookup) => boolean;
type Test = SegmentEvaluator;

/**
 * A definition as a plain predicate over a subject (closures built from the whitelisted tree, no
 * eval, no query). Memberships of other segments come from `subject.segments`.
 */
export function compileSegment(definition: SegmentDefinition, segmentId = '(unsaved)'): (subject: SegmentSubject) => boolean {
  const evaluate = compileEvaluator(definition, segmentId);
  const readsSegments = dependencies(definition).segments.length > 0;
  return (subject) => {
    if (readsSegments && subject.segments === undefined) throw incomplete(segmentId, subject, 'segment memberships', 'reads other segments');
    const segments = subject.segments ?? [];
    return evaluate(subject, (id) => segments.includes(id));
  };
}

/** The predicate with memberships supplied by the caller (a set of segments evaluated together). */
export function compileEvaluator(definition: SegmentDefinition, segmentId: string): SegmentEvaluator {
  const check = completenessCheck(dependencies(definition), segmentId);
  const test = compileNode(definition);
  return (subject, isMember) => {
    check(subject);
    return test(subject, isMember);
  };
}

function compileNode(node: SegmentNode): Test {
  const test = isGroup(node) ? compileGroup(node.type, node.conditions.map(compileNode)) : compileCondition(node);
  return node.negate ? (s, m) => !test(s, m) : test;
}

function compileGroup(op: 'and' | 'or', tests: Test[]): Test {
  return op === 'and' ? (s, m) => tests.every((t) => t(s, m)) : (s, m) => tests.some((t) => t(s, m));
}

function compileCondition(c: SegmentCondition): Test {
  switch (c.type) {
    case 'predictionScore': {
      const { predictionId, min, max } = c;
      return (s) => {
        const score = own(s.scores!, predictionId);
        return score !== undefined && score.score >= min && score.score <= max;
      };
    }
    case 'predictionCategory': {
      const { predictionId, categories } = c;
      return (s) => {
        const score = own(s.scores!, predictionId);
        return score !== undefined && categories.includes(score.category);
      };
    }
    case 'predictionPercentile': {
      const { predictionId, min, max } = c;
      // [min, max), except that a band ending at 100 includes 100.
      return (s) => {
        const p = own(s.scores!, predictionId)?.percentile;
        return p !== undefined && p >= min && (p < max || (max === 100 && p <= 100));
      };
    }
    case 'clvValue': {
      const { predictionId, min = -Infinity, max = Infinity } = c;
      return (s) => {
        const v = own(s.scores!, predictionId)?.clv?.expectedValue;
        return v !== undefined && v >= min && v <= max;
      };
    }
    case 'clvTier': {
      const { predictionId, tiers } = c;
      return (s) => {
        const tier = own(s.scores!, predictionId)?.clv?.tier;
        return tier !== undefined && tiers.includes(tier);
      };
    }
    case 'clvPercentile': {
      const { predictionId, min, max } = c;
      return (s) => {
        const p = own(s.scores!, predictionId)?.clv?.valuePercentile;
        return p !== undefined && p >= min && (p < max || (max === 100 && p <= 100));
      };
    }
    case 'topRecommendation': {
      const { predictionId, productId, category } = c;
      return (s) => {
        const first = own(s.scores!, predictionId)?.recommendations?.[0];
        return first !== undefined && (productId !== undefined ? first.p === productId : first.c === category);
      };
    }
    case 'recommendationScore': {
      const { predictionId, productId, min } = c;
      return (s) => {
        const item = own(s.scores!, predictionId)?.recommendations?.find((r) => r.p === productId);
        return item !== undefined && item.s >= min;
      };
    }
    case 'attributeEquals': {
      const { attribute, value } = c;
      return (s) => own(s.profile!.attributes, attribute) === value;
    }
    case 'attributeIn': {
      const { attribute } = c;
      const values = new Set<unknown>(c.values);
      return (s) => values.has(own(s.profile!.attributes, attribute));
    }
    case 'attributeRange': {
      const { attribute, min = -Infinity, max = Infinity } = c;
      return (s) => {
        const v = own(s.profile!.attributes, attribute);
        return typeof v === 'number' && v >= min && v <= max;
      };
    }
    case 'attributeDateRange': {
      const { attribute } = c;
      const from = c.from === undefined ? () => -Infinity : boundTime(c.from, 'from');
      const to = c.to === undefined ? () => Infinity : boundTime(c.to, 'to');
      return (s) => {
        const v = own(s.profile!.attributes, attribute);
        const t = typeof v === 'string' ? Date.parse(v) : NaN;
        return t >= from(s.now) && t <= to(s.now);
      };
    }
    case 'attributeExists': {
      const { attribute } = c;
      return (s) => {
        const v = own(s.profile!.attributes, attribute);
        return v !== undefined && v !== null;
      };
    }
    case 'subscription': {
      const { state } = c;
      return (s) => s.profile!.subscription.email === state;
    }
    case 'eventCount':
    case 'eventSum': {
      const { eventType, withinDays, min = -Infinity, max = Infinity } = c;
      const sums = c.type === 'eventSum';
      return (s) => {
        const events = s.events!;
        const t = eventTypeSummary(events.byType, events.any, eventType);
        if (t === undefined) return 0 >= min && 0 <= max;
        const w = events.windowsDays.indexOf(withinDays);
        const v = sums ? t.sums[w] : t.counts[w];
        return v >= min && v <= max;
      };
    }
    case 'lastEvent': {
      const { eventType, moreThanDaysAgo, lessThanDaysAgo, includeNever = false } = c;
      const more = moreThanDaysAgo === undefined ? -Infinity : moreThanDaysAgo * DAY_MS;
      const less = lessThanDaysAgo === undefined ? Infinity : lessThanDaysAgo * DAY_MS;
      return (s) => {
        const last = eventTypeSummary(s.events!.byType, s.events!.any, eventType)?.lastTs ?? null;
        if (last === null) return includeNever;
        const age = s.now - last;
        return age > more && age < less;
      };
    }
    case 'segment': {
      const { segmentId } = c;
      return (_s, isMember) => isMember(segmentId);
    }
    case 'controlGroup':
      return (s) => s.inControlGroup!;
  }
}

/** The instant a bound stands for at evaluation time; a date-only `to` includes that whole (UTC) day. */
function boundTime(b: DateBound, side: 'from' | 'to'): (now: number) => number {
  if (typeof b === 'object') return (now) => now - b.daysAgo * DAY_MS;
  const t = Date.parse(b) + (side === 'to' && b.length === 10 ? DAY_MS - 1 : 0);
  return () => t;
}

function eventTypeSummary(byType: Readonly<Record<string, EventTypeSummary>>, any: EventTypeSummary, eventType: string | undefined): EventTypeSummary | undefined {
  return eventType === undefined ? any : own(byType, eventType);
}

/** Own properties only: "constructor" is a valid attribute name and event type. */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The check, prepared once per segment: each subject pays only for the parts the segment reads. */
function completenessCheck(d: SegmentDependencies, segmentId: string): (s: SegmentSubject) => void {
  const parts = new Set(d.subjectParts);
  const percentiles = d.predictions.filter((p) => p.reads.includes('percentile')).map((p) => p.predictionId);
  const outputs = d.predictions.flatMap((p) =>
    (['clv', 'recommendations'] as const).filter((o) => p.reads.includes(o)).map((o) => ({ predictionId: p.predictionId, output: o })),
  );
  return (s) => {
    if (parts.has('profile') && s.profile === undefined) throw incomplete(segmentId, s, 'profile', `reads ${describeProfile(d)}`);
    if (parts.has('events')) {
      if (s.events === undefined) throw incomplete(segmentId, s, 'event summary', 'reads events');
      const missing = d.eventWindowsDays.filter((w) => !s.events!.windowsDays.includes(w));
      if (missing.length > 0) throw incomplete(segmentId, s, `${missing.join(', ')}-day window in its event summary`, 'counts events over it (summarise with its dependencies().eventWindowsDays)');
    }
    if (parts.has('scores')) {
      if (s.scores === undefined) throw incomplete(segmentId, s, 'scores', 'reads predictions');
      for (const id of percentiles) {
        const score = own(s.scores, id);
        if (score !== undefined && score.percentile === undefined)
          throw incomplete(segmentId, s, `percentile in prediction ${id}`, 'reads percentiles (compute them from the score set distribution first)');
      }
      // A score without the kind's output: a prediction of another type, or the output left out when loading.
      for (const { predictionId, output } of outputs) {
        const score = own(s.scores, predictionId);
        if (score !== undefined && score[output] === undefined) throw incomplete(segmentId, s, `${output === 'clv' ? 'lifetime value' : 'recommendations'} in prediction ${predictionId}`, `reads its ${output}`);
      }
    }
    if (parts.has('controlGroup') && typeof s.inControlGroup !== 'boolean') throw incomplete(segmentId, s, 'control group flag', 'reads the control group');
  };
}

const describeProfile = (d: SegmentDependencies) => [...d.attributes.map((a) => `attribute ${a}`), ...(d.subscription ? ['the subscription'] : [])].join(', ');

function incomplete(segmentId: string, s: SegmentSubject, part: string, because: string): SubjectIncompleteError {
  return new SubjectIncompleteError(`segment ${segmentId}: the subject of user ${s.userId} has no ${part}, and the segment ${because}`);
}
