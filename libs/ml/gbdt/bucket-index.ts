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

/** Bucket of v: monotone in v (a rounded difference, a product by a non-negative scale, a floor). */
export function bucketOf(v: number, low: number, scale: number, top: number): number {
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
