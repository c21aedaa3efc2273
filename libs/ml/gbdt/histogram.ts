/**
 * Gradient/hessian histograms over a position-ordered, encoded bin matrix: the rows of a leaf are
 * contiguous (positions start..end). Each entry is already the offset of its (gradient, hessian) pair
 * in the histogram (column offset + 2*bin), so the inner loop is a load and two adds; sums are Float64.
 */

/**
 * The encoded matrix, as 32-bit words, `wordsPerRow` per row. Packed: two 16-bit entries per word
 * (column 2w in the low half), halving the loads; a pad entry (odd column count) points at a dummy pair
 * after the real histogram. Wide (when offsets do not fit 16 bits): one entry per word.
 */
export interface EncodedBins {
  words: Uint32Array;
  wordsPerRow: number;
  wide: boolean;
}

/** Histogram offset of row k's entry for column c. */
export function entryAt(e: EncodedBins, k: number, c: number): number {
  return e.wide ? e.words[k * e.wordsPerRow + c] : (e.words[k * e.wordsPerRow + (c >> 1)] >>> ((c & 1) << 4)) & 0xffff;
}

/**
 * Sums the interleaved gradient/hessian `gh` of positions [start, end) into `hist` (overwritten).
 * Nothing is allocated.
 */
export function buildHistogram(e: EncodedBins, gh: Float64Array, start: number, end: number, hist: Float64Array): void {
  hist.fill(0);
  const end4 = start + ((end - start) & ~3);
  if (e.wide) {
    if (end4 > start) addRowsWide4(e.words, e.wordsPerRow, gh, start, end4, hist);
    for (let k = end4; k < end; k++) addRowWide(e.words, e.wordsPerRow, gh, k, hist);
  } else {
    if (end4 > start) addRowsPacked4(e.words, e.wordsPerRow, gh, start, end4, hist);
    for (let k = end4; k < end; k++) addRowPacked(e.words, e.wordsPerRow, gh, k, hist);
  }
}

/**
 * Four rows per step, so their loads are independent. Kept apart from the remainder loop: a hot loop
 * sharing its function with rarely run code gets deoptimised over and over by V8.
 */
function addRowsPacked4(words: Uint32Array, wpr: number, gh: Float64Array, start: number, end: number, hist: Float64Array): void {
  for (let k = start; k < end; k += 4) {
    const g0 = gh[2 * k];
    const h0 = gh[2 * k + 1];
    const g1 = gh[2 * k + 2];
    const h1 = gh[2 * k + 3];
    const g2 = gh[2 * k + 4];
    const h2 = gh[2 * k + 5];
    const g3 = gh[2 * k + 6];
    const h3 = gh[2 * k + 7];
    const b0 = k * wpr;
    const b1 = b0 + wpr;
    const b2 = b1 + wpr;
    const b3 = b2 + wpr;
    for (let w = 0; w < wpr; w++) {
      let x = words[b0 + w];
      let o = x & 0xffff;
      hist[o] += g0;
      hist[o + 1] += h0;
      o = x >>> 16;
      hist[o] += g0;
      hist[o + 1] += h0;
      x = words[b1 + w];
      o = x & 0xffff;
      hist[o] += g1;
      hist[o + 1] += h1;
      o = x >>> 16;
      hist[o] += g1;
      hist[o + 1] += h1;
      x = words[b2 + w];
      o = x & 0xffff;
      hist[o] += g2;
      hist[o + 1] += h2;
      o = x >>> 16;
      hist[o] += g2;
      hist[o + 1] += h2;
      x = words[b3 + w];
      o = x & 0xffff;
      hist[o] += g3;
      hist[o + 1] += h3;
      o = x >>> 16;
      hist[o] += g3;
      hist[o + 1] += h3;
    }
  }
}

function addRowPacked(words: Uint32Array, wpr: number, gh: Float64Array, k: number, hist: Float64Array): void {
  const g = gh[2 * k];
  const h = gh[2 * k + 1];
  const b = k * wpr;
  for (let w = 0; w < wpr; w++) {
    const x = words[b + w];
    let o = x & 0xffff;
    hist[o] += g;
    hist[o + 1] += h;
    o = x >>> 16;
    hist[o] += g;
    hist[o + 1] += h;
  }
}

function addRowsWide4(words: Uint32Array, wpr: number, gh: Float64Array, start: number, end: number, hist: Float64Array): void {
  for (let k = start; k < end; k += 4) {
    const g0 = gh[2 * k];
    const h0 = gh[2 * k + 1];
    const g1 = gh[2 * k + 2];
    const h1 = gh[2 * k + 3];
    const g2 = gh[2 * k + 4];
    const h2 = gh[2 * k + 5];
    const g3 = gh[2 * k + 6];
    const h3 = gh[2 * k + 7];
    const b0 = k * wpr;
    const b1 = b0 + wpr;
    const b2 = b1 + wpr;
    const b3 = b2 + wpr;
    for (let c = 0; c < wpr; c++) {
      const o0 = words[b0 + c];
      hist[o0] += g0;
      hist[o0 + 1] += h0;
      const o1 = words[b1 + c];
      hist[o1] += g1;
      hist[o1 + 1] += h1;
      const o2 = words[b2 + c];
      hist[o2] += g2;
      hist[o2 + 1] += h2;
      const o3 = words[b3 + c];
      hist[o3] += g3;
      hist[o3 + 1] += h3;
    }
  }
}

function addRowWide(words: Uint32Array, wpr: number, gh: Float64Array, k: number, hist: Float64Array): void {
  const g = gh[2 * k];
  const h = gh[2 * k + 1];
  const b = k * wpr;
  for (let c = 0; c < wpr; c++) {
    const o = words[b + c];
    hist[o] += g;
    hist[o + 1] += h;
  }
}

/** into += from (summing chunk histograms). */
export function addHistogram(into: Float64Array, from: Float64Array): void {
  for (let i = 0; i < into.length; i++) into[i] += from[i];
}

/** parent -= child, turning the parent's histogram into the sibling's (the subtraction trick). */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] -= child[i];
}
