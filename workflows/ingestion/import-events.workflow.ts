import {
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ImportEventsActivities } from '../../activities/ingestion/import-events.activities';
import { addCounts, ImportEventsInput, ImportEventsResult, ImportProgress, zeroCounts } from '../../libs/domain/import';

export const importProgressQuery = defineQuery<ImportProgress>('importProgress');

const { importChunk, sampleIssues } = proxyActivities<ImportEventsActivities>({
  startToCloseTimeout: '30 minutes',
  // A killed worker is noticed within a heartbeat timeout, and the chunk resumes elsewhere.
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['BadImportFile'] },
});

/** Keeps each run's history small for files of any size. */
const MAX_CHUNKS_PER_RUN = 200;

/**
 * Imports an event file: reads it chunk by chunk (each chunk an activity that heartbeats its byte
 * offset), reports malformed lines while importing the rest, and continues as new for long files.
 */
export async function importEvents(input: ImportEventsInput): Promise<ImportEventsResult> {
  if (input.linesPerActivity < 1 || input.batchSize < 1) {
    throw ApplicationFailure.nonRetryable('linesPerActivity and batchSize must be at least 1', 'BadImportInput');
  }
  const startedAt = input.resume?.startedAt ?? Date.now();
  let offset = input.resume?.offset ?? 0;
  let line = input.resume?.line ?? 0;
  let counts = input.resume?.counts ?? zeroCounts();
  let done = false;

  const progress = (): ImportProgress => ({
    importId: input.importId,
    fileName: input.fileName,
    bytesDone: offset,
    bytesTotal: input.fileBytes,
    linesRead: line,
    counts,
    done,
  });
  setHandler(importProgressQuery, progress);

  for (let chunks = 0; !done; chunks++) {
    if (chunks >= MAX_CHUNKS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof importEvents>({ ...input, resume: { offset, line, counts, startedAt } });
    }
    setCurrentDetails(describe(progress()));
    const chunk = await importChunk({
      importId: input.importId,
      path: input.path,
      spec: input.spec,
      offset,
      line,
      maxLines: input.linesPerActivity,
      batchSize: input.batchSize,
    });
    offset = chunk.offset;
    line = chunk.line;
    counts = addCounts(counts, chunk.counts);
    done = chunk.eof;
  }
  setCurrentDetails(describe(progress()));
  const issues = counts.malformed > 0 ? await sampleIssues(input.importId, 20) : [];
  return { ...progress(), sampleIssues: issues, seconds: (Date.now() - startedAt) / 1000 };
}

function describe(p: ImportProgress): string {
  const pct = p.bytesTotal ? Math.round((100 * p.bytesDone) / p.bytesTotal) : 100;
  return (
    `**${p.done ? 'Done' : 'Importing'}** ${p.fileName}: ${pct}% of ${p.bytesTotal} bytes, ` +
    `${p.counts.rows} rows (${p.counts.inserted} new, ${p.counts.duplicates} already stored), ${p.counts.malformed} malformed`
  );
}
