/**
 * A user's send-time profile as stored on the user (recomputed by the scheduled
 * optimizeSendTimes workflow). Times are local to the user's time zone; weekday 0 = Sunday.
 */
export interface StoredSendTimeProfile {
  /**
   * Relative engagement in each week cell (weekday * 24 + hour), 168 bytes scaled so the busiest
   * cell is 255, base64-encoded: small on every user, and all a ranking of hours needs.
   */
  weekHours: string;
  bestHour: number;
  /** Best hour on each weekday (differs by weekday only where the user's events support it). */
  bestHourByWeekday: number[];
  /** Share of the estimate that comes from the user's own events (0: the population's times). */
  confidence: number;
  /** Engagement events behind it. */
  events: number;
  /** Epoch ms. */
  computedAt: number;
}
