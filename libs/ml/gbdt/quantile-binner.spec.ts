import { SplitMix64 } from '../random/splitmix64';
import { allocateBinRows, binAt } from './histogram';
import { binRows, FeatureBinning, fitBinning, MISSING_BIN } from './quantile-binner';

/** Bins of feature j of an n-row matrix, through binRows. */
function binsOf(x: Float32Array, n: number, j: number, binnings: FeatureBinning[]): number[] {
  const rows = allocateBinRows(n, 1, false);
  binRows(x, n, [j], binnings, rows);
  return Array.from({ length: n }, (_, i) => binAt(rows, i, 0));
}

/** The definition binning must match: the first upper bound >= v (binary search), or the missing bin. */
function numericBin(upperBounds: Float64Array, v: number): number {
  if (v !== v) return MISSING_BIN;
  let lo = 0;
  let hi = upperBounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= upperBounds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

describe('quantile binner', () => {
  it('gives each distinct value its own bin when they fit, NaN the missing bin', () => {
    const x = Float32Array.from([3, 1, 2, 2, NaN, 1, 3, 3]);
    const [fb] = fitBinning(x, x.length, 1, [false], 255, new SplitMix64(1));
    expect(Array.from(fb.upperBounds)).toEqual([1.5, 2.5, Infinity]);
    expect(binsOf(x, x.length, 0, [fb])).toEqual([3, 1, 2, 2, MISSING_BIN, 1, 3, 3]);
    expect(fb.trivial).toBe(false);
  });

  it('makes equal-count bins for many values and bins like a binary search', () => {
    const rng = new SplitMix64(2);
    const n = 50_000;
    const x = Float32Array.from({ length: n }, () => (rng.nextDouble() < 0.05 ? 0 : rng.nextDouble() ** 3 * 100 - 20));
    const [fb] = fitBinning(x, n, 1, [false], 64, rng);
    expect(fb.numBins).toBeLessThanOrEqual(64);
    const bins = binsOf(x, n, 0, [fb]);
    const counts = new Array(fb.numBins).fill(0);
    for (let i = 0; i < n; i++) {
      if (bins[i] !== numericBin(fb.upperBounds, x[i])) throw new Error(`row ${i}: ${bins[i]} != ${numericBin(fb.upperBounds, x[i])}`);
      counts[bins[i]]++;
    }
    // The tie at 0 (5% of rows) gets a bin of its own; the others hold about n/63 rows each.
    const others = counts.slice(1).filter((c) => c < 0.04 * n);
    expect(Math.max(...others) / Math.min(...others)).toBeLessThan(2.5);
  });

  it('keeps thresholds finite next to infinite values', () => {
    const x = Float32Array.from([-Infinity, -1, 0, 2, Infinity, Infinity]);
    const [fb] = fitBinning(x, x.length, 1, [false], 255, new SplitMix64(4));
    expect(Array.from(fb.upperBounds)).toEqual([-Number.MAX_VALUE, -0.5, 1, 2, Infinity]);
    expect(binsOf(x, x.length, 0, [fb])).toEqual([1, 2, 3, 4, 5, 5]);
  });

  it('codes categories directly and marks constant features trivial', () => {
    const x = Float32Array.from([0, 2, 2, NaN, 300, 5, 5, 5, 5, 5]);
    const fbs = fitBinning(x, 5, 2, [true, false], 255, new SplitMix64(3));
    expect(fbs[0].numBins).toBe(4);
    expect(binsOf(x, 5, 0, fbs)).toEqual([1, 3, 3, 0, 0]);
    expect(fbs[1].trivial).toBe(true);
  });

  it('bins several columns into shared words and reports the fullest bin', () => {
    const rng = new SplitMix64(5);
    const n = 3000;
    const p = 6;
    const x = Float32Array.from({ length: n * p }, (_, k) => (k < n ? rng.nextInt(4) : k >= 5 * n && rng.nextDouble() < 0.7 ? 1 : rng.nextDouble()));
    const binnings = fitBinning(x, n, p, [true, false, false, false, false, false], 255, rng);
    const rows = allocateBinRows(n, p, false);
    const features = [0, 1, 2, 3, 4, 5];
    const most = binRows(x, n, features, binnings, rows);
    let fullest = 0;
    for (const j of features) {
      const single = binsOf(x, n, j, binnings);
      const counts = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        if (binAt(rows, i, j) !== single[i]) throw new Error(`row ${i}, column ${j}`);
        counts.set(single[i], (counts.get(single[i]) ?? 0) + 1);
      }
      fullest = Math.max(fullest, ...counts.values());
    }
    expect(most).toBe(fullest);
    // Column 5 puts 70% of its rows on the value 1.
    expect(most).toBeGreaterThan(0.6 * n);
  });
});
