import { parentPort, workerData } from 'worker_threads';
import { PipelineJob, runPipelineJob, transferables } from './pipeline-jobs';

// Thread entry of runInThread: runs one job, posting its progress, then its result.
const result = runPipelineJob(workerData as PipelineJob, (progress) => parentPort!.postMessage({ progress }));
parentPort!.postMessage({ result }, transferables(result));
