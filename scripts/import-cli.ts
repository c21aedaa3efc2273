import { Client, Connection } from '@temporalio/client';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../libs/config/config';
import { ImportSpec, importSpecSchema } from '../libs/domain/import-spec';
import { IMPORT_PRESETS } from '../libs/ingestion/import-presets';
import { startImport } from '../libs/ingestion/import-starter';
import { connectionOptions } from '../libs/temporal/connection-options';
import { importProgressQuery } from '../workflows/ingestion/import-events.workflow';

const USAGE = `usage: npm run import -- <file> (--preset cdnow | --format ndjson | --spec '<json import spec>') [--no-wait]
  --preset NAME   a named mapping: ${Object.keys(IMPORT_PRESETS).join(', ')}
  --format ndjson one event object per line, as POST /v1/events takes them
  --spec JSON     a full import spec, e.g. '{"format":"csv","columns":{"userId":"user","ts":"time","type":"event"}}'`;

function parseArgs(argv: string[]): { file: string; spec: ImportSpec; wait: boolean } {
  let file: string | undefined;
  let spec: unknown;
  let wait = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--preset') {
      spec = IMPORT_PRESETS[argv[++i]];
      if (!spec) fail(`unknown preset "${argv[i]}"`);
    } else if (a === '--format') spec = { format: argv[++i] };
    else if (a === '--spec') {
      try {
        spec = JSON.parse(argv[++i]);
      } catch {
        fail('--spec is not valid JSON');
      }
    } else if (a === '--no-wait') wait = false;
    else if (!a.startsWith('--') && !file) file = a;
    else fail(`unexpected argument ${a}`);
  }
  if (!file || spec === undefined) fail('a file and a format are required');
  const parsed = importSpecSchema.safeParse(spec);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return { file: file!, spec: parsed.data, wait };
}

function fail(msg: string): never {
  console.error(`${msg}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { file, spec, wait } = parseArgs(process.argv.slice(2));
  const cfg = loadConfig();
  const connection = await Connection.connect(connectionOptions(cfg));
  const client = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
  const { handle, workflowId } = await startImport(client, cfg, file, spec);
  console.log(`import workflow ${workflowId}\n  ${cfg.TEMPORAL_UI_URL}/namespaces/${cfg.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}`);
  if (!wait) return void (await connection.close());

  const bar = new SingleBar({ format: '  {bar} {percentage}% | {rows} rows | {malformed} malformed | {speed} rows/s', hideCursor: true });
  const started = Date.now();
  bar.start(100, 0, { rows: 0, malformed: 0, speed: 0 });
  const timer = setInterval(async () => {
    const p = await handle.query(importProgressQuery).catch(() => undefined);
    if (!p) return;
    const speed = Math.round(p.counts.rows / ((Date.now() - started) / 1000));
    bar.update(p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0, { rows: p.counts.rows, malformed: p.counts.malformed, speed });
  }, 300);
  try {
    const r = await handle.result();
    clearInterval(timer);
    bar.update(100, { rows: r.counts.rows, malformed: r.counts.malformed, speed: Math.round(r.counts.rows / Math.max(r.seconds, 1e-3)) });
    bar.stop();
    console.log(
      `  ${r.counts.rows} rows in ${r.seconds.toFixed(1)} s: ${r.counts.inserted} new, ${r.counts.duplicates} already stored, ${r.counts.malformed} malformed`,
    );
    for (const i of r.sampleIssues) console.log(`  line ${i.line}: ${i.reason}`);
  } finally {
    clearInterval(timer);
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
