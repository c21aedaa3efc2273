import { SegmentSubject } from '../domain/segment-subject';
import { MemberSample, mergeSamples } from './member-sample';

/** How many of the scanned users match, and a sample of them (to show before saving a segment). */
export interface SegmentPreview {
  scanned: number;
  matched: number;
  sample: string[];
}

export interface PreviewOptions {
  sampleSize: number;
  /** Same seed, same users: the same sample on every preview. */
  seed: string;
}

/** One pass over a stream of subjects (an array, a generator or a database cursor). */
export async function previewSegment(
  matches: (subject: SegmentSubject) => boolean,
  subjects: Iterable<SegmentSubject> | AsyncIterable<SegmentSubject>,
  options: PreviewOptions,
): Promise<SegmentPreview> {
  const sample = new MemberSample(options.sampleSize, options.seed);
  let scanned = 0;
  let matched = 0;
  for await (const subject of subjects) {
    scanned++;
    if (matches(subject)) {
      matched++;
      sample.offer(subject.userId);
    }
  }
  return { scanned, matched, sample: sample.members() };
}

/** The preview of all partitions from the previews of each (e.g. one activity per hash slot range). */
export function mergePreviews(previews: readonly SegmentPreview[], options: PreviewOptions): SegmentPreview {
  return {
    scanned: previews.reduce((n, p) => n + p.scanned, 0),
    matched: previews.reduce((n, p) => n + p.matched, 0),
    sample: mergeSamples(
      previews.map((p) => p.sample),
      options.sampleSize,
      options.seed,
    ),
  };
}

/**
 * The segment's size over a population of `population` users from a uniform scan of some of them
 * (e.g. a few hash slots): the proportion's 95% Wilson interval, with the finite-population
 * correction, so a full scan gives the exact count.
 */
export function extrapolateSize(p: { matched: number; scanned: number; population: number }): { estimate: number; low: number; high: number } {
  const { matched, scanned, population } = p;
  if (!(scanned > 0 && matched >= 0 && matched <= scanned && scanned <= population)) {
    throw new Error(`extrapolateSize: need 0 <= matched <= scanned <= population and scanned > 0, got ${matched}, ${scanned}, ${population}`);
  }
  const z = 1.959964;
  const share = matched / scanned;
  // The finite-population correction as a larger effective sample: a full scan is exact.
  const correction = population > 1 ? (population - scanned) / (population - 1) : 0;
  if (correction === 0) return { estimate: matched, low: matched, high: matched };
  const n = scanned / correction;
  const z2n = (z * z) / n;
  const centre = (share + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((share * (1 - share)) / n + z2n / (4 * n))) / (1 + z2n);
  const clamp = (x: number) => Math.min(population - (scanned - matched), Math.max(matched, Math.round(x * population)));
  return { estimate: Math.round(share * population), low: clamp(centre - half), high: clamp(centre + half) };
}
