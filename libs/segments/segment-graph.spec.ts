import { SegmentNode } from '../domain/segment-definition';
import { StoredSegment, evaluationOrder, findPath, longestChain, membershipGraph, withReaders } from './segment-graph';

const reads = (...ids: string[]): SegmentNode => ({ type: 'or', conditions: [{ type: 'controlGroup' }, ...ids.map((segmentId) => ({ type: 'segment' as const, segmentId }))] });
const seg = (id: string, ...ids: string[]): StoredSegment => ({ id, definition: reads(...ids) });

describe('membership graph', () => {
  it('orders each segment after those it reads, ties by id, whatever the input order', () => {
    const segments = [seg('d', 'b', 'c'), seg('c', 'a'), seg('b', 'a'), seg('a'), seg('e'), seg('f', 'outside')];
    const expected = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(evaluationOrder(membershipGraph(segments))).toEqual(expected);
    expect(evaluationOrder(membershipGraph([...segments].reverse()))).toEqual(expected);
    expect(evaluationOrder(membershipGraph([seg('z'), seg('y', 'z'), seg('a', 'y')]))).toEqual(['z', 'y', 'a']);
  });

  it('refuses a cycle, naming it', () => {
    expect(() => evaluationOrder(membershipGraph([seg('a', 'b'), seg('b', 'c'), seg('c', 'a'), seg('d')]))).toThrow('segments read each other in a cycle: a → b → c → a');
  });

  it('finds the shortest chain of reads', () => {
    const g = membershipGraph([seg('a', 'b', 'x'), seg('b', 'c'), seg('c', 'd'), seg('x', 'd'), seg('d')]);
    expect(findPath(g, 'a', 'd')).toEqual(['a', 'x', 'd']);
    expect(findPath(g, 'd', 'a')).toBeNull();
    expect(findPath(g, 'a', 'a')).toBeNull();
    expect(longestChain(g, 'a')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('finds every reader of a segment, transitively', () => {
    const g = membershipGraph([seg('a'), seg('b', 'a'), seg('c', 'b'), seg('d')]);
    expect([...withReaders(g, ['a'])].sort()).toEqual(['a', 'b', 'c']);
    expect([...withReaders(g, ['d'])]).toEqual(['d']);
  });
});
