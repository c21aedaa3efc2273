import * as path from 'path';
import { Worker } from 'worker_threads';
import { ExplainJob } from './explain-worker';
import { allocateTop, topContributionsRange, TopContributions } from './top-contributions';
import { TreeExplainer } from './tree-shap';

/** Fewer rows are explained on the calling thread alone (a worker costs tens of milliseconds to start). */
export const PARALLEL_EXPLAIN_MIN_ROWS = 16384;

/** The matrix on shared memory (a copy unless it is there already), so workers read it in place. */
function shared(x: Float32Array | Float64Array): Float32Array | Float64Array {
  if (x.buffer instanceof SharedArrayBuffer) return x;
  const copy = x instanceof Float32Array ? new Float32Array(new SharedArrayBuffer(x.byteLength)) : new Float64Array(new SharedArrayBuffer(x.byteLength));
  copy.set(x);
  return copy;
}

/**
 * topContributions on `threads` threads: the calling thread takes the first range of rows, worker
 * threads (started for the call, each with its own copy of the explainer) the others, all writing
 * into shared output arrays. The result is the same as on one thread.
 */
export async function topContributionsParallel(
  explainer: TreeExplainer,
  x: Float32Array | Float64Array,
  n: number,
  k: number,
  threads: number,
): Promise<TopContributions> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`explain: threads must be a positive integer, got ${threads}`);
  const parts = n >= PARALLEL_EXPLAIN_MIN_ROWS ? threads : 1;
  const top = allocateTop(n, k, parts > 1);
  const bounds = Array.from({ length: parts + 1 }, (_, t) => Math.floor((t * n) / parts));
  const input = parts > 1 ? shared(x) : x;
  const ext = path.extname(__filename);
  const workers = bounds.slice(1, -1).map((from, w) => {
    // From TypeScript sources (development, tests) the worker needs the same on-the-fly compiler.
    const worker = new Worker(path.join(__dirname, `explain-worker${ext}`), { execArgv: ext === '.ts' ? ['-r', '@swc-node/register'] : [] });
    const job: ExplainJob = { explainer, x: input, top, from, to: bounds[w + 2] };
    const done = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ok: boolean; error?: string }) => (m.ok ? resolve() : reject(new Error(`explain worker: ${m.error}`))));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`explain worker exited with code ${code}`)));
    });
    worker.postMessage(job);
    return { worker, done };
  });
  try {
    topContributionsRange(explainer, input, top, 0, bounds[1]);
    await Promise.all(workers.map((w) => w.done));
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
  return top;
}
