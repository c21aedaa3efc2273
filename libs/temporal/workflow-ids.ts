/**
 * Workflow IDs say what a run is and make duplicates impossible: starting the same work twice
 * hits the same ID, which Temporal refuses while the first run is open.
 */
export const workflowIds = {
  importEvents: (fileHash: string) => `import/${fileHash}`,
  retrain: (predictionId: string, cutoffIso: string) => `retrain/${predictionId}/${cutoffIso}`,
  rescore: (predictionId: string, modelVersion: number) => `rescore/${predictionId}/v${modelVersion}`,
} as const;
