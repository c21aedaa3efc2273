/**
 * Workflow IDs say what a run is and make duplicates impossible: starting the same work twice
 * hits the same ID, which Temporal refuses while the first run is open.
 */
export const workflowIds = {
  importEvents: (fileHash: string) => `import/${fileHash}`,
  retrain: (predictionId: string, cutoffIso: string) => `retrain/${predictionId}/${cutoffIso}`,
  rescore: (predictionId: string, modelVersion: number) => `rescore/${predictionId}/v${modelVersion}`,
  /** Runs of the send-time schedule (Temporal appends the scheduled time), or one started by hand. */
  optimizeSendTimes: () => 'send-times/optimize',
  /** The one schedule of optimizeSendTimes per deployment. */
  optimizeSendTimesSchedule: () => 'send-times',
} as const;

/**
 * Workflow IDs are unique per namespace. A deployment that shares a namespace with others (test
 * runs, tenants) sets TASK_QUEUE_PREFIX, and its IDs carry the same prefix so they never collide.
 */
export function scopedWorkflowId(cfg: { TASK_QUEUE_PREFIX: string }, id: string): string {
  return cfg.TASK_QUEUE_PREFIX ? `${cfg.TASK_QUEUE_PREFIX}/${id}` : id;
}
