import { workerData } from 'worker_threads';
import { buildHistogram } from './histogram';
import { chunkBounds, CTRL_DONE, CTRL_END, CTRL_SEQ, CTRL_START, CTRL_STOP, HISTOGRAM_CHUNKS, HistogramWorkerData } from './histogram-threads';

// Worker thread of HistogramBuilder: waits for a job (a position range), fills its chunks' histograms, reports.
const d = workerData as HistogramWorkerData;
let seen = 0;
for (;;) {
  Atomics.wait(d.ctrl, CTRL_SEQ, seen);
  seen = Atomics.load(d.ctrl, CTRL_SEQ);
  if (Atomics.load(d.ctrl, CTRL_STOP)) break;
  const start = Atomics.load(d.ctrl, CTRL_START);
  const end = Atomics.load(d.ctrl, CTRL_END);
  for (let c = d.index; c < HISTOGRAM_CHUNKS; c += d.threads) {
    const [s, e] = chunkBounds(start, end, c);
    buildHistogram(d.bins, d.stride, d.q, d.gh, s, e, d.chunkHists[c]);
  }
  Atomics.store(d.ctrl, CTRL_DONE, seen);
  Atomics.notify(d.ctrl, CTRL_DONE);
}
