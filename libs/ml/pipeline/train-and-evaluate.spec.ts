import { ModelParams } from '../../domain/prediction';
import { parseModel } from '../gbdt';
import { SplitMix64 } from '../random/splitmix64';
import { calibrate } from '../scores';
import { TrainingProgress, trainAndEvaluate } from './train-and-evaluate';

const NAMES = ['signal', 'x1', 'x2', 'noise', 'plan'];

/** Feature 0 drives the outcome, 1 and 2 interact, 3 is noise, 4 is a 4-level categorical. */
function table(n: number, seed: number) {
  const rng = new SplitMix64(seed);
  const x = new Float32Array(n * NAMES.length);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) x[j * n + i] = 2 * rng.nextDouble() - 1;
    x[4 * n + i] = Math.floor(rng.nextDouble() * 4);
    const f = 3 * x[i] - 1.5 * x[n + i] * x[2 * n + i];
    y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-2 * f)) ? 1 : 0;
  }
  return { x, y, n, featureNames: NAMES, categorical: [4] };
}

const FAST: ModelParams = { rounds: 30, learningRate: 0.2, seed: 4 };

describe('trainAndEvaluate', () => {
  const data = table(1000, 1);
  let positives = 0;
  for (const v of data.y) positives += v;

  it('holds out a stratified share and evaluates on it', () => {
    const r = trainAndEvaluate({ ...data, modelParams: { ...FAST, holdoutShare: 0.25 } });
    const m = r.metrics;
    expect(m.holdoutRows + m.trainRows).toBe(1000);
    expect(m.holdoutRows).toBeCloseTo(250, -1);
    expect(m.holdoutPositives + m.trainPositives).toBe(positives);
    // Stratified: the holdout's positive rate is the table's, to within one user per fold.
    expect(Math.abs(m.holdoutPositives / m.holdoutRows - positives / 1000)).toBeLessThan(0.01);
    expect(m.auc).toBeGreaterThan(0.8);
    expect(m.prAuc).toBeGreaterThan(0.7);
    expect(m.logLoss).toBeGreaterThan(0);
    expect(m.logLoss).toBeLessThan(Math.log(2));
    expect(['Good', 'Excellent']).toContain(m.grade);
    expect(m.calibration).toHaveLength(10);
    expect(m.calibration.reduce((s, b) => s + b.count, 0)).toBe(m.holdoutRows);
    expect(r.thresholds.map((t) => t.cut)).toEqual(Array.from({ length: 101 }, (_, s) => s));
    expect(r.thresholds[0]).toMatchObject({ audienceCount: m.holdoutRows, recall: 1 });
  });

  it('ranks the importance shares, the informative feature first, and keeps the parameters', () => {
    const r = trainAndEvaluate({ ...data, modelParams: FAST });
    expect(r.importance[0].name).toBe('signal');
    expect(r.importance.reduce((s, f) => s + f.share, 0)).toBeCloseTo(1, 10);
    expect(r.params).toMatchObject({ rounds: 30, learningRate: 0.2, seed: 4, recipe: false });
    expect(r.model.trees).toHaveLength(30);
    expect(parseModel(r.modelJson)).toEqual(parseModel(JSON.stringify(r.model)));
  });

  it('fits the Platt calibration on the holdout margins, so the mean probability matches the holdout rate', () => {
    const r = trainAndEvaluate({ ...data, modelParams: FAST });
    expect(r.calibrator.method).toBe('platt');
    const binned = r.metrics.calibration.filter((b) => b.count > 0);
    const meanPredicted = binned.reduce((s, b) => s + b.count * b.meanPredicted!, 0) / r.metrics.holdoutRows;
    // Platt's smoothed targets pull slightly towards 1/2; the fit is otherwise unbiased.
    expect(meanPredicted).toBeCloseTo(r.metrics.holdoutPositives / r.metrics.holdoutRows, 2);
    expect(calibrate(r.calibrator, 10)).toBeGreaterThan(calibrate(r.calibrator, -10));
  });

  it('early-stops custom parameters on an inner split of the training rows', () => {
    const r = trainAndEvaluate({ ...data, modelParams: { rounds: 2000, learningRate: 0.3, earlyStoppingRounds: 5 } });
    expect(r.model.trees.length).toBeLessThan(2000);
    expect(r.params).toMatchObject({ earlyStoppingRounds: 5, recipe: false });
  });

  it('uses the training recipe when only the seed and holdout share are given, deterministically', () => {
    const small = table(400, 2);
    const a = trainAndEvaluate({ ...small, modelParams: { seed: 1 } });
    expect(a.params.recipe).toBe(true);
    expect(a.metrics.auc).toBeGreaterThan(0.75);
    expect(trainAndEvaluate({ ...small, modelParams: { seed: 1 } }).modelJson).toBe(a.modelJson);
    expect(trainAndEvaluate({ ...small, modelParams: { seed: 2 } }).modelJson).not.toBe(a.modelJson);
  });

  it('reports every round, then the evaluation', () => {
    const seen: TrainingProgress[] = [];
    trainAndEvaluate({ ...data, modelParams: FAST, onProgress: (p) => seen.push(p) });
    expect(seen).toHaveLength(31);
    expect(seen[0]).toMatchObject({ step: 'training', round: 0 });
    expect(seen[29]).toMatchObject({ step: 'training', round: 29 });
    expect(seen[30]).toEqual({ step: 'evaluating' });
  });
});
