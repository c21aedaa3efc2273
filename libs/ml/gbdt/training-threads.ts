import * as path from 'path';
import { Worker } from 'worker_threads';
import { addHistogram, buildHistogram, EncodedBins } from './histogram';
import { logisticGradients } from './logistic-loss';
import { joinPlan, partitionPositions, PositionArrays, swapBlocks } from './partition';

/**
 * Large row ranges are cut into this many chunks, which the threads claim one at a time (a thread slowed
 * by other load just takes fewer); their results (histograms, loss sums) are summed in chunk order
 * whatever the thread count or who did which.
 */
export const CHUNKS = 8;
/**
 * Below this many rows per chunk, one pass is cheaper than chunking. Small: deep leaves hold a large
 * share of the histogram work, and a job hand-off costs tens of microseconds.
 */
const MIN_CHUNK_ROWS = 1024;
/** Ranges at least this large are partitioned in two halves (one on a worker thread). */
const PARTITION_MIN_ROWS = 65536;
/** Tables smaller than this never start worker threads (starting one costs more than it saves). */
const MIN_ROWS_FOR_WORKERS = 32768;
/** A worker that has not answered by then is taken as dead (a blocked main thread cannot see its errors). */
const WORKER_TIMEOUT_MS = 120_000;

// Layout of the Int32 control block shared with each worker.
export const CTRL_SEQ = 0;
export const CTRL_DONE = 1;
export const CTRL_START = 2;
export const CTRL_END = 3;
export const CTRL_STOP = 4;
/** What to do: one of the JOB_ constants. */
export const CTRL_JOB = 5;
export const CTRL_WITH_LOSS = 6;
/** Partition jobs: the split column (or block length), its histogram offset, and the worker's answer. */
export const CTRL_COLUMN = 7;
export const CTRL_BIN_OFFSET = 8;
export const CTRL_RESULT = 9;
const CTRL_SIZE = 10;
export const JOB_HISTOGRAM = 0;
export const JOB_GRADIENTS = 1;
export const JOB_PARTITION = 2;
export const JOB_SWAP_BLOCKS = 3;

/** What a worker gets at start: the shared buffers it reads and writes. */
export interface TrainingWorkerData {
  index: number;
  arrays: PositionArrays;
  /** Next chunk to claim (Atomics.add). */
  claim: Int32Array;
  chunkHists: Float64Array[];
  /** Go-left table by bin of a partition job. */
  goLeft: Uint8Array;
  /** Loss sum of each chunk of a gradient job. */
  chunkLoss: Float64Array;
  ctrl: Int32Array;
}

/** Positions [chunkStart, chunkEnd) of chunk c of positions [start, end). */
export function chunkBounds(start: number, end: number, c: number): [number, number] {
  const count = end - start;
  return [start + Math.floor((c * count) / CHUNKS), start + Math.floor(((c + 1) * count) / CHUNKS)];
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(1, length)), 0, length);
}

/**
 * The parallel parts of a boosting round over shared buffers: leaf histograms, gradients and leaf
 * partitions. Large row ranges are cut into fixed chunks that the main thread and `threads - 1` worker
 * threads process in parallel (synchronously: the main thread blocks on Atomics.wait); chunk results are
 * summed in a fixed order, so models do not depend on the thread count.
 */
export class TrainingThreads {
  private readonly chunkHists: Float64Array[];
  private readonly chunkLoss = sharedFloat64(CHUNKS);
  private readonly goLeft = new Uint8Array(new SharedArrayBuffer(256));
  private readonly claim = new Int32Array(new SharedArrayBuffer(4));
  private readonly workers: { worker: Worker; ctrl: Int32Array }[] = [];
  private seq = 0;

  private readonly bins: EncodedBins;
  private readonly gh: Float64Array;
  private readonly margin: Float64Array;
  private readonly y: Uint8Array;

  private readonly arrays: PositionArrays;

