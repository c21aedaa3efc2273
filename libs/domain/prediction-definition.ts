/**
 * What a prediction forecasts. `clv` (a value over a horizon) and `recommendation` (the products a
 * user is likely to buy next) are not yes/no and have no binary label rule.
 * `subscription_churn`: a user with a running subscription cancels it or does not renew it within the
 * window (from subscription_start / _renew / _cancel events; see libs/ml/datasets/subscription-status.ts).
 */
export type PredictionType = 'churn' | 'purchase' | 'engagement' | 'unsubscribe' | 'clv' | 'subscription_churn' | 'recommendation';

/** Which model family a type trains: a yes/no classifier, a lifetime-value model or a recommender. */
export type ModelKind = 'binary' | 'clv' | 'recommendation';

export function modelKind(type: PredictionType): ModelKind {
  return type === 'clv' || type === 'recommendation' ? type : 'binary';
}

/** The definition of a yes/no prediction, as labels and features read it. */
export interface PredictionDefinition {
  type: Exclude<PredictionType, 'clv' | 'recommendation'>;
  /**
   * Days after the cutoff the outcome is observed over (churn, purchase), or within which the next
   * email send must fall (engagement, unsubscribe). At most 60.
   */
  windowDays: number;
  /** Churn: the actions that count as activity. Default: session, purchase. */
  qualifyingEventTypes?: string[];
  /** Purchase: the event type that counts as a purchase. Default: purchase. */
  purchaseEventType?: string;
}
