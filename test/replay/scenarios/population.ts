import { PredictionDoc } from '../../../libs/persistence/prediction.schema';
import { seedPopulation } from '../../../scripts/population-seeder';
import { ScenarioContext } from '../scenario';

/** The population's clock and the retrains' as-of time, fixed so every recording trains on the same data. */
export const AS_OF = Date.UTC(2026, 10, 30);
/** Small, fast model settings: a recording trains in seconds. */
const FAST = { rounds: 60, learningRate: 0.15, maxDepth: 3, maxLeaves: 8 };

/** The simulated users the prediction scenarios train and score on (seeded once per recording). */
export async function population(ctx: ScenarioContext): Promise<void> {
  await seedPopulation(ctx.db, { users: 3000, historyDays: 120, seed: 11, now: AS_OF });
}

/** A purchase prediction stored as the API stores it. */
export async function storePrediction(ctx: ScenarioContext, id: string, qualityGate: PredictionDoc['qualityGate'] = {}): Promise<void> {
  const now = new Date();
  await ctx.db.collection('predictions').deleteOne({ _id: id as never });
  await ctx.db.collection('predictions').insertOne({
    _id: id as never,
    name: `Purchase (${id})`,
    type: 'purchase',
    definition: { windowDays: 7 },
    audience: {},
    modelParams: FAST,
    qualityGate,
    retrainCadence: { every: 'weekly', dayOfWeek: 'monday', at: '03:00', timezone: 'UTC' },
    rescoreCadence: { every: 'daily', at: '05:00', timezone: 'UTC' },
    status: 'active',
    archived: false,
    activeModelVersion: null,
    createdAt: now,
    updatedAt: now,
  });
}
