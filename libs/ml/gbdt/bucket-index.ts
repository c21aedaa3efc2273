/**
 * The rank of a value among ascending cut points, #{cuts < v}, without a search or a data-dependent
 * branch: v's bucket (a monotone function of v: an affine map, a clamp and a floor) gives the rank of
 * the bucket's first cut, and `perBucket` comparisons with the cuts from there finish it whatever v is
 * (cuts in later buckets are above v). Binning training values and quantizing prediction inputs both
 * rank this way.
 */
export interface BucketIndex {
  low: number;
  scale: number;
  /** Last bucket. */
  top: number;
  /** The most cuts any bucket holds: the comparisons a rank takes. */
  perBucket: number;
  /** Rank of the first cut of each bucket (cuts number at most 255). */
  start: Uint8Array;
}

const MIN_BUCKETS = 256;
const MAX_BUCKETS = 4096;

/**
 * Bucket of v: monotone in v (a rounded difference, a product by a non-negative scale, a floor).
 * rankValues writes the same expression out (a kernel calls no other function).
 */
function bucketOf(v: number, low: number, scale: number, top: number): number {
  const t = (v - low) * scale;
  return t <= 0 ? 0 : t >= top ? top : t | 0;
}

function bucketStarts(cuts: Float64Array, low: number, scale: number, buckets: number): { start: Uint8Array; most: number } {
  const inBucket = new Int32Array(buckets);
  for (const c of cuts) inBucket[bucketOf(c, low, scale, buckets - 1)]++;
  const start = new Uint8Array(buckets);
  let below = 0;
  let most = 0;
  for (let b = 0; b < buckets; b++) {
    start[b] = below;
    below += inBucket[b];
    if (inBucket[b] > most) most = inBucket[b];
  }
  return { start, most };
}

/**
 * The index of up to 255 ascending finite cuts: buckets over [first cut, last cut], the fewest (from
 * 256) with at most one cut in any if that takes at most 4096, else the count with the fewest cuts per bucket.
 */
export function bucketIndex(cuts: Float64Array): BucketIndex {
  if (cuts.length > 255) throw new RangeError(`bucketIndex: at most 255 cuts, got ${cuts.length}`);
  const low = cuts.length > 0 ? cuts[0] : 0;
  const span = cuts.length > 0 ? cuts[cuts.length - 1] - low : 0;
  let best: BucketIndex | null = null;
  for (let buckets = MIN_BUCKETS; buckets <= MAX_BUCKETS; buckets *= 2) {
    const scale = span > 0 && Number.isFinite(buckets / span) ? buckets / span : 0;
    const { start, most } = bucketStarts(cuts, low, scale, buckets);
    if (!best || most < best.perBucket) best = { low, scale, top: buckets - 1, perBucket: most, start };
    if (most <= 1 || scale === 0) break;
  }
  return best!;
}

/** The cuts followed by perBucket + 1 times +Infinity, so a rank's comparisons never read past the end. */
export function paddedCuts(cuts: Float64Array, perBucket: number): Float64Array {
  const out = new Float64Array(cuts.length + perBucket + 1).fill(Infinity);
  out.set(cuts);
  return out;
}

/**
 * Ranks x[src..src+m) into out[at..at+m): out = #(cuts below v) + add, NaN as 255 + add (the store
 * wraps both mod 256); returns whether a value was NaN. The index is low, scale, top, perBucket with
 * its bucket starts at starts[startAt..]; the cuts, padded as paddedCuts pads them, at cuts[cutsAt..].
 * With one comparison per value (the usual case) eight values go per loop iteration, up to the first
 * eight holding a NaN: V8 checks every typed array again at each iteration, and eight values share
 * those checks (1.5x faster than one). A kernel: it uses only its arguments and JavaScript built-ins,
 * since prediction's worker threads run it from its source text.
 */
