/**
 * Histograms of packed quantized gradients (see gradient-quantizer.ts) over a position-ordered bin matrix:
 * the rows of a leaf are contiguous (positions start..end), so every histogram is a sequential scan.
 * Column c's bins sit at hist[c*HIST_STRIDE + bin]; each (row, column) is one Float64 add.
 */

/** Bins per column in a histogram (bin 0 is missing, at most 255 value bins). */
export const HIST_STRIDE = 256;

/**
 * Row-major bins, four columns per 32-bit word (column c in bits 8·(c&3) of word c>>2), `wordsPerRow`
 * words per row; pad bytes of the last word are never read.
 */
export interface BinRows {
  words: Uint32Array;
  wordsPerRow: number;
}

/** Words a row of `columns` bins takes (four to a word). */
function wordsPerRow(columns: number): number {
  return (columns + 3) >> 2;
}

/** Zeroed bin rows for n rows of `columns` columns, on shared memory if asked (for worker threads). */
export function allocateBinRows(n: number, columns: number, shared: boolean): BinRows {
  const perRow = wordsPerRow(columns);
  const length = n * perRow;
  const words = shared ? new Uint32Array(new SharedArrayBuffer(Math.max(4, 4 * length)), 0, length) : new Uint32Array(length);
  return { words, wordsPerRow: perRow };
}

/** Bin of row k in column c. */
export function binAt(rows: BinRows, k: number, c: number): number {
  return (rows.words[k * rows.wordsPerRow + (c >> 2)] >>> ((c & 3) << 3)) & 255;
}

/** Adds the packed gradients of positions [start, end) to `hist` (which it does not clear). */
export type HistogramKernel = (words: Uint32Array, gq: Float64Array, hist: Float64Array, start: number, end: number) => void;

const kernels = new Map<number, HistogramKernel>();

/** Source of the statements adding row `r`'s bins (word base `base`, value `v`) for every column. */
function rowStatements(columns: number, base: string, v: string): string {
  let src = '';
  for (let c = 0; c < columns; c++) {
    const j = c & 3;
    if (j === 0) src += `x = words[${base} + ${c >> 2}];\n`;
    const bin = j === 0 ? 'x & 255' : j === 3 ? 'x >>> 24' : `(x >>> ${8 * j}) & 255`;
    src += `hist[${c * HIST_STRIDE} + (${bin})] += ${v};\n`;
  }
  return src;
}

/**
 * The histogram loop for a given column count, generated with every column's offset a constant
 * (unrolled over columns, two rows per step so their loads are independent): about a third faster
 * than the loop over columns, which spends its time on offsets and the loop itself. One kernel per
 * column count and thread, made on first use.
 */
export function histogramKernel(columns: number): HistogramKernel {
  let kernel = kernels.get(columns);
  if (!kernel) {
    const wpr = wordsPerRow(columns);
    // The pair loop and the odd last row are separate functions: a hot loop sharing its function with
    // rarely run code gets deoptimised over and over by V8.
    const pairs = new Function('words', 'gq', 'hist', 'start', 'end', `
      let x = 0;
      for (let k = start; k < end; k += 2) {
        const v0 = gq[k];
        const v1 = gq[k + 1];
        const r0 = k * ${wpr};
        const r1 = r0 + ${wpr};
        ${rowStatements(columns, 'r0', 'v0')}
        ${rowStatements(columns, 'r1', 'v1')}
      }`) as HistogramKernel;
    const single = new Function('words', 'gq', 'hist', 'k', `
      let x = 0;
      const v0 = gq[k];
      const r0 = k * ${wpr};
      ${rowStatements(columns, 'r0', 'v0')}`) as (words: Uint32Array, gq: Float64Array, hist: Float64Array, k: number) => void;
    kernel = (words, gq, hist, start, end) => {
      const even = start + ((end - start) & ~1);
      if (even > start) pairs(words, gq, hist, start, even);
      if (even < end) single(words, gq, hist, even);
    };
    kernels.set(columns, kernel);
  }
  return kernel;
}

/** into += from. */
export function addHistogram(into: Float64Array, from: Float64Array): void {
  for (let i = 0; i < into.length; i++) into[i] += from[i];
}

/** parent -= child, turning the parent's histogram into the sibling's (the subtraction trick; exact on integer sums). */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] -= child[i];
}
