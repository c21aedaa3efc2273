import * as path from 'path';
import { Worker } from 'worker_threads';
import { addHistogram, buildHistogram } from './histogram';

/** A large leaf's histogram is the sum of this many chunk histograms, in this order, whatever the thread count. */
export const HISTOGRAM_CHUNKS = 4;
/** Below this many rows per chunk, one pass is cheaper than chunking. */
const MIN_CHUNK_ROWS = 8192;
/** A worker that has not answered by then is taken as dead (a blocked main thread cannot see its errors). */
const WORKER_TIMEOUT_MS = 120_000;

// Layout of the Int32 control block shared with each worker.
export const CTRL_SEQ = 0;
export const CTRL_DONE = 1;
export const CTRL_START = 2;
export const CTRL_END = 3;
export const CTRL_STOP = 4;
const CTRL_SIZE = 5;

/** What a worker gets at start: the shared buffers it reads and the chunk histograms it writes. */
export interface HistogramWorkerData {
  index: number;
  threads: number;
  stride: number;
  q: number;
  bins: Uint16Array;
  gh: Float64Array;
  chunkHists: Float64Array[];
  ctrl: Int32Array;
}

/** Positions [chunkStart, chunkEnd) of chunk c of positions [start, end). */
export function chunkBounds(start: number, end: number, c: number): [number, number] {
  const count = end - start;
  return [start + Math.floor((c * count) / HISTOGRAM_CHUNKS), start + Math.floor(((c + 1) * count) / HISTOGRAM_CHUNKS)];
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(1, length)), 0, length);
}

/**
 * Builds leaf histograms over shared buffers, splitting large leaves into fixed chunks that the main
 * thread and `threads - 1` worker threads fill in parallel (synchronously: the main thread blocks on
 * Atomics.wait). The chunks are summed in a fixed order, so models do not depend on the thread count.
 */
export class HistogramBuilder {
  private readonly chunkHists: Float64Array[];
  private readonly workers: { worker: Worker; ctrl: Int32Array }[] = [];
  private seq = 0;

  constructor(
    private readonly bins: Uint16Array,
    private readonly stride: number,
    private readonly q: number,
    private readonly gh: Float64Array,
    histSize: number,
    threads: number,
  ) {
    this.chunkHists = Array.from({ length: HISTOGRAM_CHUNKS }, () => sharedFloat64(histSize));
    const ext = path.extname(__filename);
    // Leaves too small to chunk never use the workers: do not start them for small tables.
    const workers = gh.length / 2 >= HISTOGRAM_CHUNKS * MIN_CHUNK_ROWS ? threads - 1 : 0;
    for (let w = 1; w <= workers; w++) {
      const ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL_SIZE));
      const workerData: HistogramWorkerData = { index: w, threads: workers + 1, stride, q, bins, gh, chunkHists: this.chunkHists, ctrl };
      // From TypeScript sources (development, tests) the worker needs the same on-the-fly compiler.
      const worker = new Worker(path.join(__dirname, `histogram-worker${ext}`), {
        workerData,
        execArgv: ext === '.ts' ? ['-r', '@swc-node/register'] : [],
      });
      worker.unref();
      this.workers.push({ worker, ctrl });
    }
  }

  /** Fills `hist` with the histogram of positions [start, end). */
  build(start: number, end: number, hist: Float64Array): void {
    if (end - start < HISTOGRAM_CHUNKS * MIN_CHUNK_ROWS) {
      buildHistogram(this.bins, this.stride, this.q, this.gh, start, end, hist);
      return;
    }
    const seq = ++this.seq;
    for (const { ctrl } of this.workers) {
      Atomics.store(ctrl, CTRL_START, start);
      Atomics.store(ctrl, CTRL_END, end);
      Atomics.store(ctrl, CTRL_SEQ, seq);
      Atomics.notify(ctrl, CTRL_SEQ);
    }
    for (let c = 0; c < HISTOGRAM_CHUNKS; c += this.workers.length + 1) {
      const [s, e] = chunkBounds(start, end, c);
      buildHistogram(this.bins, this.stride, this.q, this.gh, s, e, c === 0 ? hist : this.chunkHists[c]);
    }
    for (const { ctrl } of this.workers) {
      const deadline = Date.now() + WORKER_TIMEOUT_MS;
      let done: number;
      while ((done = Atomics.load(ctrl, CTRL_DONE)) !== seq) {
        if (Date.now() > deadline) throw new Error('gbdt: histogram worker thread did not answer (failed to start?)');
        Atomics.wait(ctrl, CTRL_DONE, done, 1000);
      }
    }
    for (let c = 1; c < HISTOGRAM_CHUNKS; c++) addHistogram(hist, this.chunkHists[c]);
  }

  /** Stops the worker threads. */
  close(): void {
    for (const { worker, ctrl } of this.workers) {
      Atomics.store(ctrl, CTRL_STOP, 1);
      Atomics.add(ctrl, CTRL_SEQ, 1);
      Atomics.notify(ctrl, CTRL_SEQ);
      void worker.terminate();
    }
    this.workers.length = 0;
  }
}
