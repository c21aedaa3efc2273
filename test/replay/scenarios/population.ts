import { PredictionDoc } from '../../../libs/persistence/prediction.schema';
import { seedPopulation } from '../../../scripts/population-seeder';
import { predictionDoc } from '../../support/prediction-doc';
import { ScenarioContext } from '../scenario';

/** The population's clock and the retrains' as-of time, fixed so every recording trains on the same data. */
export const AS_OF = Date.UTC(2026, 10, 30);

/** The simulated users the prediction scenarios train and score on (seeded once per recording). */
export async function population(ctx: ScenarioContext): Promise<void> {
  await seedPopulation(ctx.db, { users: 3000, historyDays: 120, seed: 11, now: AS_OF });
}

/** A purchase prediction stored as the API stores it. */
export async function storePrediction(ctx: ScenarioContext, id: string, qualityGate: PredictionDoc['qualityGate'] = {}): Promise<void> {
  await ctx.db.collection('predictions').deleteOne({ _id: id as never });
  await ctx.db.collection('predictions').insertOne(predictionDoc(id, { name: `Purchase (${id})`, qualityGate }) as never);
}
