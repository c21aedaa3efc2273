import { shuffleInPlace } from './shuffle';
import { SplitMix64 } from './splitmix64';

/**
 * Assigns each row a fold in [0, k) so that every fold has (within one) the same number of positives
 * and of negatives: each class is shuffled with the seeded generator and dealt round-robin.
 */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed: number): Uint8Array {
  if (k < 2 || k > 255) throw new RangeError(`stratifiedFolds: k must be in [2, 255], got ${k}`);
  const rng = new SplitMix64(seed);
  const folds = new Uint8Array(labels.length);
  let dealt = 0;
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if ((labels[i] > 0.5 ? 1 : 0) === cls) rows.push(i);
    shuffleInPlace(rows, rng);
    // Continue the round-robin across classes so fold sizes stay balanced overall too.
    for (const r of rows) folds[r] = dealt++ % k;
  }
  return folds;
}
