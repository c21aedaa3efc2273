import { SplitMix64 } from './splitmix64';

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace(a: { length: number; [i: number]: number }, rng: SplitMix64): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
