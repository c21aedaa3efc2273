/** Inputs, outputs and progress of the prediction workflows (shared by workflows, activities, API). */
import type { SlotPartition } from './user-slots';

export interface RetrainInput {
  predictionId: string;
  /** Who asked: the schedule, the API ("run now") or a test. */
  trigger: 'schedule' | 'api' | 'test';
  /** The deployment's TASK_QUEUE_PREFIX: the rescore a promotion starts gets an ID in the same scope. */
  scope?: string;
  /** Start rescoring after a promotion (default true). */
  rescore?: boolean;
  /** Most users per rescore partition (default RESCORE_PARTITION_USERS). */
  partitionUsers?: number;
  /** Partitions the rescore after a promotion works on at once (RescoreInput.parallelism). */
  rescoreParallelism?: number;
  /**
   * Labels observed up to this time (ms since the epoch) instead of the workflow's clock: a backtest
   * as of a past day, or a test that pins its data to a fixed date.
   */
  asOf?: number;
  /**
   * Heartbeat timeout of the training step in ms (default 2 minutes): how soon a lost worker's
   * training is handed to another. A test shortens it to show that a training outlasting it is not retried.
   */
  trainingHeartbeatTimeoutMs?: number;
}

export interface RetrainResult {
  predictionId: string;
  retrainId: string;
  version: number;
  promoted: boolean;
  reasons: string[];
  /** Yes/no models; null for lifetime value and recommendations (see `quality`). */
  auc: number | null;
  liftQuality: number | null;
  /** Lift quality grade (yes/no), Dynamics 365's A/B/C (lifetime value), or better/worse than popularity (recommendations). */
  grade: string;
  /** The candidate's quality in words, next to its baseline where it has one. */
  quality: string;
  activeVersion: number | null;
  rescoreWorkflowId: string | null;
}

/** Users per rescore partition unless told otherwise: one activity's work and memory stay bounded at any user count. */
export const RESCORE_PARTITION_USERS = 50_000;

/** Partitions completed per rescore run before continuing as new: history stays bounded for any user count. */
export const RESCORE_PARTITIONS_PER_RUN = 50;

/** The slots one rescore activity scores. */
export type RescorePartition = SlotPartition;

export interface RescoreStats {
  users: number;
  scored: number;
  inserted: number;
  readMs: number;
  predictMs: number;
  writeMs: number;
}

export const zeroRescoreStats = (): RescoreStats => ({ users: 0, scored: 0, inserted: 0, readMs: 0, predictMs: 0, writeMs: 0 });
export const addRescoreStats = (a: RescoreStats, b: RescoreStats): RescoreStats => ({
  users: a.users + b.users,
  scored: a.scored + b.scored,
  inserted: a.inserted + b.inserted,
  readMs: a.readMs + b.readMs,
  predictMs: a.predictMs + b.predictMs,
  writeMs: a.writeMs + b.writeMs,
});

export interface RescoreInput {
  predictionId: string;
  /** The version to score with; absent = the prediction's active model (scheduled rescores). */
  modelVersion?: number;
  /** Most users per partition (default RESCORE_PARTITION_USERS); each partition is one activity. */
  partitionUsers?: number;
  /** Partition activities running at once (default 4): more worker processes, more of them truly parallel. */
  parallelism?: number;
  /** Partitions scored per run before continuing as new (default RESCORE_PARTITIONS_PER_RUN). */
  partitionsPerRun?: number;
  /** Carried over continueAsNew. */
  resume?: RescoreResume;
}

export interface RescoreResume {
  plan: RescorePlan;
  next: number;
  stats: RescoreStats;
  startedAt: number;
}

export interface RescorePlan {
  modelVersion: number;
  scoreSet: string;
  asOf: number;
  partitions: RescorePartition[];
  /** Estimated before scoring; the result gives the exact count. */
  totalUsers: number;
}

export interface RescoreProgress {
  predictionId: string;
  modelVersion: number | null;
  scoreSet: string | null;
  partitionsDone: number;
  partitionsTotal: number;
  usersDone: number;
  usersTotal: number;
  usersPerSecond: number;
  etaSeconds: number | null;
  step: string;
}

export interface RescoreResult {
  predictionId: string;
  modelVersion: number;
  scoreSet: string;
  users: number;
  scored: number;
  seconds: number;
  usersPerSecond: number;
  stats: RescoreStats;
  categories: { Low: number; Medium: number; High: number };
  superseded: boolean;
}
