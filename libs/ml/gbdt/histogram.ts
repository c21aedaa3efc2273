/**
 * Gradient/hessian histograms: for feature c, bin b, the sums over a leaf's rows sit at
 * hist[binOffset[c] + 2b] (gradient) and hist[binOffset[c] + 2b + 1] (hessian), interleaved so that
 * one row touches one cache line per feature.
 */

/**
 * Sums `gh` (interleaved gradient, hessian per row) of rows[start..end) into `hist` (overwritten).
 * `bins` is row-major with `q` columns. Nothing is allocated.
 */
export function buildHistogram(
  bins: Uint8Array,
  q: number,
  binOffset: Int32Array,
  gh: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  hist.fill(0);
  const end4 = start + ((end - start) & ~3);
  if (end4 > start) addRows4(bins, q, binOffset, gh, rows, start, end4, hist);
  for (let k = end4; k < end; k++) addRow(bins, q, binOffset, gh, rows[k], hist);
}

/**
 * Four rows per step, so their loads are independent. Kept apart from the remainder loop: a hot loop
 * sharing its function with rarely run code gets deoptimised over and over by V8.
 */
function addRows4(
  bins: Uint8Array,
  q: number,
  binOffset: Int32Array,
  gh: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  for (let k = start; k < end; k += 4) {
    const r0 = rows[k];
    const r1 = rows[k + 1];
    const r2 = rows[k + 2];
    const r3 = rows[k + 3];
    const g0 = gh[2 * r0];
    const h0 = gh[2 * r0 + 1];
    const g1 = gh[2 * r1];
    const h1 = gh[2 * r1 + 1];
    const g2 = gh[2 * r2];
    const h2 = gh[2 * r2 + 1];
    const g3 = gh[2 * r3];
    const h3 = gh[2 * r3 + 1];
    const b0 = r0 * q;
    const b1 = r1 * q;
    const b2 = r2 * q;
    const b3 = r3 * q;
    for (let c = 0; c < q; c++) {
      const off = binOffset[c];
      const o0 = off + (bins[b0 + c] << 1);
      hist[o0] += g0;
      hist[o0 + 1] += h0;
      const o1 = off + (bins[b1 + c] << 1);
      hist[o1] += g1;
      hist[o1 + 1] += h1;
      const o2 = off + (bins[b2 + c] << 1);
      hist[o2] += g2;
      hist[o2 + 1] += h2;
      const o3 = off + (bins[b3 + c] << 1);
      hist[o3] += g3;
      hist[o3 + 1] += h3;
    }
  }
}

function addRow(bins: Uint8Array, q: number, binOffset: Int32Array, gh: Float64Array, r: number, hist: Float64Array): void {
  const g = gh[2 * r];
  const h = gh[2 * r + 1];
  const b = r * q;
  for (let c = 0; c < q; c++) {
    const o = binOffset[c] + (bins[b + c] << 1);
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
