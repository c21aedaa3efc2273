import { SegmentMembershipChange } from '../domain/segment-membership';
import { changeOf, diffSortedMembers, sortedMembers } from './membership-diff';
import { murmur3, unitHash } from './stable-hash';

/**
 * A member set stored as buckets by a stable hash of the user id: each bucket is an ascending id list
 * with a digest. At 1M members the whole list (~15 MB of ids) does not fit one 16 MB document with
 * room to spare, while 64-256 buckets do; a change then rewrites only the buckets whose digest
 * changed, and a diff skips equal buckets without reading their ids.
 */
export interface MemberBucket {
  /** 0 .. of - 1. */
  bucket: number;
  /** How many buckets the set was split into (the same for both sides of a diff). */
  of: number;
  count: number;
  /** 64-bit hash of the id list, hex: equal digests mean equal lists. */
  digest: string;
  ids: string[];
}

// Fixed forever: stored buckets are only comparable under the same assignment.
const BUCKET_SALT = 'segment-members';

export function memberBucket(userId: string, of: number): number {
  return Math.floor(unitHash(BUCKET_SALT, userId) * of);
}

/** The non-empty buckets of a member set, ascending by bucket. */
export function packMembers(ids: Iterable<string>, of: number): MemberBucket[] {
  if (!(Number.isInteger(of) && of >= 1 && of <= 65536)) throw new Error(`packMembers: bucket count must be 1-65536, got ${of}`);
  const lists = new Map<number, string[]>();
  for (const id of ids) {
    const b = memberBucket(id, of);
    const list = lists.get(b);
    if (list) list.push(id);
    else lists.set(b, [id]);
  }
  return [...lists.keys()]
    .sort((a, b) => a - b)
    .map((bucket) => {
      const sorted = sortedMembers(lists.get(bucket)!);
      return { bucket, of, count: sorted.length, digest: listDigest(sorted), ids: sorted };
    });
}

/** Entered and left between two packed versions, merging only the buckets whose digests differ. */
export function diffPacked(previous: readonly MemberBucket[], next: readonly MemberBucket[]): { entered: string[]; left: string[] } {
  const of = new Set([...previous, ...next].map((b) => b.of));
  if (of.size > 1) throw new Error(`diffPacked: both sides must use the same bucket count, got ${[...of].join(' and ')}`);
  const before = new Map(previous.map((b) => [b.bucket, b]));
  const after = new Map(next.map((b) => [b.bucket, b]));
  const entered: string[] = [];
  const left: string[] = [];
  for (const bucket of new Set([...before.keys(), ...after.keys()])) {
    const p = before.get(bucket);
    const n = after.get(bucket);
    if (p && n && p.digest === n.digest && p.count === n.count) continue;
    const d = diffSortedMembers(p?.ids ?? [], n?.ids ?? []);
    entered.push(...d.entered);
    left.push(...d.left);
  }
  return { entered: entered.sort(), left: left.sort() };
}

/** The change between two packed versions (null when equal), lists ascending. */
export function packedMembershipChange(segmentId: string, previous: { version: number; buckets: readonly MemberBucket[] }, next: readonly MemberBucket[]): SegmentMembershipChange | null {
  const { entered, left } = diffPacked(previous.buckets, next);
  return changeOf(segmentId, previous.version, entered, left);
}

/** Every member, ascending. */
export function unpackMembers(buckets: readonly MemberBucket[]): string[] {
  return buckets.flatMap((b) => b.ids).sort();
}

function listDigest(ids: readonly string[]): string {
  // Length-prefixed, so no id content can imitate a boundary.
  const text = ids.map((id) => `${id.length}:${id}`).join('');
  return murmur3(text, 1).toString(16).padStart(8, '0') + murmur3(text, 2).toString(16).padStart(8, '0');
}
