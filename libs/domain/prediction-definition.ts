/** What a prediction forecasts. `clv` is a value (not yes/no) and has no binary label rule yet. */
export type PredictionType = 'churn' | 'purchase' | 'engagement' | 'unsubscribe' | 'clv';

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
