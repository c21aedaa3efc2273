import { z } from 'zod';

/** A column by header name (files with a header row) or by 0-based position. */
const columnRef = z.union([z.string().min(1), z.number().int().min(0)]);

/**
 * How to read an event file. NDJSON lines are event objects as the API takes them; delimited lines
 * are mapped column by column. A missing eventId is derived from the file hash and line number, so
 * re-importing a file never double-counts.
 */
export const importSpecSchema = z.union([
  z.object({ format: z.literal('ndjson') }).strict(),
  z
    .object({
      format: z.literal('csv'),
      delimiter: z.enum([',', ';', '\t', 'whitespace']).default(','),
      header: z.boolean().default(true),
      timestampFormat: z.enum(['iso', 'yyyymmdd', 'epoch_ms', 'epoch_s']).default('iso'),
      columns: z
        .object({
          userId: columnRef,
          ts: columnRef,
          type: columnRef.optional(),
          amount: columnRef.optional(),
          eventId: columnRef.optional(),
          properties: z.record(columnRef).optional(),
        })
        .strict(),
      /** Event type for every row when the file has no type column (e.g. a purchase log). */
      eventType: z.string().optional(),
      userIdPrefix: z.string().max(32).default(''),
    })
    .strict()
    .refine((s) => s.columns.type !== undefined || s.eventType !== undefined, {
      message: 'give columns.type or eventType',
      path: ['eventType'],
    }),
]);
export type ImportSpec = z.infer<typeof importSpecSchema>;
export type DelimitedSpec = Extract<ImportSpec, { format: 'csv' }>;
