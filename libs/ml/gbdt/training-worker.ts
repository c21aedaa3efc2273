import { workerData } from 'worker_threads';
import { buildHistogram } from './histogram';
import { logisticGradients } from './logistic-loss';
import {
  CHUNKS, chunkBounds, CTRL_DONE, CTRL_END, CTRL_JOB, CTRL_SEQ, CTRL_START, CTRL_STOP, CTRL_WITH_LOSS, JOB_HISTOGRAM, TrainingWorkerData,
} from './training-threads';

// Worker thread of TrainingThreads: waits for a job over a position range, does its chunks, reports.
const d = workerData as TrainingWorkerData;
let seen = 0;
for (;;) {
  Atomics.wait(d.ctrl, CTRL_SEQ, seen);
  seen = Atomics.load(d.ctrl, CTRL_SEQ);
  if (Atomics.load(d.ctrl, CTRL_STOP)) break;
  const start = Atomics.load(d.ctrl, CTRL_START);
  const end = Atomics.load(d.ctrl, CTRL_END);
  const histogram = Atomics.load(d.ctrl, CTRL_JOB) === JOB_HISTOGRAM;
  const withLoss = Atomics.load(d.ctrl, CTRL_WITH_LOSS) === 1;
  for (let c = d.index; c < CHUNKS; c += d.threads) {
    const [s, e] = chunkBounds(start, end, c);
    if (histogram) buildHistogram(d.bins, d.gh, s, e, d.chunkHists[c]);
    else d.chunkLoss[c] = logisticGradients(d.margin, d.y, d.gh, s, e, withLoss);
  }
  Atomics.store(d.ctrl, CTRL_DONE, seen);
  Atomics.notify(d.ctrl, CTRL_DONE);
}
