/**
 * Percentile rank = percent of the reference population scoring strictly lower, so tied users
 * share a percentile and "90th percentile" reads "more likely than 90% of users".
 */

function checkFinite(fn: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${fn}: value at index ${i} is ${values[i]}, expected a finite number`);
  }
}

/** Sorted copy of a population, the reference for scoring later batches against. */
export function sortedReference(values: ArrayLike<number>): Float64Array {
  checkFinite('sortedReference', values);
  return Float64Array.from(values).sort();
}

/** Percentile of one value against an ascending reference, by binary search. */
export function percentileInSorted(sorted: ArrayLike<number>, value: number): number {
  if (sorted.length === 0) throw new Error('percentileInSorted: empty reference');
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return (100 * lo) / sorted.length;
}

/** Percentile of every value within its own population, O(n log n). */
export function percentileRanks(values: ArrayLike<number>): Float64Array {
  const sorted = sortedReference(values);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = percentileInSorted(sorted, values[i]);
  return out;
}
