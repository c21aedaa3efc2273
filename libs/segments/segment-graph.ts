import { SegmentDefinition } from '../domain/segment-definition';
import { conditionsOf } from './segment-tree';

/** A saved segment as these helpers need it. */
export interface StoredSegment {
  id: string;
  definition: SegmentDefinition;
}

/** Segment id -> the ids of the segments its membership conditions read (sorted, distinct). */
export type MembershipGraph = ReadonlyMap<string, readonly string[]>;

export function membershipGraph(segments: readonly StoredSegment[]): Map<string, string[]> {
  return new Map(segments.map((s) => [s.id, segmentsRead(s.definition)]));
}

export function segmentsRead(definition: SegmentDefinition): string[] {
  const ids = new Set<string>();
  for (const { condition } of conditionsOf(definition)) if (condition.type === 'segment') ids.add(condition.segmentId);
  return [...ids].sort();
}

/**
 * Every segment of the graph after the segments it reads (reads outside the graph are already
 * materialised and impose nothing); among segments ready together, the smaller id first, so the
 * order is the same on every run. Throws on a cycle, naming it.
 */
export function evaluationOrder(graph: MembershipGraph): string[] {
  const waitingFor = new Map([...graph].map(([id, reads]) => [id, reads.filter((r) => graph.has(r)).length]));
  const readers = readersIndex(graph);
  const ready = [...graph.keys()].filter((id) => waitingFor.get(id) === 0).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const reader of readers.get(id) ?? []) {
      const left = waitingFor.get(reader)! - 1;
      waitingFor.set(reader, left);
      if (left === 0) {
        ready.push(reader);
        ready.sort();
      }
    }
  }
  if (order.length < graph.size) {
    const stuck = [...graph.keys()].filter((id) => waitingFor.get(id)! > 0).sort();
    const cycle = stuck.map((id) => findPath(graph, id, id)).find((p) => p !== null);
    throw new Error(`segments read each other in a cycle: ${formatPath(cycle ?? stuck)}`);
  }
  return order;
}

/** A shortest chain of reads from `from` to `to` (both included; from = to finds a cycle), or null. */
export function findPath(graph: MembershipGraph, from: string, to: string): string[] | null {
  const cameFrom = new Map<string, string>();
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    for (const next of graph.get(id) ?? []) {
      if (next === to) {
        const path = [to, id];
        for (let at = id; at !== from; ) path.push((at = cameFrom.get(at)!));
        return path.reverse();
      }
      if (next !== from && !cameFrom.has(next)) {
        cameFrom.set(next, id);
        queue.push(next);
      }
    }
  }
  return null;
}

/** The longest chain of reads starting at `from` (the graph must be acyclic from there). */
export function longestChain(graph: MembershipGraph, from: string): string[] {
  const memo = new Map<string, string[]>();
  const chain = (id: string, depth: number): string[] => {
    const known = memo.get(id);
    if (known) return known;
    // A cycle would recurse forever; the graph size bounds an acyclic chain.
    if (depth > graph.size) throw new Error(`segments read each other in a cycle through ${id}`);
    let best: string[] = [];
    for (const next of graph.get(id) ?? []) {
      const c = chain(next, depth + 1);
      if (c.length > best.length) best = c;
    }
    const result = [id, ...best];
    memo.set(id, result);
    return result;
  };
  return chain(from, 0);
}

/** The given segments and every segment reading them, directly or through others. */
export function withReaders(graph: MembershipGraph, ids: Iterable<string>): Set<string> {
  const readers = readersIndex(graph);
  const found = new Set<string>();
  const queue = [...ids];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    queue.push(...(readers.get(id) ?? []));
  }
  return found;
}

export const formatPath = (ids: readonly string[]) => ids.join(' → ');

/** Segment id -> the segments that read it. */
function readersIndex(graph: MembershipGraph): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const [id, reads] of graph)
    for (const r of reads) {
      const list = readers.get(r);
      if (list) list.push(id);
      else readers.set(r, [id]);
    }
  return readers;
}
