import { UserHistory } from '../../domain/event';
import { eventsBefore } from '../features/cutoff-slices';
import { FeatureContext } from '../features/feature-definition';
import { FeatureSchema, resolveFeatures } from '../features/feature-schema';
import { HistorySummary } from '../features/history-summary';

export interface FeatureMatrix {
  /** Column-major: feature j of row i at j*n + i; NaN for missing. */
  X: Float32Array;
  n: number;
  p: number;
}

/**
 * Features of every user as seen at the cutoff. Each user's pre-cutoff events are summarised in one
 * pass and every feature reads that summary, so the cost is one scan of the history per user.
 */
export function buildFeatureMatrix(histories: readonly UserHistory[], cutoff: number, schema: FeatureSchema): FeatureMatrix {
  const features = resolveFeatures(schema);
  const n = histories.length;
  const p = features.length;
  const X = new Float32Array(n * p);
  for (let i = 0; i < n; i++) {
    const h = histories[i];
    const events = eventsBefore(h.events, cutoff);
    const ctx: FeatureContext = {
      cutoff,
      events,
      summary: new HistorySummary(events, cutoff),
      attributes: h.attributes,
      createdAt: h.createdAt !== undefined && h.createdAt < cutoff ? h.createdAt : undefined,
    };
    for (let j = 0; j < p; j++) X[j * n + i] = features[j].compute(ctx);
  }
  return { X, n, p };
}
