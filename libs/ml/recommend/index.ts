export { ProductIndex, purchaseBaskets, type PurchaseFields, type ShopperHistory } from './purchase-baskets';
export {
  fitRecommender,
  recommendTop,
  recommendAll,
  RecommendScratch,
  type RecommenderModel,
  type RecommenderOptions,
  type Recommendation,
  type RecommendOptions,
  type UserRecommendations,
} from './item-recommender';
export { evaluateRecommender, rankingQuality, type RankingQuality, type RecommenderEvaluation, type RecommenderEvaluationOptions } from './recommender-evaluation';
