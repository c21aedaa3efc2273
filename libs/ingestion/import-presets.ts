import { ImportSpec, importSpecSchema } from '../domain/import-spec';

/** Named mappings for well-known files. */
export const IMPORT_PRESETS: Record<string, ImportSpec> = {
  // CDNOW_sample.txt: master id, sample id (0001-2357), YYYYMMDD, CDs, dollars; no header.
  cdnow: importSpecSchema.parse({
    format: 'csv',
    delimiter: 'whitespace',
    header: false,
    timestampFormat: 'yyyymmdd',
    columns: { userId: 1, ts: 2, amount: 4, properties: { cds: 3 } },
    eventType: 'purchase',
    userIdPrefix: 'cdnow-',
  }),
};
