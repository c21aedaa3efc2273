import { SplitMix64 } from '../random/splitmix64';
import { bucketIndex, bucketOf, paddedCuts } from './bucket-index';

function rank(cuts: Float64Array, v: number): number {
  const { low, scale, top, perBucket, start } = bucketIndex(cuts);
  const padded = paddedCuts(cuts, perBucket);
  const first = start[bucketOf(v, low, scale, top)];
  let r = first;
  for (let k = 0; k < perBucket; k++) r += +(padded[first + k] < v);
  return r;
}

describe('bucketIndex', () => {
  const rng = new SplitMix64(9);
  const cases: [string, number[]][] = [
    ['spread cuts', Array.from({ length: 200 }, () => rng.nextDouble() * 100 - 50)],
    // Most cuts in one narrow cluster: some buckets hold several.
    ['clustered cuts', [...Array.from({ length: 150 }, () => 1 + rng.nextDouble() * 1e-6), ...Array.from({ length: 50 }, () => rng.nextDouble() * 1e6)]],
    // A span that overflows: every cut in one bucket, ranked by comparisons alone.
    ['cuts at the largest finite values', [-Number.MAX_VALUE, -1, 0, 2.5, Number.MAX_VALUE]],
    ['one cut', [3]],
  ];
  it.each(cases)('ranks like counting the cuts below v (%s)', (_, raw) => {
    const cuts = Float64Array.from(new Set(raw)).sort();
    const probes = [...cuts, ...Array.from(cuts, (c) => c + 1e-9), -Infinity, Infinity, 0, -0, ...Array.from({ length: 500 }, () => (rng.nextDouble() - 0.5) * 2e6)];
    for (const v of probes) {
      let expected = 0;
      for (const c of cuts) if (c < v) expected++;
      if (rank(cuts, v) !== expected) throw new Error(`v=${v}: rank ${rank(cuts, v)}, expected ${expected}`);
    }
  });

  it('refuses more cuts than a byte can rank', () => {
    expect(() => bucketIndex(Float64Array.from({ length: 256 }, (_, i) => i))).toThrow(/at most 255/);
  });
});
