import type { SlotPartition } from './user-slots';

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

/** Most users one optimizeSendTimes activity handles (slot partitions, as rescoring cuts them). */
export const SEND_TIME_PARTITION_USERS = 50_000;

/** The population prior of a run as plain numbers (it travels in the workflow's history, ~5 KB). */
export interface SendTimePriorData {
  cellShare: number[];
  hourShare: number[];
  hourConcentration: number;
  weekdayConcentration: number;
  users: number;
}

export interface SendTimePlan {
  /** The moment every profile of the run is computed at (epoch ms). */
  computedAt: number;
  totalUsers: number;
  /** Users the prior was fitted on (a sample of slots when the population is large). */
  priorSampleUsers: number;
  prior: SendTimePriorData;
  partitions: SlotPartition[];
}

export interface OptimizeSendTimesInput {
  partitionUsers?: number;
  parallelism?: number;
  /** Partitions per run before continuing as new (default 50). */
  partitionsPerRun?: number;
  /** Set by continue-as-new: where the run stands. */
  resume?: { plan: SendTimePlan; next: number; profiles: number; startedAt: number };
}

export interface OptimizeSendTimesResult {
  users: number;
  profiles: number;
  partitions: number;
  priorSampleUsers: number;
  seconds: number;
}
