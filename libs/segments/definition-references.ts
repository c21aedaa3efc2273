import { PredictionStatus } from '../domain/prediction';
import { PredictionType } from '../domain/prediction-definition';
import { SEGMENT_LIMITS, SegmentDefinition } from '../domain/segment-definition';
import { StoredSegment, findPath, formatPath, longestChain, membershipGraph, segmentsRead } from './segment-graph';
import { conditionsOf } from './segment-tree';

/** What a definition may refer to: the predictions (with their status) and the saved segments. */
export interface SegmentCatalogue {
  /** `type`, when given, is checked against what the condition reads (clv conditions need a clv prediction, ...). */
  predictions: readonly { id: string; status: PredictionStatus; archived?: boolean; type?: PredictionType }[];
  segments: readonly StoredSegment[];
}

export interface ReferenceProblem {
  path: (string | number)[];
  reason: string;
}

const THIS_SEGMENT = '(this segment)';

/** Conditions that read a kind's own output, and the prediction type that has it. */
const NEEDS_TYPE: Partial<Record<string, PredictionType>> = {
  clvValue: 'clv',
  clvTier: 'clv',
  clvPercentile: 'clv',
  topRecommendation: 'recommendation',
  recommendationScore: 'recommendation',
};

/**
 * Refers only to active, unarchived predictions (a preview prediction feeds no segment, as in Braze)
 * and to existing segments, without a membership cycle or a chain longer than the limit.
 * `segmentId` is the segment being replaced (absent for a new one, which nothing can read yet).
 */
export function referenceProblems(definition: SegmentDefinition, catalogue: SegmentCatalogue, segmentId?: string): ReferenceProblem[] {
  const predictions = new Map(catalogue.predictions.map((p) => [p.id, p]));
  const self = segmentId ?? THIS_SEGMENT;
  const graph = membershipGraph(catalogue.segments.filter((s) => s.id !== self));
  graph.set(self, segmentsRead(definition));
  const problems: ReferenceProblem[] = [];
  for (const { condition: c, path } of conditionsOf(definition)) {
    if ('predictionId' in c) {
      const p = predictions.get(c.predictionId);
      const needs = NEEDS_TYPE[c.type];
      const reason =
        p === undefined
          ? `no prediction ${c.predictionId}`
          : p.archived
            ? `prediction ${c.predictionId} is archived: it is no longer rescored`
            : p.status !== 'active'
              ? `prediction ${c.predictionId} is in preview: a preview prediction feeds no segment; make it active first`
              : needs && p.type !== undefined && p.type !== needs
                ? `prediction ${c.predictionId} is a ${p.type} prediction: ${c.type} reads a ${needs} prediction`
                : null;
      if (reason) problems.push({ path: [...path, 'predictionId'], reason });
    } else if (c.type === 'segment') {
      const reason = segmentReferenceProblem(graph, self, c.segmentId);
      if (reason) problems.push({ path: [...path, 'segmentId'], reason });
    }
  }
  return problems;
}

function segmentReferenceProblem(graph: Map<string, string[]>, self: string, target: string): string | null {
  if (target === self) return `a segment cannot contain itself (${formatPath([self, self])})`;
  if (!graph.has(target)) return `no segment ${target}`;
  const back = findPath(graph, target, self);
  if (back) return `membership cycle: ${formatPath([self, ...back])}`;
  let chain: string[];
  try {
    chain = [self, ...longestChain(graph, target)];
  } catch (err) {
    return `segment ${target} cannot be read: ${(err as Error).message}`;
  }
  return chain.length > SEGMENT_LIMITS.maxMembershipChain
    ? `membership chain too long: ${formatPath(chain)} (at most ${SEGMENT_LIMITS.maxMembershipChain} segments)`
    : null;
}