  constructor(arrays: PositionArrays, histSize: number, threads: number) {
    // A plain object: it is also what the workers receive (structured clone shares only the buffers).
    this.arrays = { bins: arrays.bins, gh: arrays.gh, margin: arrays.margin, y: arrays.y };
    ({ bins: this.bins, gh: this.gh, margin: this.margin, y: this.y } = arrays);
    this.chunkHists = Array.from({ length: CHUNKS }, () => sharedFloat64(histSize));
    const ext = path.extname(__filename);
    const workers = this.y.length >= MIN_ROWS_FOR_WORKERS ? threads - 1 : 0;
    for (let w = 1; w <= workers; w++) {
      const ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL_SIZE));
      const workerData: TrainingWorkerData = {
        index: w, arrays: this.arrays, claim: this.claim, chunkHists: this.chunkHists, chunkLoss: this.chunkLoss, goLeft: this.goLeft, ctrl,
      };
      // From TypeScript sources (development, tests) the worker needs the same on-the-fly compiler.
      const worker = new Worker(path.join(__dirname, `training-worker${ext}`), {
        workerData,
        execArgv: ext === '.ts' ? ['-r', '@swc-node/register'] : [],
      });
      worker.unref();
      this.workers.push({ worker, ctrl });
    }
  }

  /** Fills `hist` with the histogram of positions [start, end). */
  histogram(start: number, end: number, hist: Float64Array): void {
    if (end - start < CHUNKS * MIN_CHUNK_ROWS) {
      buildHistogram(this.bins, this.gh, start, end, hist);
      return;
    }
    Atomics.store(this.claim, 0, 0);
    this.post(JOB_HISTOGRAM, start, end, false);
    for (let c = Atomics.add(this.claim, 0, 1); c < CHUNKS; c = Atomics.add(this.claim, 0, 1)) {
      const [s, e] = chunkBounds(start, end, c);
      buildHistogram(this.bins, this.gh, s, e, this.chunkHists[c]);
    }
    this.wait();
    hist.set(this.chunkHists[0]);
    for (let c = 1; c < CHUNKS; c++) addHistogram(hist, this.chunkHists[c]);
  }

  /** Gradients of all positions from their margins; returns the mean log-loss if asked (else NaN). */
  gradients(withLoss: boolean): number {
    const n = this.y.length;
    const loss = this.chunkLoss;
    if (n < CHUNKS * MIN_CHUNK_ROWS) {
      const sum = logisticGradients(this.margin, this.y, this.gh, 0, n, withLoss);
      return withLoss ? sum / n : NaN;
    }
    Atomics.store(this.claim, 0, 0);
    this.post(JOB_GRADIENTS, 0, n, withLoss);
    for (let c = Atomics.add(this.claim, 0, 1); c < CHUNKS; c = Atomics.add(this.claim, 0, 1)) {
      const [s, e] = chunkBounds(0, n, c);
      loss[c] = logisticGradients(this.margin, this.y, this.gh, s, e, withLoss);
    }
    this.wait();
    let sum = 0;
    for (let c = 0; c < CHUNKS; c++) sum += loss[c];
    return withLoss ? sum / n : NaN;
  }

  /**
   * Partitions positions [start, end) by goLeft[bin of column col] (see partitionPositions) and returns
   * the first right position. A large range is done as two halves (the second on a worker) joined
   * after, the same way whatever the thread count, so the row order (and the model) does not depend on it.
   */
  partition(col: number, binOffset: number, goLeft: Uint8Array, start: number, end: number): number {
    if (end - start < PARTITION_MIN_ROWS) return partitionPositions(this.arrays, col, binOffset, goLeft, start, end);
    const mid = start + ((end - start) >> 1);
    const worker = this.workers[0];
    let b2 = 0;
    if (worker) {
      this.goLeft.set(goLeft);
      Atomics.store(worker.ctrl, CTRL_COLUMN, col);
      Atomics.store(worker.ctrl, CTRL_BIN_OFFSET, binOffset);
      this.post(JOB_PARTITION, mid, end, false);
    } else b2 = partitionPositions(this.arrays, col, binOffset, goLeft, mid, end);
    const b1 = partitionPositions(this.arrays, col, binOffset, goLeft, start, mid);
    if (worker) {
      this.wait();
      b2 = Atomics.load(worker.ctrl, CTRL_RESULT);
    }
    const [a, b, count, boundary] = joinPlan(b1, mid, b2);
    // The block swap is as long as a half's own partition: the worker takes its second half.
    const half = count >> 1;
    if (worker && half > 0) {
      Atomics.store(worker.ctrl, CTRL_COLUMN, count - half);
      this.post(JOB_SWAP_BLOCKS, a + half, b + half, false);
      swapBlocks(this.arrays, a, b, half);
      this.wait();
    } else swapBlocks(this.arrays, a, b, count);
    return boundary;
  }

  /** Hands a job to every worker (a partition job is done by the first; the others just answer). */
  private post(job: number, start: number, end: number, withLoss: boolean): void {
    const seq = ++this.seq;
    for (const { ctrl } of this.workers) {
      Atomics.store(ctrl, CTRL_JOB, job);
      Atomics.store(ctrl, CTRL_START, start);
      Atomics.store(ctrl, CTRL_END, end);
      Atomics.store(ctrl, CTRL_WITH_LOSS, withLoss ? 1 : 0);
      Atomics.store(ctrl, CTRL_SEQ, seq);
      Atomics.notify(ctrl, CTRL_SEQ);
    }
  }

  private wait(): void {
    for (const { ctrl } of this.workers) {
      const deadline = Date.now() + WORKER_TIMEOUT_MS;
      let done: number;
      while ((done = Atomics.load(ctrl, CTRL_DONE)) !== this.seq) {
        if (Date.now() > deadline) throw new Error('gbdt: training worker thread did not answer (failed to start?)');
        Atomics.wait(ctrl, CTRL_DONE, done, 1000);
      }
    }
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
