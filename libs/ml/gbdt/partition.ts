import { binAt, BinRows } from './histogram';

/** The per-position training arrays that move together when rows are reordered by leaf. */
export interface PositionArrays {
  rows: BinRows;
  /** Packed quantized gradient of each position. */
  gq: Float64Array;
  /** Exact gradient of each position. */
  g: Float64Array;
  margin: Float64Array;
  y: Uint8Array;
}

/** Swaps positions i and j: their bin rows, gradients, margins and labels. */
export function swapPositions(a: PositionArrays, i: number, j: number): void {
  const { words, wordsPerRow } = a.rows;
  const { gq, g, margin, y } = a;
  const ri = i * wordsPerRow;
  const rj = j * wordsPerRow;
  for (let w = 0; w < wordsPerRow; w++) {
    const t = words[ri + w];
    words[ri + w] = words[rj + w];
    words[rj + w] = t;
  }
  let t = gq[i];
  gq[i] = gq[j];
  gq[j] = t;
  t = g[i];
  g[i] = g[j];
  g[j] = t;
  t = margin[i];
  margin[i] = margin[j];
  margin[j] = t;
  t = y[i];
  y[i] = y[j];
  y[j] = t;
}

/**
 * In-place (Hoare) partition of positions [start, end) by goLeft[goLeftAt + bin in column col]: left
 * rows end up first. Returns the first right position. Order within a side does not matter: each leaf
 * is summed whole.
 */
export function partitionPositions(
  a: PositionArrays,
  col: number,
  goLeft: Uint8Array,
  goLeftAt: number,
  start: number,
  end: number,
): number {
  const { rows } = a;
  let i = start;
  let j = end - 1;
  for (;;) {
    while (i <= j && goLeft[goLeftAt + binAt(rows, i, col)] === 1) i++;
    while (i <= j && goLeft[goLeftAt + binAt(rows, j, col)] === 0) j--;
    if (i >= j) return i;
    swapPositions(a, i, j);
    i++;
    j--;
  }
}

/** Moves the positions of [start, end) with flag 1 to the front (flags move along); returns where the rest begin. */
export function partitionByFlag(a: PositionArrays, flag: Uint8Array, start: number, end: number): number {
  let i = start;
  let j = end - 1;
  for (;;) {
    while (i <= j && flag[i] === 1) i++;
    while (i <= j && flag[j] === 0) j--;
    if (i >= j) return i;
    swapPositions(a, i, j);
    flag[i] = 1;
    flag[j] = 0;
    i++;
    j--;
  }
}
