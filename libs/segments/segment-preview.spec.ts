import { SegmentSubject } from '../domain/segment-subject';
import { compileSegment } from './compile-segment';
import { extrapolateSize, mergePreviews, previewSegment } from './segment-preview';

const subjects = (n: number): SegmentSubject[] =>
  Array.from({ length: n }, (_, i) => ({ userId: `u${i}`, now: 0, scores: { p1: { score: i % 100, probability: (i % 100) / 100, category: 'Low' } } }));
const top30 = compileSegment({ type: 'predictionScore', predictionId: 'p1', min: 70, max: 100 });
const options = { sampleSize: 5, seed: 'preview' };

describe('previewSegment', () => {
  it('counts the matching users and samples them deterministically', async () => {
    const p = await previewSegment(top30, subjects(1000), options);
    expect(p).toMatchObject({ scanned: 1000, matched: 300 });
    expect(p.sample).toHaveLength(5);
    for (const id of p.sample) expect(Number(id.slice(1)) % 100).toBeGreaterThanOrEqual(70);
    expect(await previewSegment(top30, subjects(1000).reverse(), options)).toEqual(p);
  });

  it('reads async streams (a database cursor) too', async () => {
    async function* stream() {
      yield* subjects(200);
    }
    expect(await previewSegment(top30, stream(), options)).toEqual(await previewSegment(top30, subjects(200), options));
  });

  it('merges partition previews into the preview of the whole', async () => {
    const all = subjects(1000);
    const parts = await Promise.all([all.slice(0, 400), all.slice(400)].map((s) => previewSegment(top30, s, options)));
    expect(mergePreviews(parts, options)).toEqual(await previewSegment(top30, all, options));
  });
});

describe('extrapolateSize', () => {
  it('scales a partial scan to the population with a 95% interval', () => {
    const e = extrapolateSize({ matched: 300, scanned: 1000, population: 100_000 });
    expect(e.estimate).toBe(30_000);
    // Wilson: p in about [0.272, 0.329].
    expect(e.low).toBeGreaterThan(27_000);
    expect(e.low).toBeLessThan(27_500);
    expect(e.high).toBeGreaterThan(32_700);
    expect(e.high).toBeLessThan(33_100);
  });

  it('covers the true share about 95% of the time', () => {
    // Populations of 50,000 with a 10% segment; scans of 500 users drawn by a fixed LCG.
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    let covered = 0;
    for (let trial = 0; trial < 400; trial++) {
      let matched = 0;
      for (let i = 0; i < 500; i++) if (next() < 0.1) matched++;
      const e = extrapolateSize({ matched, scanned: 500, population: 50_000 });
      if (e.low <= 5000 && 5000 <= e.high) covered++;
    }
    expect(covered / 400).toBeGreaterThan(0.91);
    expect(covered / 400).toBeLessThan(0.99);
  });

  it('is exact for a full scan and never below what was seen', () => {
    expect(extrapolateSize({ matched: 42, scanned: 1000, population: 1000 })).toEqual({ estimate: 42, low: 42, high: 42 });
    expect(extrapolateSize({ matched: 0, scanned: 10, population: 1000 }).low).toBe(0);
    expect(() => extrapolateSize({ matched: 5, scanned: 0, population: 10 })).toThrow('scanned > 0');
  });
});
