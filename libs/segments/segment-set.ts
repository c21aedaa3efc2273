import { SegmentSubject } from '../domain/segment-subject';
import { SegmentEvaluator, SubjectIncompleteError, compileEvaluator } from './compile-segment';
import { SegmentDependencies, mergeDependencies } from './dependencies';
import { StoredSegment, evaluationOrder, membershipGraph } from './segment-graph';

export interface CompiledSegmentSet {
  /** Evaluation order: each segment after the segments of the set it reads. */
  order: string[];
  /**
   * What the set reads as a whole: the subject parts to load and the windows to summarise. `segments`
   * lists only memberships read outside the set (those inside are computed in the same pass).
   */
  dependencies: SegmentDependencies;
  /** The set's segments this subject is a member of, in evaluation order. */
  membersOf(subject: SegmentSubject): string[];
}

/**
 * Several segments evaluated in one pass over the users (e.g. all those a rescore affects): each
 * user's memberships of earlier segments feed the later ones that read them; memberships of
 * segments outside the set come from `subject.segments`.
 */
export function compileSegmentSet(segments: readonly StoredSegment[]): CompiledSegmentSet {
  const order = evaluationOrder(membershipGraph(segments));
  const byId = new Map(segments.map((s) => [s.id, s]));
  const evaluators: { id: string; evaluate: SegmentEvaluator }[] = order.map((id) => ({ id, evaluate: compileEvaluator(byId.get(id)!.definition, id) }));
  const deps = mergeDependencies(segments.map((s) => s.definition));
  const external = deps.segments.filter((id) => !byId.has(id));
  const dependencies: SegmentDependencies = {
    ...deps,
    segments: external,
    subjectParts: deps.subjectParts.filter((p) => p !== 'segments' || external.length > 0),
  };
  return {
    order,
    dependencies,
    membersOf(subject) {
      if (external.length > 0 && subject.segments === undefined) {
        throw new SubjectIncompleteError(`the subject of user ${subject.userId} has no segment memberships, and the set reads ${external.join(', ')}`);
      }
      const members: string[] = [];
      const fresh = new Set<string>();
      const isMember = (id: string) => (byId.has(id) ? fresh.has(id) : subject.segments!.includes(id));
      for (const { id, evaluate } of evaluators)
        if (evaluate(subject, isMember)) {
          fresh.add(id);
          members.push(id);
        }
      return members;
    },
  };
}
