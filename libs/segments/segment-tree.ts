import { SegmentCondition, SegmentGroup, SegmentNode } from '../domain/segment-definition';

export function isGroup(node: SegmentNode): node is SegmentGroup {
  return node.type === 'and' || node.type === 'or';
}

/** Every leaf condition of a definition with its path, depth first, in document order. */
export function* conditionsOf(node: SegmentNode, path: (string | number)[] = []): Generator<{ condition: SegmentCondition; path: (string | number)[] }> {
  if (!isGroup(node)) {
    yield { condition: node, path };
    return;
  }
  for (let i = 0; i < node.conditions.length; i++) yield* conditionsOf(node.conditions[i], [...path, 'conditions', i]);
}
