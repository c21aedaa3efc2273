import { rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { importSpecSchema } from '../../../libs/domain/import-spec';
import { startImport } from '../../../libs/ingestion/import-starter';
import { importProgressQuery } from '../../../workflows/ingestion/import-events.workflow';
import { ReplayScenario } from '../scenario';

const spec = importSpecSchema.parse({ format: 'csv', columns: { userId: 'user', ts: 'time', type: 'event', amount: 'value' } });

function csv(name: string, rows: number, malformedLine?: number): string {
  const file = join(tmpdir(), `replay-${name}-${Date.now()}.csv`);
  const lines = ['user,time,event,value'];
  for (let i = 1; i <= rows; i++) lines.push(i === malformedLine ? `u${i},not-a-date,session,` : `${name}-${i % 50},2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z,session,`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

/**
 * importEvents: a file of 25 lines (one malformed) in chunks of 10 lines, 2 chunks per run, so the
 * first run continues as new and the second resumes, finishes and samples the malformed line; and a
 * file removed after the first chunks, which fails the import (ImportFileGone).
 */
const scenario: ReplayScenario = {
  name: 'import',
  async record({ client, cfg }) {
    const small = { ...cfg, IMPORT_LINES_PER_ACTIVITY: 10, IMPORT_BATCH_SIZE: 5 };
    const continued = await startImport(client, small, csv('can', 24, 7), spec, { chunksPerRun: 2 });

    const file = csv('gone', 5000);
    const gone = await startImport(client, { ...cfg, IMPORT_LINES_PER_ACTIVITY: 100, IMPORT_BATCH_SIZE: 25 }, file, spec);
    while ((await gone.handle.query(importProgressQuery)).linesRead === 0) await new Promise((r) => setTimeout(r, 50));
    rmSync(file);
    return [
      { scenario: 'continue-as-new', handle: continued.handle },
      { scenario: 'file-gone', handle: gone.handle },
    ];
  },
};
export default scenario;
