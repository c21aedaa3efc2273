import { PredictionDoc } from '../../libs/persistence/prediction.schema';

/** Small, fast model settings: a test retrain trains in seconds. */
export const FAST_MODEL = { rounds: 60, learningRate: 0.15, maxDepth: 3, maxLeaves: 8 };

/**
 * A prediction as the API stores it, for tests that insert one directly: a purchase prediction by
 * default, with no active model, on the default cadences; `fields` overrides any of it.
 */
export function predictionDoc(id: string, fields: Partial<Omit<PredictionDoc, '_id'>> = {}): Record<string, unknown> {
  const now = new Date();
  return {
    _id: id,
    name: `${fields.type ?? 'purchase'} (${id})`,
    type: 'purchase',
    definition: { windowDays: 7 },
    audience: {},
    modelParams: FAST_MODEL,
    qualityGate: {},
    retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' },
    rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
    status: 'active',
    archived: false,
    activeModelVersion: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}
