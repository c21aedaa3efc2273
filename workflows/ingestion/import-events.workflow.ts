import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ImportEventsActivities } from '../../activities/ingestion/import-events.activities';
import { addCounts, IMPORT_CHUNKS_PER_RUN, ImportEventsInput, ImportEventsResult, ImportProgress, zeroCounts } from '../../libs/domain/import';
import { activityOptions, onControlQueue } from '../activity-options';

export const importProgressQuery = defineQuery<ImportProgress>('importProgress');

const { importChunk } = proxyActivities<ImportEventsActivities>(activityOptions.importChunk);

/**
 * Imports an event file: reads it chunk by chunk (each chunk an activity that heartbeats its byte
 * offset), reports malformed lines while importing the rest, and continues as new for long files.
 */
export async function importEvents(input: ImportEventsInput): Promise<ImportEventsResult> {
  const { sampleIssues } = proxyActivities<ImportEventsActivities>(onControlQueue(activityOptions.quick));
  const chunksPerRun = input.chunksPerRun ?? IMPORT_CHUNKS_PER_RUN;
  if (input.linesPerActivity < 1 || input.batchSize < 1 || chunksPerRun < 1) {
    throw ApplicationFailure.nonRetryable('linesPerActivity, batchSize and chunksPerRun must be at least 1', 'BadImportInput');
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
    if (chunks >= chunksPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof importEvents>({ ...input, resume: { offset, line, counts, startedAt } });
    }
    setCurrentDetails(describe(progress()));
    let chunk;
    try {
      chunk = await importChunk({
        importId: input.importId,
        path: input.path,
        spec: input.spec,
        offset,
        line,
        maxLines: input.linesPerActivity,
        batchSize: input.batchSize,
      });
    } catch (err) {
      // The import fails with the chunk's own reason (e.g. the file is gone), so its status says why.
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      const reason = cause instanceof ApplicationFailure ? cause : null;
      setCurrentDetails(`**Failed** ${input.fileName} at line ${line + 1}: ${reason?.message ?? (err as Error).message}`);
      if (reason?.nonRetryable) throw ApplicationFailure.nonRetryable(reason.message, reason.type ?? 'ImportFailed', { line, offset, counts });
      throw err;
    }
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
