import { parentPort } from 'worker_threads';
import { topContributionsRange, TopContributions } from './top-contributions';
import { TreeExplainer } from './tree-shap';

/** One range of rows, explained by a worker thread of explain-threads.ts into shared output arrays. */
export interface ExplainJob {
  explainer: TreeExplainer;
  x: Float32Array | Float64Array;
  top: TopContributions;
  from: number;
  to: number;
}

parentPort!.once('message', (job: ExplainJob) => {
  try {
    topContributionsRange(job.explainer, job.x, job.top, job.from, job.to);
    parentPort!.postMessage({ ok: true });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: String((e as Error).stack ?? e) });
  }
});
