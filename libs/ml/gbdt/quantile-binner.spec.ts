import { SplitMix64 } from '../random/splitmix64';
import { binColumnMajor, fitBinning, MISSING_BIN } from './quantile-binner';

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
    expect(Array.from(binColumnMajor(x, x.length, [0], [fb]))).toEqual([3, 1, 2, 2, MISSING_BIN, 1, 3, 3]);
    expect(fb.trivial).toBe(false);
  });

  it('makes equal-count bins for many values and bins like a binary search', () => {
    const rng = new SplitMix64(2);
    const n = 50_000;
    const x = Float32Array.from({ length: n }, () => (rng.nextDouble() < 0.05 ? 0 : rng.nextDouble() ** 3 * 100 - 20));
    const [fb] = fitBinning(x, n, 1, [false], 64, rng);
    expect(fb.numBins).toBeLessThanOrEqual(64);
    const bins = binColumnMajor(x, n, [0], [fb]);
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
    expect(Array.from(binColumnMajor(x, x.length, [0], [fb]))).toEqual([1, 2, 3, 4, 5, 5]);
  });

  it('codes categories directly and marks constant features trivial', () => {
    const x = Float32Array.from([0, 2, 2, NaN, 300, 5, 5, 5, 5, 5]);
    const fbs = fitBinning(x, 5, 2, [true, false], 255, new SplitMix64(3));
    expect(fbs[0].numBins).toBe(4);
    expect(Array.from(binColumnMajor(x, 5, [0], fbs))).toEqual([1, 3, 3, 0, 0]);
    expect(fbs[1].trivial).toBe(true);
  });
});