export function rankValues(
  x: Float32Array | Float64Array,
  src: number,
  m: number,
  low: number,
  scale: number,
  top: number,
  perBucket: number,
  starts: Uint8Array,
  startAt: number,
  cuts: Float64Array,
  cutsAt: number,
  out: Uint8Array,
  at: number,
  add: number,
): boolean {
  const m8 = perBucket === 1 ? m & ~7 : 0;
  let i = 0;
  for (; i < m8; i += 8) {
    const v0 = x[(src + i) | 0];
    const v1 = x[(src + i + 1) | 0];
    const v2 = x[(src + i + 2) | 0];
    const v3 = x[(src + i + 3) | 0];
    const v4 = x[(src + i + 4) | 0];
    const v5 = x[(src + i + 5) | 0];
    const v6 = x[(src + i + 6) | 0];
    const v7 = x[(src + i + 7) | 0];
    if (v0 !== v0 || v1 !== v1 || v2 !== v2 || v3 !== v3 || v4 !== v4 || v5 !== v5 || v6 !== v6 || v7 !== v7) break;
    const t0 = (v0 - low) * scale;
    const t1 = (v1 - low) * scale;
    const t2 = (v2 - low) * scale;
    const t3 = (v3 - low) * scale;
    const t4 = (v4 - low) * scale;
    const t5 = (v5 - low) * scale;
    const t6 = (v6 - low) * scale;
    const t7 = (v7 - low) * scale;
    const c0 = starts[(startAt + (t0 <= 0 ? 0 : t0 >= top ? top : t0 | 0)) | 0];
    const c1 = starts[(startAt + (t1 <= 0 ? 0 : t1 >= top ? top : t1 | 0)) | 0];
    const c2 = starts[(startAt + (t2 <= 0 ? 0 : t2 >= top ? top : t2 | 0)) | 0];
    const c3 = starts[(startAt + (t3 <= 0 ? 0 : t3 >= top ? top : t3 | 0)) | 0];
    const c4 = starts[(startAt + (t4 <= 0 ? 0 : t4 >= top ? top : t4 | 0)) | 0];
    const c5 = starts[(startAt + (t5 <= 0 ? 0 : t5 >= top ? top : t5 | 0)) | 0];
    const c6 = starts[(startAt + (t6 <= 0 ? 0 : t6 >= top ? top : t6 | 0)) | 0];
    const c7 = starts[(startAt + (t7 <= 0 ? 0 : t7 >= top ? top : t7 | 0)) | 0];
    out[(at + i) | 0] = c0 + +(cuts[(cutsAt + c0) | 0] < v0) + add;
    out[(at + i + 1) | 0] = c1 + +(cuts[(cutsAt + c1) | 0] < v1) + add;
    out[(at + i + 2) | 0] = c2 + +(cuts[(cutsAt + c2) | 0] < v2) + add;
    out[(at + i + 3) | 0] = c3 + +(cuts[(cutsAt + c3) | 0] < v3) + add;
    out[(at + i + 4) | 0] = c4 + +(cuts[(cutsAt + c4) | 0] < v4) + add;
    out[(at + i + 5) | 0] = c5 + +(cuts[(cutsAt + c5) | 0] < v5) + add;
    out[(at + i + 6) | 0] = c6 + +(cuts[(cutsAt + c6) | 0] < v6) + add;
    out[(at + i + 7) | 0] = c7 + +(cuts[(cutsAt + c7) | 0] < v7) + add;
  }
  let missing = false;
  for (; i < m; i++) {
    const v = x[src + i];
    if (v !== v) {
      out[at + i] = 255 + add;
      missing = true;
      continue;
    }
    const t = (v - low) * scale;
    const first = starts[startAt + (t <= 0 ? 0 : t >= top ? top : t | 0)];
    let rank = first;
    for (let r = 0; r < perBucket; r++) rank += +(cuts[cutsAt + first + r] < v);
    out[at + i] = rank + add;
  }
  return missing;
}
