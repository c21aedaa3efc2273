import { Inject, Injectable } from '@nestjs/common';
import { Activity } from '../../libs/temporal/activity.decorator';
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { addCounts, ImportChunkInput, ImportChunkResult, ImportCounts, zeroCounts } from '../../libs/domain/import';
import { EventInput } from '../../libs/domain/event';
import { LineIssue, ImportIssuesRepository } from '../../libs/persistence/import-issues.repository';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { LineParser } from '../../libs/ingestion/line-parser';
import { readFirstLine, readLines } from '../../libs/ingestion/line-reader';
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
      await this.issues.record(input.importId, lineIssues);
      pending = { ...pending, inserted: written.stored, duplicates: written.alreadyStored + written.repeated };
      checkpoint = { ...pendingEnd, counts: addCounts(checkpoint.counts, pending) };
      heartbeat(checkpoint);
      events = [];
      lineIssues = [];
      pending = zeroCounts();
    };

    for await (const l of readLines(input.path, start.offset, start.line)) {
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
    try {
      const header = input.spec.format === 'csv' && input.spec.header ? await readFirstLine(input.path) : undefined;
      return new LineParser(input.spec, header);
    } catch (err) {
      // A missing file or a mapping that does not fit the file will not fix itself on retry.
      throw ApplicationFailure.nonRetryable(`cannot read ${input.path}: ${(err as Error).message}`, 'BadImportFile');
    }
  }
}
