import { SplitMix64 } from '../random';

/** Standard normal by Box-Muller; one draw per call (no cached twin) keeps streams easy to reason about. */
export function normal(rng: SplitMix64): number {
  const u = 1 - rng.nextDouble(); // (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
}

export function exponential(rng: SplitMix64, mean: number): number {
  return -mean * Math.log(1 - rng.nextDouble());
}

/** Poisson by Knuth's product of uniforms: O(lambda), and the simulated daily rates stay small. */
export function poisson(rng: SplitMix64, lambda: number): number {
  if (lambda <= 0) return 0;
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.nextDouble();
  while (p > limit) {
    k++;
    p *= rng.nextDouble();
  }
  return k;
}

export function bernoulli(rng: SplitMix64, p: number): boolean {
  return rng.nextDouble() < p;
}

/** A fixed discrete distribution over values, drawn by one uniform against cumulative weights. */
export class Categorical<T> {
  private readonly values: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(weighted: readonly (readonly [T, number])[]) {
    this.values = weighted.map(([value]) => value);
    const total = weighted.reduce((sum, [, w]) => sum + w, 0);
    this.cumulative = new Float64Array(weighted.length);
    let sum = 0;
    for (let i = 0; i < weighted.length; i++) this.cumulative[i] = (sum += weighted[i][1]) / total;
  }

  draw(rng: SplitMix64): T {
    const u = rng.nextDouble();
    let i = 0;
    while (i < this.cumulative.length - 1 && u >= this.cumulative[i]) i++;
    return this.values[i];
  }
}
