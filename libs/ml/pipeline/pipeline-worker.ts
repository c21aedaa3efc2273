import { parentPort, workerData } from 'worker_threads';
import { PipelineJob, runPipelineJob, transferables } from './pipeline-jobs';

// Thread entry of runInThread: runs one job, posting its progress, then its result (awaited: a scoring
// job's reasons are explained on threads of their own).
void Promise.resolve(runPipelineJob(workerData as PipelineJob, (progress) => parentPort!.postMessage({ progress }))).then((result) =>
  parentPort!.postMessage({ result }, transferables(result)),
);
