import { SplitMix64 } from '../random';
import { fitDirichletConcentration } from './dirichlet-multinomial';

/** Counts of n draws from a Dirichlet-multinomial(c·mean), by Pólya's urn (exact for any c > 0). */
function polyaUrn(rng: SplitMix64, mean: readonly number[], c: number, n: number): number[] {
  const urn = mean.map((m) => c * m);
  let size = c;
  const counts = mean.map(() => 0);
  for (let i = 0; i < n; i++) {
    let u = rng.nextDouble() * size;
    let k = 0;
    while (k < urn.length - 1 && u >= urn[k]) u -= urn[k++];
    counts[k]++;
    urn[k]++;
    size++;
  }
  return counts;
}

function sample(seed: number, mean: readonly number[], c: number, groups: number) {
  const rng = new SplitMix64(seed);
  const totals: number[] = [];
  const counts: number[] = [];
  const means: number[] = [];
  for (let g = 0; g < groups; g++) {
    const n = 1 + rng.nextInt(12);
    totals.push(n);
    polyaUrn(rng, mean, c, n).forEach((count, k) => {
      if (count === 0) return;
      counts.push(count);
      means.push(mean[k]);
    });
  }
  return { totals, counts, means };
}

describe('fitDirichletConcentration', () => {
  const mean = [0.4, 0.25, 0.15, 0.1, 0.06, 0.04];

  it.each([0.3, 2, 10, 50])('recovers a concentration of %p from 4,000 simulated groups', (c) => {
    const { totals, counts, means } = sample(17, mean, c, 4000);
    const fitted = fitDirichletConcentration(totals, counts, means);
    expect(Math.abs(Math.log(fitted / c))).toBeLessThan(0.15);
  });

  it('goes to the top of the range when groups do not differ beyond multinomial noise', () => {
    const rng = new SplitMix64(5);
    const totals: number[] = [];
    const counts: number[] = [];
    const means: number[] = [];
    for (let g = 0; g < 3000; g++) {
      const k = [0, 0];
      for (let i = 0; i < 10; i++) k[rng.nextDouble() < 0.5 ? 0 : 1]++;
      totals.push(10);
      k.forEach((n) => n > 0 && (counts.push(n), means.push(0.5)));
    }
    expect(fitDirichletConcentration(totals, counts, means, [0.1, 1000])).toBeGreaterThan(100);
  });

  it('rejects non-integer counts and misaligned means', () => {
    expect(() => fitDirichletConcentration([2], [1.5, 0.5], [0.5, 0.5])).toThrow(/integers/);
    expect(() => fitDirichletConcentration([2], [2], [0.5, 0.5])).toThrow(/means/);
  });
});
