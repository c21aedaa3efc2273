import { SplitMix64 } from './splitmix64';
import { stratifiedFolds } from './stratified-folds';

describe('SplitMix64', () => {
  it('matches the reference sequence (seed 0) and BigInt arithmetic', () => {
    const r = new SplitMix64(0);
    // Published first outputs of SplitMix64 started at state 0.
    expect(r.nextBigUint64()).toBe(0xe220a8397b1dcdafn);
    expect(r.nextBigUint64()).toBe(0x6e789e6aa1b965f4n);
    const mask = (1n << 64n) - 1n;
    const mix = (z: bigint) => {
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
      return z ^ (z >> 31n);
    };
    const seed = 20240601n;
    const jumped = new SplitMix64(seed, 123456789);
    for (let k = 0; k < 100; k++) {
      const n = 123456789n + BigInt(k);
      expect(jumped.nextBigUint64()).toBe(mix((seed + (n + 1n) * 0x9e3779b97f4a7c15n) & mask));
    }
  });

  it('gives uniforms in [0, 1) and integers below the bound', () => {
    const r = new SplitMix64(5);
    let sum = 0;
    let bad = 0;
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 10000; i++) {
      const u = r.nextDouble();
      if (!(u >= 0 && u < 1)) bad++;
      sum += u;
      counts[r.nextInt(7)]++;
    }
    expect(bad).toBe(0);
    expect(sum / 10000).toBeCloseTo(0.5, 1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
    for (const c of counts) expect(Math.abs(c - 10000 / 7)).toBeLessThan(150);
  });
});

describe('stratifiedFolds', () => {
  it('balances classes across folds and is seeded', () => {
    const labels = Array.from({ length: 1003 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    const folds = stratifiedFolds(labels, 5, 42);
    for (let f = 0; f < 5; f++) {
      const rows = labels.filter((_, i) => folds[i] === f);
      const pos = rows.filter((y) => y === 1).length;
      expect(Math.abs(rows.length - 1003 / 5)).toBeLessThanOrEqual(1);
      expect(Math.abs(pos - 144 / 5)).toBeLessThanOrEqual(1);
    }
    expect(stratifiedFolds(labels, 5, 42)).toEqual(folds);
    expect(stratifiedFolds(labels, 5, 43)).not.toEqual(folds);
  });
});
