import { patched, workflowInfo, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import { controlQueue } from '../libs/temporal/control-queue';

/**
 * Failure types that mean bad input or a state retrying cannot change (a deleted prediction, a file
 * gone, data that cannot train a model): the activity fails at once and the workflow says why.
 * Activities throw them as ApplicationFailure.nonRetryable; listing them here also stops a retry
 * when one is thrown as a plain (retryable) ApplicationFailure.
 */
export const NON_RETRYABLE_TYPES = [
  'BadImportFile',
  'ImportFileGone',
  'BadImportInput',
  'BadPrediction',
  'DegenerateTrainingData',
  'MissingTrainingSet',
  'PredictionNotFound',
  'NoActiveModel',
  'NoSuchModel',
  'NoSuchScoreSet',
  'NoSuchSegmentRevision',
] as const;

/**
 * Every other failure is taken for a dependency that is down (the store, Temporal, a full disk) and
 * retried with backoff up to 30 s between attempts, for at least OUTAGE_RIDDEN_OUT_SECONDS of waiting:
 * a database restart or failover of several minutes delays the work, it does not fail it.
 */
export const IO_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 20,
  nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
};

/** The waiting IO_RETRY spreads over its attempts (attempt durations come on top): 7.5 minutes. */
export const OUTAGE_RIDDEN_OUT_SECONDS = 5 * 60;

/** Options by kind of work; every workflow takes its activities' options from here. */
export const activityOptions = {
  /** Single-document reads and writes. */
  quick: { startToCloseTimeout: '1 minute', retry: IO_RETRY },
  /** Reads or writes in batches for up to minutes, heartbeating as they go. */
  batch: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: IO_RETRY },
  /**
   * A chunk of an import: heartbeats its byte offset after every batch, so a killed worker is noticed
   * within seconds and the chunk resumes elsewhere from there.
   */
  importChunk: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '10 seconds', retry: IO_RETRY },
  /** One rescore partition, slot by slot, heartbeating the next slot to do. */
  scorePartition: { startToCloseTimeout: '2 hours', heartbeatTimeout: '30 seconds', retry: IO_RETRY },
  /** One segment evaluation partition, group by group, heartbeating the groups settled. */
  segmentPartition: { startToCloseTimeout: '1 hour', heartbeatTimeout: '1 minute', retry: IO_RETRY },
  /** CPU-bound training, heartbeating its round. */
  training: { startToCloseTimeout: '2 hours', heartbeatTimeout: '2 minutes', retry: IO_RETRY },
} satisfies Record<string, ActivityOptions>;

/**
 * `options` on the workflow's control queue (libs/temporal/control-queue.ts): for the steps around
 * heavy work (plans, gates, promotions, finishing, bookkeeping), which then no longer wait for a slot
 * behind trainings and population passes. Only in a workflow function; runs that started before the
 * control queue keep these steps on their own queue.
 */
export function onControlQueue(options: ActivityOptions): ActivityOptions {
  return patched('control-queue') ? { ...options, taskQueue: controlQueue(workflowInfo().taskQueue) } : options;
}
