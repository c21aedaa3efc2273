import { EncodedBins } from './histogram';

/** The per-position training arrays that move together when rows are reordered by leaf. */
export interface PositionArrays {
  bins: EncodedBins;
  gh: Float64Array;
  margin: Float64Array;
  y: Uint8Array;
}

/** Swaps positions i and j: their encoded rows (as 32-bit words), gradient pairs, margins and labels. */
export function swapPositions(a: PositionArrays, i: number, j: number): void {
  const { words, wordsPerRow } = a.bins;
  const { gh, margin, y } = a;
  const ri = i * wordsPerRow;
  const rj = j * wordsPerRow;
  for (let w = 0; w < wordsPerRow; w++) {
    const t = words[ri + w];
    words[ri + w] = words[rj + w];
    words[rj + w] = t;
  }
  let t = gh[2 * i];
  gh[2 * i] = gh[2 * j];
  gh[2 * j] = t;
  t = gh[2 * i + 1];
  gh[2 * i + 1] = gh[2 * j + 1];
  gh[2 * j + 1] = t;
  t = margin[i];
  margin[i] = margin[j];
  margin[j] = t;
  t = y[i];
  y[i] = y[j];
  y[j] = t;
}

/**
 * In-place (Hoare) partition of positions [start, end) by goLeft[bin in column col]: left rows end up
 * first. Returns the first right position. Order within a side does not matter: each leaf is scanned whole.
 */
export function partitionPositions(
  a: PositionArrays,
  col: number,
  binOffset: number,
  goLeft: Uint8Array,
  start: number,
  end: number,
): number {
  const { words, wordsPerRow, wide } = a.bins;
  // Where column col sits in a row: its word, the shift and mask of its entry.
  const w = wide ? col : col >> 1;
  const shift = wide ? 0 : (col & 1) << 4;
  const mask = wide ? -1 : 0xffff;
  let i = start;
  let j = end - 1;
  for (;;) {
    while (i <= j && goLeft[(((words[i * wordsPerRow + w] >>> shift) & mask) - binOffset) >> 1] === 1) i++;
    while (i <= j && goLeft[(((words[j * wordsPerRow + w] >>> shift) & mask) - binOffset) >> 1] === 0) j--;
    if (i >= j) return i;
    swapPositions(a, i, j);
    i++;
    j--;
  }
}

/** Swaps the blocks of `count` positions starting at a and at b (which do not overlap). */
export function swapBlocks(arrays: PositionArrays, a: number, b: number, count: number): void {
  for (let k = 0; k < count; k++) swapPositions(arrays, a + k, b + k);
}

/**
 * How two partitioned halves [start, b1) left, [b1, mid) right, [mid, b2) left, [b2, end) right join
 * into one partition: swap the smaller of the middle blocks with the far end of the other. Returns
 * [first block, second block, count, first right position after the swap].
 */
export function joinPlan(b1: number, mid: number, b2: number): [number, number, number, number] {
  const count = Math.min(mid - b1, b2 - mid);
  return [b1, b2 - count, count, b1 + (b2 - mid)];
}
