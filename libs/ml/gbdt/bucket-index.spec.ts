import { SplitMix64 } from '../random/splitmix64';
import { bucketIndex, paddedCuts, rankValues } from './bucket-index';

/** rankValues over `values`, with the index and cuts placed behind a few unrelated entries, as prediction stores them. */
function ranks(cuts: Float64Array, values: Float64Array, add: number): { out: Uint8Array; missing: boolean } {
  const { low, scale, top, perBucket, start } = bucketIndex(cuts);
  const starts = new Uint8Array(5 + start.length);
  starts.set(start, 5);
  const padded = paddedCuts(cuts, perBucket);
  const allCuts = new Float64Array(7 + padded.length).fill(-Infinity);
  allCuts.set(padded, 7);
  const out = new Uint8Array(3 + values.length);
  const missing = rankValues(values, 0, values.length, low, scale, top, perBucket, starts, 5, allCuts, 7, out, 3, add);
  return { out: out.subarray(3), missing };
}

describe('bucketIndex and rankValues', () => {
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
    const values = Float64Array.from(probes);
    const { out, missing } = ranks(cuts, values, 0);
    expect(missing).toBe(false);
    values.forEach((v, i) => {
      let expected = 0;
      for (const c of cuts) if (c < v) expected++;
      if (out[i] !== expected) throw new Error(`v=${v}: rank ${out[i]}, expected ${expected}`);
    });
  });

  it('adds `add` to every rank and gives NaN 255 + add (mod 256), also amid a run of eight', () => {
    const cuts = Float64Array.from([-2, -1, 0, 1, 2]);
    // 21 values: the NaN at 11 stops the eight-at-a-time loop, the rest go one by one.
    const values = Float64Array.from({ length: 21 }, (_, i) => (i === 11 ? NaN : i / 4 - 2.6));
    for (const add of [0, 1]) {
      const { out, missing } = ranks(cuts, values, add);
      expect(missing).toBe(true);
      values.forEach((v, i) => {
        const expected = v !== v ? (255 + add) & 255 : cuts.filter((c) => c < v).length + add;
        if (out[i] !== expected) throw new Error(`add ${add}, v=${v}: ${out[i]}, expected ${expected}`);
      });
    }
  });

  it('refuses more cuts than a byte can rank', () => {
    expect(() => bucketIndex(Float64Array.from({ length: 256 }, (_, i) => i))).toThrow(/at most 255/);
  });
});
