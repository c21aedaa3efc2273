import { writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { importSpecSchema } from '../../../libs/domain/import-spec';
import { startImport } from '../../../libs/ingestion/import-starter';
import { ReplayScenario } from '../scenario';

/**
 * importEvents: a file of 25 lines (one malformed) in chunks of 10 lines, 2 chunks per run, so the
 * first run continues as new and the second resumes, finishes and samples the malformed line.
 */
const scenario: ReplayScenario = {
  name: 'import',
  async record({ client, cfg }) {
    const file = join(tmpdir(), `replay-import-${Date.now()}.csv`);
    const lines = ['user,time,event,value'];
    for (let i = 1; i <= 24; i++) lines.push(i === 7 ? `u${i},not-a-date,session,` : `u${i % 5},2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z,session,`);
    writeFileSync(file, lines.join('\n'));
    const spec = importSpecSchema.parse({ format: 'csv', columns: { userId: 'user', ts: 'time', type: 'event', amount: 'value' } });
    const { handle } = await startImport(client, { ...cfg, IMPORT_LINES_PER_ACTIVITY: 10, IMPORT_BATCH_SIZE: 5 }, file, spec, { chunksPerRun: 2 });
    return [{ scenario: 'continue-as-new', handle }];
  },
};
export default scenario;
