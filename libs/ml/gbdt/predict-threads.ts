import { Worker } from 'worker_threads';
import { callerScratch, FastForest, fastKernelSource, fastPredictRange } from './fast-forest';
import { SimdWalkModule, simdWalkModule } from './simd-walk';

/**
 * Prediction on several threads: a process-wide pool of worker threads (started on first use, kept
 * idle and unref'd afterwards, so later calls start at once and the process can still exit). The main
 * thread predicts rows from the front of the matrix in small chunks; between chunks it hands ranges
 * from the back to the workers, each through two slots on shared memory (the rows of the range, copied
 * out of the caller's matrix unless it is already on a SharedArrayBuffer, and the margins back).
 * Ranges shrink as the work runs out, so all threads finish together; a range a worker has not started
 * when the main thread runs dry is taken back. Every row's margin is computed by the same kernel
 * whichever thread runs it, so results do not depend on the thread count.
 */

const SLOTS = 2;
/** Largest range handed to a worker at once. */
const SLOT_ROWS = 16384;
/** Rows the main thread predicts between looks at the slots. */
const MAIN_CHUNK = 1024;
/** Smallest range worth handing over. */
const MIN_HANDOFF = 1024;
/** A worker that has not finished a started range by then is taken as broken (its rows are redone here). */
const WORKER_TIMEOUT_MS = 60_000;

// Control block of a worker (Int32 words): a signal counter, the current job, then per slot its state,
// first row and row count. Slot states carry the job number: 8*job + STAGED | RUNNING | DONE | FAILED
// (0 = free); FAILED is a range whose kernel threw (the worker then exits).
const SIGNAL = 0;
const JOB = 1;
const SLOT_BASE = 2;
const SLOT_WORDS = 3;
const STAGED = 1;
const RUNNING = 2;
const DONE = 3;
const FAILED = 4;
const CTRL_WORDS = SLOT_BASE + SLOTS * SLOT_WORDS;

interface PoolWorker {
  worker: Worker;
  ctrl: Int32Array;
  broken: boolean;
  stages: (Float32Array | Float64Array)[];
  outs: Float64Array[];
}

/** What a worker receives for each prediction call (structured clone shares the buffers). */
interface WorkerJob {
  job: number;
  F: FastForest;
  ctrl: Int32Array;
  stages: (Float32Array | Float64Array)[];
  outs: Float64Array[];
  /** The caller's matrix when it is shared already (ranges are read in place), else null. */
  src: Float32Array | Float64Array | null;
  srcStride: number;
  /** The forest's compiled SIMD walk (a worker instantiates its own), or null for the JavaScript walk. */
  simd: SimdWalkModule | null;
}

function workerSource(): string {
  return `'use strict';
const { parentPort } = require('worker_threads');
${fastKernelSource()}
parentPort.on('message', (w) => {
  const { job, F, ctrl, stages, outs, src, srcStride, simd } = w;
  const scratch = fastScratch(F, simd);
  for (;;) {
    if (Atomics.load(ctrl, ${JOB}) !== job) return;
    const sig = Atomics.load(ctrl, ${SIGNAL});
    let did = false;
    for (let s = 0; s < ${SLOTS}; s++) {
      const at = ${SLOT_BASE} + ${SLOT_WORDS} * s;
      if (Atomics.compareExchange(ctrl, at, 8 * job + ${STAGED}, 8 * job + ${RUNNING}) !== 8 * job + ${STAGED}) continue;
      const start = ctrl[at + 1];
      const count = ctrl[at + 2];
      try {
        if (src) fastPredictRange(F, src, srcStride, start, count, outs[s], 0, scratch);
        else fastPredictRange(F, stages[s], count, 0, count, outs[s], 0, scratch);
      } catch (e) {
        Atomics.store(ctrl, at, 8 * job + ${FAILED});
        Atomics.notify(ctrl, at);
        throw e;
      }
      Atomics.store(ctrl, at, 8 * job + ${DONE});
      Atomics.notify(ctrl, at);
      did = true;
    }
    if (!did) Atomics.wait(ctrl, ${SIGNAL}, sig, 200);
  }
});
`;
}

