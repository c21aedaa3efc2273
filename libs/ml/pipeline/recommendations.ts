import type { RecommendationQuality } from '../../domain/model-version';
import type { RecommendationDefinition } from '../../domain/prediction';
import type { RecommendedItem } from '../../domain/prediction-outputs';
import { evaluateRecommender, fitRecommender, recommendAll, RecommenderModel, ShopperHistory } from '../recommend';
import { scoreCategory } from '../scores';
import { UserScore } from './score';

/** Lists judged at this length (precision, recall and NDCG@10, as the literature reports them). */
export const RECOMMENDATION_K = 10;

/**
 * Recommendations as a prediction: judged on the last `holdoutDays` of purchases against popularity,
 * then fitted on every purchase before now. The histories passed here carry the default fields
 * (productId, category), as purchaseHistories rebuilds them.
 */
export function trainRecommendations(histories: readonly ShopperHistory[], now: number, def: RecommendationDefinition): { model: RecommenderModel; quality: RecommendationQuality } {
  const e = evaluateRecommender(histories, now, { holdoutDays: def.holdoutDays, k: RECOMMENDATION_K, excludePurchased: def.excludePurchased });
  if (e.customers === 0) throw new RangeError(`recommendation evaluation: no customer bought a product new to them in the last ${def.holdoutDays} days`);
  const model = fitRecommender(histories, now);
  return {
    model,
    quality: { kind: 'recommendation', k: RECOMMENDATION_K, holdoutDays: def.holdoutDays, customers: e.customers, products: e.products, ours: e.ours, popularity: e.popularity },
  };
}

/** The model as stored with its version (typed arrays as plain arrays). */
export function serializeRecommender(model: RecommenderModel): string {
  return JSON.stringify({ ...model, kind: 'recommendation', buyers: [...model.buyers], prior: [...model.prior], start: [...model.start], neighbour: [...model.neighbour], similarity: [...model.similarity] });
}

export function parseRecommender(json: string): RecommenderModel {
  const m = JSON.parse(json) as RecommenderModel & { kind: string };
  return {
    products: m.products,
    categories: m.categories,
    buyers: Int32Array.from(m.buyers),
    prior: Float64Array.from(m.prior),
    start: Int32Array.from(m.start),
    neighbour: Int32Array.from(m.neighbour),
    similarity: Float64Array.from(m.similarity),
    popularityWeight: m.popularityWeight,
    fields: m.fields,
  };
}

/** A user's recommendations: the 0-100 score and probability are the top product's share of the user's affinity. */
export interface RecommendationUserScore extends UserScore {
  userId: string;
  items: RecommendedItem[];
}

/** Every user among `histories` (those without purchases get the popular products), from purchases before `asOf`. */
export function recommendForUsers(model: RecommenderModel, histories: readonly ShopperHistory[], asOf: number, def: RecommendationDefinition): RecommendationUserScore[] {
  const fields = { purchaseEventType: def.purchaseEventType, productProperty: def.productProperty, categoryProperty: def.categoryProperty };
  const lists = recommendAll({ ...model, fields }, histories, asOf, { n: def.topN, excludePurchased: def.excludePurchased, exclude: def.exclude });
  return lists.map((r) => {
    const probability = r.items[0]?.score ?? 0;
    const score = Math.round(100 * probability);
    return { userId: r.userId, probability, score, category: scoreCategory(score), items: r.items.map((i) => ({ p: i.productId, c: i.category, s: i.score })) };
  });
}
