/**
 * Gradient/hessian histograms over a position-ordered bin matrix: the rows of a leaf are contiguous
 * (positions start..end), row k's bins at bins[k*stride + c]. Each bin entry is already the offset of
 * its (gradient, hessian) pair in the histogram (feature offset + 2*bin), so the inner loop is a load
 * and two adds; sums are Float64.
 */

/**
 * Sums the interleaved gradient/hessian `gh` of positions [start, end) into `hist` (overwritten).
 * Nothing is allocated.
 */
export function buildHistogram(
  bins: Uint16Array,
  stride: number,
  q: number,
  gh: Float64Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  hist.fill(0);
  const end4 = start + ((end - start) & ~3);
  if (end4 > start) addRows4(bins, stride, q, gh, start, end4, hist);
  for (let k = end4; k < end; k++) addRow(bins, stride, q, gh, k, hist);
}

/**
 * Four rows per step, so their loads are independent. Kept apart from the remainder loop: a hot loop
 * sharing its function with rarely run code gets deoptimised over and over by V8.
 */
function addRows4(bins: Uint16Array, stride: number, q: number, gh: Float64Array, start: number, end: number, hist: Float64Array): void {
  for (let k = start; k < end; k += 4) {
    const g0 = gh[2 * k];
    const h0 = gh[2 * k + 1];
    const g1 = gh[2 * k + 2];
    const h1 = gh[2 * k + 3];
    const g2 = gh[2 * k + 4];
    const h2 = gh[2 * k + 5];
    const g3 = gh[2 * k + 6];
    const h3 = gh[2 * k + 7];
    const b0 = k * stride;
    const b1 = b0 + stride;
    const b2 = b1 + stride;
    const b3 = b2 + stride;
    for (let c = 0; c < q; c++) {
      const o0 = bins[b0 + c];
      hist[o0] += g0;
      hist[o0 + 1] += h0;
      const o1 = bins[b1 + c];
      hist[o1] += g1;
      hist[o1 + 1] += h1;
      const o2 = bins[b2 + c];
      hist[o2] += g2;
      hist[o2 + 1] += h2;
      const o3 = bins[b3 + c];
      hist[o3] += g3;
      hist[o3 + 1] += h3;
    }
  }
}

function addRow(bins: Uint16Array, stride: number, q: number, gh: Float64Array, k: number, hist: Float64Array): void {
  const g = gh[2 * k];
  const h = gh[2 * k + 1];
  const b = k * stride;
  for (let c = 0; c < q; c++) {
    const o = bins[b + c];
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
