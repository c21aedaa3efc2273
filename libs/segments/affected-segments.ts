import { SegmentDependencies, dependencies } from './dependencies';
import { StoredSegment, evaluationOrder, membershipGraph, withReaders } from './segment-graph';

/** Something that happened which may change memberships. */
export type SegmentTrigger =
  /** A prediction was rescored (new active score set) or its status changed. */
  | { kind: 'prediction'; predictionId: string }
  /** Events of these types were ingested. */
  | { kind: 'events'; eventTypes: readonly string[] }
  /** A profile changed: the named attributes and/or the subscription; neither named = anything in it. */
  | { kind: 'profile'; attributes?: readonly string[]; subscription?: boolean }
  /** The control group settings changed. */
  | { kind: 'controlGroup' }
  /** Time passed (a periodic refresh of windows, recency and relative dates). */
  | { kind: 'clock' }
  /** The membership of these segments changed. */
  | { kind: 'segments'; segmentIds: readonly string[] };

/**
 * The segments to re-evaluate after a trigger: those reading what changed, then every segment reading
 * one of those through a membership condition, in evaluation order.
 */
export function affectedSegments(segments: readonly StoredSegment[], trigger: SegmentTrigger): string[] {
  const direct = directlyAffected(segments, trigger);
  const graph = membershipGraph(segments);
  const affected = withReaders(graph, direct);
  return evaluationOrder(graph).filter((id) => affected.has(id));
}

/**
 * Only the segments reading what changed, in the order given (a segment reading one of them follows
 * on its own when the commit of a new version signals it).
 */
export function directlyAffected(segments: readonly StoredSegment[], trigger: SegmentTrigger): string[] {
  return segments.filter((s) => isAffected(dependencies(s.definition), trigger)).map((s) => s.id);
}

function isAffected(d: SegmentDependencies, t: SegmentTrigger): boolean {
  switch (t.kind) {
    case 'prediction':
      return d.predictions.some((p) => p.predictionId === t.predictionId);
    case 'events':
      return (d.anyEventType && t.eventTypes.length > 0) || t.eventTypes.some((e) => d.eventTypes.includes(e));
    case 'profile':
      if (t.attributes === undefined && t.subscription === undefined) return d.subjectParts.includes('profile');
      return (t.subscription === true && d.subscription) || (t.attributes ?? []).some((a) => d.attributes.includes(a));
    case 'controlGroup':
      return d.controlGroup;
    case 'clock':
      return d.timeDependent;
    case 'segments':
      return t.segmentIds.some((id) => d.segments.includes(id));
  }
}
