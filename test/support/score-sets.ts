import mongoose from 'mongoose';
import { slotGroup, userSlot } from '../../libs/domain/user-slots';
import { predictionDoc } from './prediction-doc';

/**
 * A complete score set written straight to the store, as a finished rescore leaves it: its document in
 * `score_sets` (percentile cut points included) and its own scores collection. A later `asOf` makes it
 * the active set. For tests of what reads scores, without training a model.
 */
export async function writeScoreSet(db: mongoose.Connection, predictionId: string, asOf: number, scores: ReadonlyMap<string, number>): Promise<string> {
  const key = `v1@${new Date(asOf).toISOString()}`;
  const collectionName = `scores_${predictionId}_v1_${asOf}`;
  const docs = [...scores].map(([userId, score]) => {
    const slot = userSlot(userId);
    return { _id: userId, s: slot, g: slotGroup(slot), score, probability: score / 100, category: score < 33 ? 'Low' : score < 66 ? 'Medium' : 'High' };
  });
  if (docs.length > 0) await db.collection(collectionName).insertMany(docs as never[]);
  const probs = docs.map((d) => d.probability).sort((a, b) => a - b);
  const percentiles = Array.from({ length: 101 }, (_, k) => probs[Math.floor((k / 100) * (probs.length - 1))] ?? 0);
  await db.collection('score_sets').insertOne({
    _id: `${predictionId}:${key}` as never,
    predictionId,
    key,
    modelVersion: 1,
    asOf: new Date(asOf),
    collectionName,
    state: 'complete',
    createdAt: new Date(asOf),
    completedAt: new Date(asOf),
    users: docs.length,
    percentiles,
  });
  return key;
}

/** An active prediction as the API stores it (segments may read only active ones). */
export async function activePrediction(db: mongoose.Connection, predictionId: string): Promise<void> {
  await db.collection('predictions').insertOne(predictionDoc(predictionId, { name: `Churn (${predictionId})`, type: 'churn', definition: { windowDays: 30 }, modelParams: {}, activeModelVersion: 1 }) as never);
}
