import * as path from 'path';
import { Worker } from 'worker_threads';
import { J_CLAIM, J_KIND, runJob, TrainingState } from './shard-jobs';

/** Tables smaller than this never start worker threads (starting one costs more than it saves). */
const MIN_ROWS_FOR_WORKERS = 32768;
/** Jobs over fewer rows are done by the main thread alone: a hand-off costs tens of microseconds. */
const MIN_ROWS_PER_PARALLEL_JOB = 16384;
/** A worker that has not answered by then is taken as dead (a blocked main thread cannot see its errors). */
const WORKER_TIMEOUT_MS = 120_000;

// Layout of the Int32 control block shared with each worker.
export const CTRL_SEQ = 0;
export const CTRL_DONE = 1;
export const CTRL_STOP = 2;
const CTRL_SIZE = 3;

/** What a worker gets at start: its thread number, the shared state and its control block. */
export interface TrainingWorkerData {
  thread: number;
  state: TrainingState;
  ctrl: Int32Array;
}

/**
 * Runs the jobs of shard-jobs.ts on the main thread and `threads - 1` worker threads, synchronously
 * (the main thread takes shards too, then blocks on Atomics.wait until the workers are done).
 */
export class TrainingThreads {
  private readonly workers: { worker: Worker; ctrl: Int32Array }[] = [];
  private seq = 0;

  constructor(private readonly state: TrainingState, threads: number) {
    const ext = path.extname(__filename);
    const workers = state.y.length >= MIN_ROWS_FOR_WORKERS ? threads - 1 : 0;
    for (let thread = 1; thread <= workers; thread++) {
      const ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL_SIZE));
      const workerData: TrainingWorkerData = { thread, state, ctrl };
      // From TypeScript sources (development, tests) the worker needs the same on-the-fly compiler.
      const worker = new Worker(path.join(__dirname, `training-worker${ext}`), {
        workerData,
        execArgv: ext === '.ts' ? ['-r', '@swc-node/register'] : [],
      });
      worker.unref();
      this.workers.push({ worker, ctrl });
    }
  }

  /**
   * Runs the job whose arguments are already in state.job (kind `kind`) over all shards; `rows` is
   * about how many rows it touches. Returns how many threads took part (their histograms are valid).
   */
  run(kind: number, rows: number): number {
    const { job } = this.state;
    job[J_KIND] = kind;
    Atomics.store(job, J_CLAIM, 0);
    const parallel = rows >= MIN_ROWS_PER_PARALLEL_JOB ? this.workers : [];
    const seq = ++this.seq;
    for (const { ctrl } of parallel) {
      Atomics.store(ctrl, CTRL_SEQ, seq);
      Atomics.notify(ctrl, CTRL_SEQ);
    }
    runJob(this.state, 0);
    for (const { ctrl } of parallel) {
      const deadline = Date.now() + WORKER_TIMEOUT_MS;
      let done: number;
      while ((done = Atomics.load(ctrl, CTRL_DONE)) !== seq) {
        if (Date.now() > deadline) throw new Error('gbdt: training worker thread did not answer (failed to start?)');
        Atomics.wait(ctrl, CTRL_DONE, done, 1000);
      }
    }
    return 1 + parallel.length;
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
