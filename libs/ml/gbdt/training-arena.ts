import { F64, HOST_LITTLE_ENDIAN, I32, I64, V128, wasmModule } from '../wasm/wasm-assembler';
import { BinRows, HIST_STRIDE, HistogramKernel } from './histogram';
import { histogramCode } from './histogram-wasm';
import { partitionCode } from './partition-wasm';

/**
 * One shared WebAssembly memory holding the training arrays that the two hottest loops touch (bin
 * rows, packed and exact gradients, margins, labels, go-left tables, per-thread histograms), and a
 * module with those loops as WebAssembly: the histogram (histogram-wasm.ts) and the partition of a
 * leaf's positions (partition-wasm.ts). V8's code for the JavaScript loops spends most of its
 * instructions re-checking typed arrays; these run 1.4x and 2.4x faster (BENCHMARKS.md). The arrays
 * are ordinary typed-array views on the memory's SharedArrayBuffer, so everything else (binning, leaf
 * sums, gradients, split search, worker threads) uses them as before, and the results are the same
 * bit for bit as with the JavaScript kernels, which remain for hosts without WebAssembly.
 */
export interface TrainingArena {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  rows: BinRows;
  gq: Float64Array;
  g: Float64Array;
  margin: Float64Array;
  y: Uint8Array;
  nodeGoLeft: Uint8Array;
  threadHists: Float64Array[];
}

/** Byte offsets of the arrays in an arena (the kernels take them as constants). */
export interface ArenaLayout {
  rowBytes: number;
  /** The bin rows start at 0. */
  gqAt: number;
  gAt: number;
  marginAt: number;
  yAt: number;
  goLeftAt: number;
  histAt: number;
}

/** A thread's instance of an arena's kernels. */
export interface ArenaKernels {
  histogram: HistogramKernel;
  /** partitionPositions (partition.ts) of [start, end) by column `col` and the go-left table at nodeGoLeft[goLeftAt]. */
  partition: (col: number, goLeftAt: number, start: number, end: number) => number;
}

/** wasm32 memories end at 4 GiB; larger tables keep the JavaScript kernels. */
const MAX_BYTES = 2 ** 32 - 2 ** 16;
const PAGE = 65536;

/** The arena for n positions of `columns` bins, or null where WebAssembly is missing or the table does not fit. */
export function trainingArena(n: number, columns: number, threads: number, maxLeaves: number): TrainingArena | null {
  if (typeof WebAssembly !== 'object' || !HOST_LITTLE_ENDIAN) return null;
  const wordsPerRow = (columns + 3) >> 2;
  const rowBytes = 4 * wordsPerRow;
  const histLength = HIST_STRIDE * columns;
  const at8 = (bytes: number) => Math.ceil(bytes / 8) * 8;
  const gqAt = at8(n * rowBytes);
  const gAt = gqAt + 8 * n;
  const marginAt = gAt + 8 * n;
  const yAt = marginAt + 8 * n;
  const goLeftAt = yAt + n;
  const histAt = at8(goLeftAt + 256 * maxLeaves);
  const bytes = histAt + threads * 8 * histLength;
  if (bytes > MAX_BYTES) return null;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
  const layout: ArenaLayout = { rowBytes, gqAt, gAt, marginAt, yAt, goLeftAt, histAt };
  const module = new WebAssembly.Module(
    wasmModule(
      pages,
      [
        { params: [I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, F64], code: histogramCode(columns, rowBytes), export: 'histogram' },
        { params: [I32, I32, I32, I32], results: [I32], locals: [I32, I32, I32, I32, I32, V128, F64, I64], code: partitionCode(layout), export: 'partition' },
      ],
      true,
    ),
  );
  const buffer = memory.buffer;
  return {
    memory,
    module,
    rows: { words: new Uint32Array(buffer, 0, n * wordsPerRow), wordsPerRow },
    gq: new Float64Array(buffer, gqAt, n),
    g: new Float64Array(buffer, gAt, n),
    margin: new Float64Array(buffer, marginAt, n),
    y: new Uint8Array(buffer, yAt, n),
    nodeGoLeft: new Uint8Array(buffer, goLeftAt, 256 * maxLeaves),
    threadHists: Array.from({ length: threads }, (_, t) => new Float64Array(buffer, histAt + 8 * t * histLength, histLength)),
  };
}

const instances = new WeakMap<WebAssembly.Memory, ArenaKernels>();

/** This thread's instance of an arena's kernels (made once per thread). */
export function arenaKernels(arena: Pick<TrainingArena, 'memory' | 'module'>): ArenaKernels {
  let kernels = instances.get(arena.memory);
  if (!kernels) {
    const exports = new WebAssembly.Instance(arena.module, { m: { mem: arena.memory } }).exports;
    const histogram = exports.histogram as (wordsAt: number, gqAt: number, histAt: number, start: number, end: number) => void;
    kernels = {
      histogram: (words, gq, h, start, end) => {
        if (start < end) histogram(words.byteOffset, gq.byteOffset, h.byteOffset, start, end);
      },
      partition: exports.partition as ArenaKernels['partition'],
    };
    instances.set(arena.memory, kernels);
  }
  return kernels;
}