const pool: PoolWorker[] = [];
let jobCounter = 0;
/** Rows whose margins worker threads computed, since the process started. */
let workerRows = 0;

/**
 * Rows predicted on worker threads so far in this process. A worker that fails has its rows redone on
 * the calling thread, with the same margins, so this is how to tell that the workers did their part.
 */
export function predictionWorkerRows(): number {
  return workerRows;
}

function startWorker(): PoolWorker {
  // execArgv: [] so that a TypeScript loader of the parent (-r @swc-node/register) is not loaded again.
  const worker = new Worker(workerSource(), { eval: true, execArgv: [] });
  const w: PoolWorker = { worker, ctrl: new Int32Array(new SharedArrayBuffer(4 * CTRL_WORDS)), broken: false, stages: [], outs: [] };
  const drop = () => {
    w.broken = true;
    const i = pool.indexOf(w);
    if (i >= 0) pool.splice(i, 1);
  };
  worker.on('error', drop);
  worker.on('exit', drop);
  worker.unref();
  return w;
}

/** Takes a failed or stuck worker out of the pool (its rows are redone by the caller). */
function retire(w: PoolWorker): void {
  w.broken = true;
  const i = pool.indexOf(w);
  if (i >= 0) pool.splice(i, 1);
  void w.worker.terminate();
}

/** Up to `count` live pool workers (started if needed; a new one joins in as soon as it has booted). */
function workers(count: number): PoolWorker[] {
  while (pool.length < count) pool.push(startWorker());
  return pool.slice(0, count);
}

/** Stops the pool's worker threads (they are unref'd, so this is only needed to free them early). */
export function stopPredictionThreads(): Promise<void> {
  const all = pool.splice(0);
  return Promise.all(all.map((w) => w.worker.terminate())).then(() => undefined);
}

function stageBuffers(w: PoolWorker, x: Float32Array | Float64Array, p: number): void {
  const want = SLOT_ROWS * p;
  const f32 = x instanceof Float32Array;
  if (w.stages.length === SLOTS && w.stages[0] instanceof Float32Array === f32 && w.stages[0].length >= want) return;
  w.stages = Array.from({ length: SLOTS }, () =>
    f32 ? new Float32Array(new SharedArrayBuffer(4 * want)) : new Float64Array(new SharedArrayBuffer(8 * want)),
  );
  if (w.outs.length !== SLOTS) w.outs = Array.from({ length: SLOTS }, () => new Float64Array(new SharedArrayBuffer(8 * SLOT_ROWS)));
}

interface Handoff {
  w: PoolWorker;
  slot: number;
  start: number;
  count: number;
}

