import { workerData } from 'worker_threads';
import { runJob } from './shard-jobs';
import { CTRL_DONE, CTRL_SEQ, CTRL_STOP, TrainingWorkerData } from './training-threads';

// Worker thread of TrainingThreads: waits for a job, takes shards of it, reports.
const { thread, state, ctrl } = workerData as TrainingWorkerData;
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, CTRL_SEQ, seen);
  seen = Atomics.load(ctrl, CTRL_SEQ);
  if (Atomics.load(ctrl, CTRL_STOP)) break;
  runJob(state, thread);
  Atomics.store(ctrl, CTRL_DONE, seen);
  Atomics.notify(ctrl, CTRL_DONE);
}
