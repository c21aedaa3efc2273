import { parseModel, predictMargins, serializeModel } from '../gbdt';
import { predictionWorkerRows } from '../gbdt/predict-threads';
import { SplitMix64 } from '../random/splitmix64';
import { runInThread } from './pipeline-thread';
import { trainAndEvaluate, TrainingProgress } from './train-and-evaluate';

/** Feature 0 drives the outcome, feature 1 is noise. */
function table(n: number, seed: number) {
  const rng = new SplitMix64(seed);
  const x = new Float32Array(2 * n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 2 * rng.nextDouble() - 1;
    x[n + i] = rng.nextDouble();
    y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-3 * x[i])) ? 1 : 0;
  }
  return { x, y, n, featureNames: ['signal', 'noise'], categorical: [] as number[] };
}

const PARAMS = { rounds: 12, learningRate: 0.3, maxDepth: 3, seed: 5 };

describe('runInThread', () => {
  it('trains on a thread exactly as on the calling thread, reporting every round back', async () => {
    const here = trainAndEvaluate({ ...table(2000, 1), modelParams: PARAMS });
    const seen: TrainingProgress[] = [];
    const data = table(2000, 1);
    const there = await runInThread({ kind: 'train', input: { ...data, modelParams: PARAMS } }, { onProgress: (p) => seen.push(p) });
    expect(there.modelJson).toBe(here.modelJson);
    expect(there.metrics).toEqual(here.metrics);
    expect(seen).toHaveLength(PARAMS.rounds + 1);
    expect(seen[PARAMS.rounds]).toEqual({ step: 'evaluating' });
    // The inputs moved to the thread rather than being copied.
    expect(data.x.length).toBe(0);
  });

  it('nests: the thread starts the training shard threads and the prediction threads of a large table', async () => {
    const n = 40_000;
    const here = trainAndEvaluate({ ...table(n, 2), modelParams: PARAMS });
    const there = await runInThread({ kind: 'train', input: { ...table(n, 2), modelParams: PARAMS, numThreads: 2 } });
    // Thread count does not change the model (histograms are summed exactly).
    expect(there.modelJson).toBe(here.modelJson);

    const model = parseModel(there.modelJson);
    const { x } = table(n, 3);
    const expected = predictMargins(model, x, n, undefined, { numThreads: 1 });
    const before = predictionWorkerRows();
    const margins = await runInThread({ kind: 'margins', modelJson: serializeModel(model), x: x.slice(), n, numThreads: 2 });
    expect(Array.from(margins)).toEqual(Array.from(expected));
    // Those rows were predicted by the thread's own pool, not this thread's.
    expect(predictionWorkerRows()).toBe(before);
  }, 60_000);

  it('terminates the thread when aborted, with the signal reason', async () => {
    const abort = new AbortController();
    let rounds = 0;
    const run = runInThread(
      { kind: 'train', input: { ...table(5000, 4), modelParams: { rounds: 100_000, learningRate: 0.01, seed: 1 } } },
      {
        signal: abort.signal,
        onProgress: () => {
          if (++rounds === 3) abort.abort(new Error('cancelled by the test'));
        },
      },
    );
    await expect(run).rejects.toThrow('cancelled by the test');
    expect(rounds).toBeGreaterThanOrEqual(3);
  });

  it('rejects with the error the job threw', async () => {
    await expect(runInThread({ kind: 'margins', modelJson: '{"not":"a model"}', x: new Float32Array(2), n: 1, numThreads: 1 })).rejects.toThrow();
  });
});
