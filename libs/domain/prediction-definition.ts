/**
 * What a prediction forecasts. `clv` is a value (not yes/no) and has no binary label rule.
 * `subscription_churn`: a user with a running subscription cancels it or does not renew it within the
 * window (from subscription_start / _renew / _cancel events; see libs/ml/datasets/subscription-status.ts).
 */
export type PredictionType = 'churn' | 'purchase' | 'engagement' | 'unsubscribe' | 'clv' | 'subscription_churn';

export interface PredictionDefinition {
  type: PredictionType;
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
