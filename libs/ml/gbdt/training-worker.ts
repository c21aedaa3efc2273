import { workerData } from 'worker_threads';
import { buildHistogram } from './histogram';
import { logisticGradients } from './logistic-loss';
import { partitionPositions, swapBlocks } from './partition';
import {
  CHUNKS, chunkBounds, CTRL_BIN_OFFSET, CTRL_COLUMN, CTRL_DONE, CTRL_END, CTRL_JOB, CTRL_RESULT, CTRL_SEQ, CTRL_START, CTRL_STOP,
  CTRL_WITH_LOSS, JOB_GRADIENTS, JOB_HISTOGRAM, JOB_PARTITION, JOB_SWAP_BLOCKS, TrainingWorkerData,
} from './training-threads';

// Worker thread of TrainingThreads: waits for a job over a position range, does its part, reports.
const d = workerData as TrainingWorkerData;
const { bins, gh, margin, y } = d.arrays;
let seen = 0;
for (;;) {
  Atomics.wait(d.ctrl, CTRL_SEQ, seen);
  seen = Atomics.load(d.ctrl, CTRL_SEQ);
  if (Atomics.load(d.ctrl, CTRL_STOP)) break;
  const start = Atomics.load(d.ctrl, CTRL_START);
  const end = Atomics.load(d.ctrl, CTRL_END);
  const job = Atomics.load(d.ctrl, CTRL_JOB);
  if (job === JOB_PARTITION || job === JOB_SWAP_BLOCKS) {
    // Done by the first worker only; CTRL_COLUMN holds the column (partition) or the block length (swap).
    const col = Atomics.load(d.ctrl, CTRL_COLUMN);
    if (d.index === 1 && job === JOB_PARTITION) {
      const binOffset = Atomics.load(d.ctrl, CTRL_BIN_OFFSET);
      Atomics.store(d.ctrl, CTRL_RESULT, partitionPositions(d.arrays, col, binOffset, d.goLeft, start, end));
    } else if (d.index === 1) swapBlocks(d.arrays, start, end, col);
  } else {
    const withLoss = Atomics.load(d.ctrl, CTRL_WITH_LOSS) === 1;
    for (let c = Atomics.add(d.claim, 0, 1); c < CHUNKS; c = Atomics.add(d.claim, 0, 1)) {
      const [s, e] = chunkBounds(start, end, c);
      if (job === JOB_HISTOGRAM) buildHistogram(bins, gh, s, e, d.chunkHists[c]);
      else if (job === JOB_GRADIENTS) d.chunkLoss[c] = logisticGradients(margin, y, gh, s, e, withLoss);
    }
  }
  Atomics.store(d.ctrl, CTRL_DONE, seen);
  Atomics.notify(d.ctrl, CTRL_DONE);
}
