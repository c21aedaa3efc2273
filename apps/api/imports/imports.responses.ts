import { z } from 'zod';

export const importStartedSchema = z.object({
  importId: z.string(),
  workflowId: z.string(),
  /** Relative to IMPORT_DIR: the API never shows the server's absolute paths. */
  path: z.string(),
  url: z.string().url(),
});

const counts = z.object({ rows: z.number().int(), inserted: z.number().int(), duplicates: z.number().int(), malformed: z.number().int() });

export const importProgressSchema = z.object({
  status: z.enum(['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT', 'CONTINUED_AS_NEW', 'UNKNOWN', 'UNSPECIFIED', 'PAUSED']),
  importId: z.string().optional(),
  fileName: z.string().optional(),
  bytesDone: z.number().int().optional(),
  bytesTotal: z.number().int().optional(),
  linesRead: z.number().int().optional(),
  counts: counts.optional(),
  done: z.boolean().optional(),
  sampleIssues: z.array(z.object({ line: z.number().int(), reason: z.string() })).optional(),
  seconds: z.number().optional(),
  /** Why a FAILED import failed (type ImportFileGone: the file was removed or made unreadable after it started). */
  failure: z.object({ type: z.string(), message: z.string() }).optional(),
  url: z.string().url().optional(),
});
