import * as path from 'path';
import { Worker } from 'worker_threads';
import { PipelineJob, PipelineResult, transferables } from './pipeline-jobs';
import { TrainingProgress } from './train-and-evaluate';

export interface ThreadOptions {
  /** Every progress message of the job (a training's rounds), as it arrives on the caller's event loop. */
  onProgress?: (progress: TrainingProgress) => void;
  /** Aborting terminates the thread (and the threads it started) and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs a pipeline job on a worker thread of its own, so the caller's event loop stays free (timers,
 * heartbeats, other activities) however long the job computes. The job's typed arrays are moved to
 * the thread, not copied: the caller must not use them afterwards. The thread may start threads of
 * its own (GBDT training shards, prediction workers).
 */
export function runInThread<J extends PipelineJob>(job: J, options: ThreadOptions = {}): Promise<PipelineResult<J>> {
  const { signal, onProgress } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const ext = path.extname(__filename);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const worker = new Worker(path.join(__dirname, `pipeline-worker${ext}`), {
      workerData: job,
      transferList: transferables(job),
      // From TypeScript sources (development, tests) the thread needs the same on-the-fly compiler.
      execArgv: ext === '.ts' ? ['-r', '@swc-node/register'] : [],
    });
    const onAbort = () => {
      void worker.terminate();
      settle(() => reject(signal!.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: { progress?: TrainingProgress; result?: PipelineResult<J> }) => {
      if (msg.progress) onProgress?.(msg.progress);
      else settle(() => resolve(msg.result!));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`pipeline thread exited (code ${code}) before answering`))));
  });
}
