import { F64, I32, WasmCode, wasmModule } from '../wasm/wasm-assembler';
import { BinRows, HIST_STRIDE, HistogramKernel } from './histogram';

/**
 * The histogram kernel (see histogram.ts) as WebAssembly, over training arrays that live in one shared
 * WebAssembly memory: per row one gradient load, then per column a byte load and one Float64 add at a
 * constant offset, ~1.4x the generated JavaScript loop (whose every access pays V8's typed-array
 * checks; BENCHMARKS.md). The bin rows, packed gradients and per-thread histograms are ordinary typed
 * arrays on the memory's SharedArrayBuffer, so all other code (binning, partitions) uses them as before.
 */
export interface HistogramArena {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  rows: BinRows;
  gq: Float64Array;
  threadHists: Float64Array[];
}

/** wasm32 memories end at 4 GiB; larger tables keep the JavaScript kernel. */
const MAX_BYTES = 2 ** 32 - 2 ** 16;
const PAGE = 65536;

/** hist(wordsAt, gqAt, histAt, start, end): adds positions [start, end) (start < end) to the histogram at histAt. */
function kernelCode(columns: number, rowBytes: number): WasmCode {
  const [wordsAt, gqAt, histAt, start, end, k, row, at] = [0, 1, 2, 3, 4, 5, 6, 7];
  const v = 8;
  const c = new WasmCode();
  c.localGet(start).localSet(k);
  c.localGet(start).i32Const(rowBytes).i32Mul().localGet(wordsAt).i32Add().localSet(row);
  c.block().loop();
  c.localGet(k).i32Const(3).i32Shl().localGet(gqAt).i32Add().f64Load(0).localSet(v);
  for (let col = 0; col < columns; col++) {
    const offset = 8 * HIST_STRIDE * col;
    c.localGet(row).i32Load8U(col).i32Const(3).i32Shl().localGet(histAt).i32Add().localTee(at);
    c.localGet(at).f64Load(offset).localGet(v).f64Add().f64Store(offset);
  }
  c.localGet(row).i32Const(rowBytes).i32Add().localSet(row);
  c.localGet(k).i32Const(1).i32Add().localTee(k).localGet(end).i32LtU().brIf(0).end().end();
  return c;
}

/**
 * Shared memory holding the bin rows of n positions, their packed gradients and one histogram per
 * thread, with the kernel compiled for it; null where WebAssembly (with threads) is not there or the
 * table does not fit.
 */
export function histogramArena(n: number, columns: number, threads: number): HistogramArena | null {
  if (typeof WebAssembly !== 'object') return null;
  const wordsPerRow = (columns + 3) >> 2;
  const rowBytes = 4 * wordsPerRow;
  const histBytes = 8 * HIST_STRIDE * columns;
  const gqAt = Math.ceil((n * rowBytes) / 8) * 8;
  const histAt = gqAt + 8 * n;
  const bytes = histAt + threads * histBytes;
  if (bytes > MAX_BYTES) return null;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null;
  }
  const code = kernelCode(columns, rowBytes);
  const module = new WebAssembly.Module(
    wasmModule(pages, [{ params: [I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, F64], code, export: 'hist' }], true),
  );
  const buffer = memory.buffer;
  return {
    memory,
    module,
    rows: { words: new Uint32Array(buffer, 0, n * wordsPerRow), wordsPerRow },
    gq: new Float64Array(buffer, gqAt, n),
    threadHists: Array.from({ length: threads }, (_, t) => new Float64Array(buffer, histAt + t * histBytes, HIST_STRIDE * columns)),
  };
}

const kernels = new WeakMap<WebAssembly.Memory, HistogramKernel>();

/** This thread's instance of an arena's kernel (its arrays must be views on the arena's memory). */
export function arenaHistogramKernel(arena: Pick<HistogramArena, 'memory' | 'module'>): HistogramKernel {
  let kernel = kernels.get(arena.memory);
  if (!kernel) {
    const hist = new WebAssembly.Instance(arena.module, { m: { mem: arena.memory } }).exports.hist as (
      wordsAt: number, gqAt: number, histAt: number, start: number, end: number,
    ) => void;
    kernel = (words, gq, h, start, end) => {
      if (start < end) hist(words.byteOffset, gq.byteOffset, h.byteOffset, start, end);
    };
    kernels.set(arena.memory, kernel);
  }
  return kernel;
}
