import type { CalibrationBin } from '../../domain/model-version';
import { checkProbabilityInputs } from './binary-inputs';

/** Reliability diagram data: equal-width probability bins, all of them, empty ones included. */
export function calibrationTable(labels: ArrayLike<number>, probs: ArrayLike<number>, bins = 10): CalibrationBin[] {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`calibrationTable: bins must be a positive integer, got ${bins}`);
  checkProbabilityInputs('calibrationTable', labels, probs);
  const count = new Float64Array(bins);
  const sumPredicted = new Float64Array(bins);
  const sumObserved = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const b = Math.min(Math.floor(probs[i] * bins), bins - 1);
    count[b]++;
    sumPredicted[b] += probs[i];
    sumObserved[b] += labels[i];
  }
  return Array.from({ length: bins }, (_, b) => ({
    bin: b,
    lower: b / bins,
    upper: (b + 1) / bins,
    count: count[b],
    meanPredicted: count[b] > 0 ? sumPredicted[b] / count[b] : null,
    observedRate: count[b] > 0 ? sumObserved[b] / count[b] : null,
  }));
}