/** Margins of n rows of a column-major matrix on the main thread and `extra` worker threads. */
export function fastPredictParallel(F: FastForest, x: Float32Array | Float64Array, n: number, out: Float64Array, extra: number): void {
  const scratch = callerScratch(F, n);
  const ws = workers(extra).filter((w) => !w.broken);
  if (ws.length === 0) {
    fastPredictRange(F, x, n, 0, n, out, 0, scratch);
    return;
  }
  const simd = scratch.simd ? simdWalkModule(F) : null;
  const p = F.numFeatures;
  const job = (jobCounter = (jobCounter + 1) & 0xfffffff || 1);
  const shared = x.buffer instanceof SharedArrayBuffer;
  for (const w of ws) {
    if (!shared) stageBuffers(w, x, p);
    else if (w.outs.length !== SLOTS) w.outs = Array.from({ length: SLOTS }, () => new Float64Array(new SharedArrayBuffer(8 * SLOT_ROWS)));
    Atomics.store(w.ctrl, JOB, job);
    for (let s = 0; s < SLOTS; s++) Atomics.store(w.ctrl, SLOT_BASE + SLOT_WORDS * s, 0);
    const msg: WorkerJob = { job, F, ctrl: w.ctrl, stages: shared ? [] : w.stages, outs: w.outs, src: shared ? x : null, srcStride: n, simd };
    w.worker.postMessage(msg);
  }
  const active: (Handoff | null)[] = [];
  for (let a = 0; a < ws.length * SLOTS; a++) active.push(null);
  let lo = 0;
  let hi = n;
  const state = (h: Handoff) => Atomics.load(h.w.ctrl, SLOT_BASE + SLOT_WORDS * h.slot);
  const ownRows = (start: number, count: number) => fastPredictRange(F, x, n, start, count, out, start, scratch);
  try {
    for (;;) {
      for (let a = 0; a < active.length; a++) {
        const w = ws[(a / SLOTS) | 0];
        const slot = a % SLOTS;
        const h = active[a];
        const slotState = h ? state(h) : 0;
        if (h && slotState === 8 * job + DONE) {
          out.set(w.outs[slot].subarray(0, h.count), h.start);
          workerRows += h.count;
          Atomics.store(w.ctrl, SLOT_BASE + SLOT_WORDS * slot, 0);
          active[a] = null;
        } else if (h && slotState === 8 * job + FAILED) {
          retire(w);
          ownRows(h.start, h.count);
          active[a] = null;
        }
        const left = hi - lo;
        if (active[a] === null && !w.broken && left >= 2 * MIN_HANDOFF) {
          const count = Math.min(SLOT_ROWS, Math.max(MIN_HANDOFF, Math.floor(left / (2 * (ws.length + 1)))));
          const start = hi - count;
          hi = start;
          if (!shared) {
            const stage = w.stages[slot];
            for (let j = 0; j < p; j++) stage.set(x.subarray(j * n + start, j * n + start + count), j * count);
          }
          const at = SLOT_BASE + SLOT_WORDS * slot;
          w.ctrl[at + 1] = start;
          w.ctrl[at + 2] = count;
          Atomics.store(w.ctrl, at, 8 * job + STAGED);
          Atomics.add(w.ctrl, SIGNAL, 1);
          Atomics.notify(w.ctrl, SIGNAL);
          active[a] = { w, slot, start, count };
        }
      }
      if (lo < hi) {
        const count = Math.min(MAIN_CHUNK, hi - lo);
        ownRows(lo, count);
        lo += count;
        continue;
      }
      // Nothing left to hand out: take back ranges not started, wait for the running ones.
      let waiting: Handoff | null = null;
      for (let a = 0; a < active.length; a++) {
        const h = active[a];
        if (!h) continue;
        const at = SLOT_BASE + SLOT_WORDS * h.slot;
        if (Atomics.compareExchange(h.w.ctrl, at, 8 * job + STAGED, 0) === 8 * job + STAGED || (h.w.broken && state(h) !== 8 * job + DONE)) {
          ownRows(h.start, h.count);
          active[a] = null;
        } else if (state(h) !== 8 * job + DONE) waiting = h;
      }
      if (active.every((h) => h === null)) break;
      if (waiting) {
        const at = SLOT_BASE + SLOT_WORDS * waiting.slot;
        const deadline = Date.now() + WORKER_TIMEOUT_MS;
        while (Atomics.load(waiting.w.ctrl, at) === 8 * job + RUNNING && Date.now() < deadline) {
          Atomics.wait(waiting.w.ctrl, at, 8 * job + RUNNING, 1000);
        }
        if (Atomics.load(waiting.w.ctrl, at) === 8 * job + RUNNING) {
          // A stuck worker: its rows are redone here.
          retire(waiting.w);
          ownRows(waiting.start, waiting.count);
          active[active.indexOf(waiting)] = null;
        }
      }
    }
  } finally {
    for (const w of ws) {
      Atomics.store(w.ctrl, JOB, 0);
      Atomics.add(w.ctrl, SIGNAL, 1);
      Atomics.notify(w.ctrl, SIGNAL);
    }
  }
}
