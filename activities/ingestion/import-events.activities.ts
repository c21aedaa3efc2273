import { basename } from 'path';
import { Inject, Injectable } from '@nestjs/common';
import { Activity } from '../../libs/temporal/activity.decorator';
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { addCounts, ImportChunkInput, ImportChunkResult, ImportCounts, zeroCounts } from '../../libs/domain/import';
import { EventInput } from '../../libs/domain/event';
import { LineIssue, ImportIssuesRepository } from '../../libs/persistence/import-issues.repository';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { LineParser } from '../../libs/ingestion/line-parser';
import { FileLine, readFirstLine, readLines } from '../../libs/ingestion/line-reader';
import { SegmentIngestionNotifier } from '../segments/segment-ingestion.notifier';
import { countEventsImported } from '../worker-metrics';

interface ChunkCheckpoint {
  offset: number;
  line: number;
  counts: ImportCounts;
}

/** Reads and stores an import file piece by piece; every step is safe to retry. */
@Injectable()
export class ImportEventsActivities {
  constructor(
    @Inject(UserRecordsRepository) private readonly records: UserRecordsRepository,
    @Inject(ImportIssuesRepository) private readonly issues: ImportIssuesRepository,
    @Inject(SegmentIngestionNotifier) private readonly segments: SegmentIngestionNotifier,
  ) {}

  /**
   * Imports up to `maxLines` lines from `offset`, writing in batches. After each batch is durable it
   * heartbeats the byte offset; a retry (e.g. after the worker was killed) resumes from the last
   * heartbeat, and eventIds derived from file hash + line make any re-written row a no-op.
   */
  @Activity()
  async importChunk(input: ImportChunkInput): Promise<ImportChunkResult> {
    const resumed = Context.current().info.heartbeatDetails as ChunkCheckpoint | undefined;
    const start: ChunkCheckpoint = resumed ?? { offset: input.offset, line: input.line, counts: zeroCounts() };
    const parser = await this.parserFor(input);

    let checkpoint = start;
    let linesRead = 0;
    let events: EventInput[] = [];
    let lineIssues: LineIssue[] = [];
    let pending = zeroCounts();
    let pendingEnd = { offset: start.offset, line: start.line };

    const flush = async () => {
      const written = await this.records.appendEvents(events);
      countEventsImported(written.stored);
      if (written.stored > 0) this.segments.eventsStored(events.map((e) => e.type));
      await this.issues.record(input.importId, lineIssues);
      pending = { ...pending, inserted: written.stored, duplicates: written.alreadyStored + written.repeated };
      checkpoint = { ...pendingEnd, counts: addCounts(checkpoint.counts, pending) };
      heartbeat(checkpoint);
      events = [];
      lineIssues = [];
      pending = zeroCounts();
    };

    for await (const l of this.lines(input.path, start.offset, start.line)) {
      if (l.line === 1 && input.spec.format === 'csv' && input.spec.header) {
        pendingEnd = { offset: l.endOffset, line: l.line };
        continue;
      }
      const parsed = parser.parse(l.text, `${input.importId}:${l.line}`);
      if (parsed.ok) {
        events.push(parsed.event);
        pending.rows++;
      } else {
        lineIssues.push({ line: l.line, reason: parsed.reason, text: l.text });
        pending.malformed++;
      }
      pendingEnd = { offset: l.endOffset, line: l.line };
      linesRead = l.line - input.line;
      if (events.length + lineIssues.length >= input.batchSize) await flush();
      if (linesRead >= input.maxLines) break;
    }
    await flush();
    const eof = linesRead < input.maxLines;
    return { offset: checkpoint.offset, line: checkpoint.line, eof, counts: checkpoint.counts };
  }

  @Activity()
  async sampleIssues(importId: string, limit: number): Promise<{ line: number; reason: string }[]> {
    return (await this.issues.list(importId, limit)).map((i) => ({ line: i.line, reason: i.reason }));
  }

  private async parserFor(input: ImportChunkInput): Promise<LineParser> {
    let header: string | undefined;
    try {
      header = input.spec.format === 'csv' && input.spec.header ? await readFirstLine(input.path) : undefined;
    } catch (err) {
      throw fileFailure(input.path, err);
    }
    try {
      return new LineParser(input.spec, header);
    } catch (err) {
      // A mapping that does not fit the file will not fix itself on retry.
      throw ApplicationFailure.nonRetryable(`cannot read ${input.path}: ${(err as Error).message}`, 'BadImportFile');
    }
  }

  /** The file's lines; a file removed or made unreadable since the import started fails for good. */
  private async *lines(path: string, offset: number, line: number): AsyncGenerator<FileLine> {
    const it = readLines(path, offset, line);
    try {
      for (;;) {
        let next: IteratorResult<FileLine>;
        try {
          next = await it.next();
        } catch (err) {
          throw fileFailure(path, err);
        }
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await it.return(undefined); // closes the file when the chunk stops early
    }
  }
}

/** Errors of the file system that retrying cannot fix: the file (or a folder on its path) is gone or refused. */
const LASTING_FILE_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR']);

function fileFailure(file: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (!code || !LASTING_FILE_ERRORS.has(code)) return err; // e.g. EIO, EMFILE: may pass, retried
  const what = code === 'ENOENT' || code === 'ENOTDIR' ? 'was removed' : code === 'EISDIR' ? 'is now a folder' : 'is no longer readable';
  // The file's name only: the status is shown over the API, which never reveals server paths.
  return ApplicationFailure.nonRetryable(`the import file ${basename(file)} ${what} after the import started (${code})`, 'ImportFileGone');
}
