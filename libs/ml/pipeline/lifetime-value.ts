import type { ClvQuality } from '../../domain/model-version';
import type { ClvDefinition } from '../../domain/prediction';
import type { ClvOutput } from '../../domain/prediction-outputs';
import { ClvModel, clvScores, ClvSpend, evaluateClv, fitClvModel, PurchaseHistory } from '../clv';
import { percentileCutPoints, percentileRank } from '../scores';
import { UserScore } from './score';

/**
 * Lifetime value as a prediction: judged on a holdout as Dynamics 365 grades it, with the spend model
 * (Gamma-Gamma, or the customer's own mean) that finds more of the holdout's top customers (ties: the
 * Gamma-Gamma of the literature), then fitted on every purchase before now and stored with the value
 * distribution of that day's customers, so every rescore partition gives the same percentile and tier
 * for the same value.
 */
export interface StoredClvModel {
  kind: 'clv';
  model: ClvModel;
  /** 101 cut points of the customers' expected values at training (percentiles and tiers). */
  valueCutPoints: number[];
  horizonDays: number;
  highShare: number;
  mediumShare: number;
  purchaseEventType: string;
  /** The spend model that ranked the holdout's top customers better (clv-model.ts, ClvOptions.spend). */
  spend: ClvSpend;
}

export function trainLifetimeValue(histories: readonly PurchaseHistory[], now: number, def: ClvDefinition): { model: StoredClvModel; quality: ClvQuality } {
  const base = { horizonDays: def.horizonDays, purchaseEventType: def.purchaseEventType, highShare: def.highShare, mediumShare: def.mediumShare };
  const candidates = (['gamma-gamma', 'own-mean'] as const).map((spend) => ({ spend, e: evaluateClv(histories, now, { ...base, spend }) }));
  const { spend, e } = candidates[1].e.hitRate > candidates[0].e.hitRate ? candidates[1] : candidates[0];
  const options = { ...base, spend };
  const model = fitClvModel(histories, now, options);
  const values = clvScores(model, histories, now, options).map((s) => s.expectedValue);
  return {
    model: {
      kind: 'clv',
      model,
      valueCutPoints: percentileCutPoints(values),
      horizonDays: def.horizonDays,
      highShare: def.highShare,
      mediumShare: def.mediumShare,
      purchaseEventType: def.purchaseEventType ?? 'purchase',
      spend,
    },
    quality: {
      kind: 'clv',
      grade: e.grade,
      hitRate: e.hitRate,
      baselineHitRate: e.baselineHitRate,
      topShare: e.topShare,
      actualTop: e.actualTop,
      customers: e.customers,
      holdoutDays: e.holdoutDays,
      mae: e.mae,
      rmse: e.rmse,
      predictedValue: e.predictedValue,
      actualValue: e.actualValue,
      predictedPurchases: e.predictedPurchases,
      actualPurchases: e.actualPurchases,
    },
  };
}

/** A customer's scored lifetime value: the 0-100 score is the value percentile, the category follows the tier, the probability is P(alive). */
export interface ClvUserScore extends UserScore {
  userId: string;
  clv: ClvOutput;
}

const CATEGORY = { high: 'High', medium: 'Medium', low: 'Low' } as const;

/** Every customer among `histories` as of `asOf` (users without a purchase before it are not scored). */
export function scoreLifetimeValue(stored: StoredClvModel, histories: readonly PurchaseHistory[], asOf: number): ClvUserScore[] {
  const scores = clvScores(stored.model, histories, asOf, { horizonDays: stored.horizonDays, purchaseEventType: stored.purchaseEventType, spend: stored.spend });
  return scores.map((s) => {
    const valuePercentile = percentileRank(stored.valueCutPoints, s.expectedValue);
    const tier = valuePercentile >= 100 * (1 - stored.highShare) ? 'high' : valuePercentile >= 100 * (1 - stored.highShare - stored.mediumShare) ? 'medium' : 'low';
    return {
      userId: s.userId,
      probability: s.probabilityAlive,
      score: valuePercentile,
      category: CATEGORY[tier],
      clv: {
        expectedValue: s.expectedValue,
        expectedPurchases: s.expectedPurchases,
        probabilityAlive: s.probabilityAlive,
        valuePercentile,
        tier,
        expectedNextPurchaseAt: s.expectedNextPurchaseAt,
        averageDaysBetweenPurchases: s.averageDaysBetweenPurchases,
        purchases: s.purchases,
      },
    };
  });
}
