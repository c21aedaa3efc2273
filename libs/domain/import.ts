import type { ImportSpec } from './import-spec';

export interface ImportCounts {
  /** Valid rows read (each is now stored, whether by this run or an earlier one). */
  rows: number;
  inserted: number;
  /** Rows whose eventId was already stored (a re-import, or a batch retried after a crash). */
  duplicates: number;
  malformed: number;
}

export const zeroCounts = (): ImportCounts => ({ rows: 0, inserted: 0, duplicates: 0, malformed: 0 });

export function addCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
  return { rows: a.rows + b.rows, inserted: a.inserted + b.inserted, duplicates: a.duplicates + b.duplicates, malformed: a.malformed + b.malformed };
}

export const IMPORT_CHUNKS_PER_RUN = 200;

export interface ImportEventsInput {
  importId: string; // file content hash: the workflow ID is import/<importId>
  path: string;
  fileName: string;
  fileBytes: number;
  spec: ImportSpec;
  linesPerActivity: number;
  batchSize: number;
  /** Chunks per run before continuing as new (default IMPORT_CHUNKS_PER_RUN): history stays small for any file. */
  chunksPerRun?: number;
  /** Where a continued run resumes (set by continueAsNew). */
  resume?: { offset: number; line: number; counts: ImportCounts; startedAt: number };
}

export interface ImportChunkInput {
  importId: string;
  path: string;
  spec: ImportSpec;
  offset: number;
  line: number;
  maxLines: number;
  batchSize: number;
}

export interface ImportChunkResult {
  offset: number;
  line: number;
  eof: boolean;
  counts: ImportCounts;
}

export interface ImportProgress {
  importId: string;
  fileName: string;
  bytesDone: number;
  bytesTotal: number;
  linesRead: number;
  counts: ImportCounts;
  done: boolean;
}

export interface ImportEventsResult extends ImportProgress {
  /** The first malformed lines with their reasons; all of them are in the import_issues collection. */
  sampleIssues: { line: number; reason: string }[];
  seconds: number;
}

/** The import workflow's signature, for typed starts from outside the workflow code (libs, apps). */
export type ImportEventsWorkflow = (input: ImportEventsInput) => Promise<ImportEventsResult>;
