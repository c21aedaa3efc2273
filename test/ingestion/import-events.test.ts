import { readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { INestApplication } from '@nestjs/common';
import { ApplicationFailure, Client, WorkflowFailedError, WorkflowHandle } from '@temporalio/client';
import { createApi } from '../../apps/api/main';
import mongoose from 'mongoose';
import { importSpecSchema } from '../../libs/domain/import-spec';
import { IMPORT_PRESETS } from '../../libs/ingestion/import-presets';
import { startImport } from '../../libs/ingestion/import-starter';
import { sharedDataPath } from '../../libs/ml/datasets/shared-data';
import { ImportFileKey } from '../../libs/temporal/search-attributes';
import { importProgressQuery } from '../../workflows/ingestion/import-events.workflow';
import { createKey, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { storedEvents } from '../support/stored-data';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

const CDNOW = sharedDataPath('cdnow', 'CDNOW_sample.txt');

/** What the file itself says: rows, distinct customers and total dollars, read independently. */
function cdnowTruth() {
  const rows = readFileSync(CDNOW, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/));
  return { rows: rows.length, customers: new Set(rows.map((r) => r[1])).size, dollars: rows.reduce((s, r) => s + Number(r[4]), 0) };
}

/** A CSV of `rows` session events of distinct users, one per line after the header. */
function sessionsFile(name: string, rows: number): string {
  const file = join(tmpdir(), `${name}-${Date.now()}.csv`);
  const lines = ['user,time,event'];
  for (let i = 0; i < rows; i++) lines.push(`${name}-${i},2024-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z,session`);
  writeFileSync(file, lines.join('\n'));
  return file;
}
const sessionsSpec = importSpecSchema.parse({ format: 'csv', columns: { userId: 'user', ts: 'time', type: 'event' } });

/** Statuses of every run of a workflow, first to last (continue-as-new makes a chain of runs). */
async function runStatuses(client: Client, handle: WorkflowHandle): Promise<string[]> {
  const statuses: string[] = [];
  let runId: string | undefined;
  for (;;) {
    const h = client.workflow.getHandle(handle.workflowId, runId);
    statuses.unshift((await h.describe()).status.name);
    const started = (await h.fetchHistory()).events![0].workflowExecutionStartedEventAttributes!;
    runId = started.continuedExecutionRunId ?? undefined;
    if (!runId) return statuses;
  }
}

async function storedTotals(db: mongoose.Connection) {
  const { events, users } = await storedEvents(db);
  let dollars = 0;
  for (const e of events.values()) dollars += e.amount ?? 0;
  return { events: events.size, dollars, users: users.size };
}

describe('importEvents workflow (real Temporal, real FerretDB, real worker processes)', () => {
  const { env, cfg } = testEnv('import');
  const truth = cdnowTruth();
  let client: Client;
  let db: mongoose.Connection;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    client = await temporalClient(cfg);
    db = await openDb(cfg);
  });
  afterAll(async () => {
    await worker?.stop();
    await client.connection.close();
    await dropDb(db);
  });

  it('imports CDNOW_sample with exact counts, and a second import stores nothing twice', async () => {
    worker = await WorkerProcess.start(env);
    const { handle, workflowId } = await startImport(client, cfg, CDNOW, IMPORT_PRESETS.cdnow);
    expect(workflowId).toMatch(new RegExp(`^${env.TASK_QUEUE_PREFIX}/import/[0-9a-f]{24}$`));
    const result = await handle.result();
    expect(truth).toMatchObject({ rows: 6919, customers: 2357 });
    expect(result.counts).toEqual({ rows: truth.rows, inserted: truth.rows, duplicates: 0, malformed: 0 });
    expect(result).toMatchObject({ done: true, bytesDone: result.bytesTotal });
    const stored = await storedTotals(db);
    expect(stored.events).toBe(truth.rows);
    expect(stored.users).toBe(truth.customers);
    expect(stored.dollars).toBeCloseTo(truth.dollars, 2);

    const desc = await handle.describe();
    expect(await desc.staticSummary()).toBe(`Import CDNOW_sample.txt (csv, ${(statSync(CDNOW).size / 1024).toFixed(0)} KiB)`);
    expect(desc.memo).toMatchObject({ purpose: 'Import events from CDNOW_sample.txt' });
    expect(desc.typedSearchAttributes.get(ImportFileKey)).toBe('CDNOW_sample.txt');

    const again = await (await startImport(client, cfg, CDNOW, IMPORT_PRESETS.cdnow)).handle.result();
    expect(again.counts).toEqual({ rows: truth.rows, inserted: 0, duplicates: truth.rows, malformed: 0 });
    expect((await storedTotals(db)).events).toBe(truth.rows);
  });

  it('reports malformed lines with their line numbers and imports the rest', async () => {
    const file = join(tmpdir(), `bad-lines-${Date.now()}.csv`);
    writeFileSync(
      file,
      [
        'user,time,event,value',
        'a1,2024-01-01T10:00:00Z,session,',
        'a1,not-a-date,session,',
        'a2,2024-01-02T10:00:00Z,purchase,19.90',
        'a2,2024-01-02T11:00:00Z,purchase,',
        'a3,2024-01-03T10:00:00Z,email_open,',
      ].join('\n'),
    );
    const spec = importSpecSchema.parse({ format: 'csv', columns: { userId: 'user', ts: 'time', type: 'event', amount: 'value' } });
    const result = await (await startImport(client, cfg, file, spec)).handle.result();
    expect(result.counts).toMatchObject({ rows: 3, malformed: 2 });
    expect(result.sampleIssues).toEqual([
      { line: 3, reason: 'ts: must be an ISO-8601 date or date-time with a zone, e.g. 2026-12-06T10:00:00Z' },
      { line: 5, reason: 'amount: required for purchase events' },
    ]);
    expect(await db.collection('import_issues').countDocuments({ importId: result.importId })).toBe(2);
  });

  it('keeps NDJSON lines a store would read as operators or paths as import issues, and stores the rest of their chunk', async () => {
    const file = join(tmpdir(), `poison-${Date.now()}.ndjson`);
    const line = (i: number, props?: Record<string, unknown>) =>
      JSON.stringify({ eventId: `nd-${i}`, userId: `nd-user-${i % 3}`, type: 'session', ts: `2024-02-0${1 + (i % 9)}T10:00:00Z`, ...(props ? { properties: props } : {}) });
    writeFileSync(file, [line(1), line(2, { $set: { admin: true } }), line(3), line(4, { 'a.b': 1 }), line(5, { plan: 'pro' }), line(6).replace('}', ',"properties":null}')].join('\n'));
    const before = (await storedEvents(db)).events.size;
    const result = await (await startImport(client, cfg, file, importSpecSchema.parse({ format: 'ndjson' }))).handle.result();
    expect(result.counts).toMatchObject({ rows: 3, inserted: 3, malformed: 3 });
    expect(result.sampleIssues).toEqual([
      { line: 2, reason: 'properties.$set: keys may not start with $ nor contain a dot or a control character; properties.$set: values are strings (at most 1024 characters), numbers, booleans or null' },
      { line: 4, reason: 'properties.a.b: keys may not start with $ nor contain a dot or a control character' },
      { line: 6, reason: 'properties: Expected object, received null' },
    ]);
    const stored = (await storedEvents(db)).events;
    expect(stored.size).toBe(before + 3);
    expect(['nd-1', 'nd-3', 'nd-5'].every((id) => stored.has(id))).toBe(true);
    expect(stored.get('nd-5')!.properties).toEqual({ plan: 'pro' });
  });

  it('continues as new every few chunks and ends with every line stored exactly once', async () => {
    const file = sessionsFile('can', 500);
    const before = (await storedEvents(db)).events.size;
    // 40 lines a chunk, 3 chunks a run: 13 chunks, so 5 runs, the first 4 continued as new.
    const { handle } = await startImport(client, { ...cfg, IMPORT_LINES_PER_ACTIVITY: 40, IMPORT_BATCH_SIZE: 15 }, file, sessionsSpec, { chunksPerRun: 3 });
    const result = await handle.result();
    expect(result.counts).toEqual({ rows: 500, inserted: 500, duplicates: 0, malformed: 0 });
    expect(result).toMatchObject({ done: true, linesRead: 501, bytesDone: statSync(file).size, bytesTotal: statSync(file).size });
    expect(await runStatuses(client, handle)).toEqual(['CONTINUED_AS_NEW', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW', 'COMPLETED']);
    const stored = await storedEvents(db);
    expect(stored.events.size).toBe(before + 500);
    expect([...stored.users].filter((u) => u.startsWith('can-')).length).toBe(500);
  });

  describe('a file removed while it is imported', () => {
    let app: INestApplication;
    let key: string;
    beforeAll(async () => {
      app = await createApi();
      await app.init();
      key = await createKey(app, 'ingest');
    });
    afterAll(async () => app?.close());

    it('fails the import once, with the reason in its status, and no retry', async () => {
      const file = sessionsFile('gone', 20_000);
      // Small chunks: the file is removed after the first chunks and long before the last.
      const { handle, importId } = await startImport(client, { ...cfg, IMPORT_LINES_PER_ACTIVITY: 200, IMPORT_BATCH_SIZE: 50 }, file, sessionsSpec);
      await eventually(async () => ((await handle.query(importProgressQuery)).linesRead > 0 ? true : undefined), 60_000, 'the first chunk');
      rmSync(file);

      const failure = await handle.result().then(
        () => null,
        (err) => err,
      );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect(failure.cause).toBeInstanceOf(ApplicationFailure);
      expect(failure.cause).toMatchObject({ type: 'ImportFileGone', nonRetryable: true });
      const reason = `the import file ${file.split('/').pop()} was removed after the import started (ENOENT)`;
      expect(failure.cause.message).toBe(reason);

      const status = await withKey(app.getHttpServer(), key).get(`/v1/imports/${importId}`).expect(200);
      expect(status.body).toMatchObject({ status: 'FAILED', failure: { type: 'ImportFileGone', message: reason } });
      expect(JSON.stringify(status.body)).not.toContain(tmpdir());

      // The chunk that met the missing file failed on its first attempt: nothing retried it.
      const events = (await handle.fetchHistory()).events!;
      const failed = events.filter((e) => e.activityTaskFailedEventAttributes);
      expect(failed).toHaveLength(1);
      const attempts = events.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
      expect(attempts.every((a) => a === 1)).toBe(true);
    });
  });

  it('stops the worker gracefully on SIGTERM', async () => {
    expect(await worker!.stop()).toBe(0);
    expect(worker!.log).toMatch(/"worker stopped"/);
  });

  it('completes with every row exactly once when the worker is killed -9 mid-import', async () => {
    await db.collection('user_records').deleteMany({});
    worker = await WorkerProcess.start(env);
    // Small batches and chunks so the import is long enough to be interrupted mid-activity.
    const slowCfg = { ...cfg, IMPORT_BATCH_SIZE: 50, IMPORT_LINES_PER_ACTIVITY: 3000 };
    const { handle } = await startImport(client, slowCfg, CDNOW, IMPORT_PRESETS.cdnow);

    const deadline = Date.now() + 60_000;
    while ((await storedTotals(db)).events < 500) {
      if (Date.now() > deadline) throw new Error('import made no progress');
      await new Promise((r) => setTimeout(r, 50));
    }
    // Queries are answered by a worker: ask while this one still lives.
    expect((await handle.query(importProgressQuery)).done).toBe(false);
    await worker.kill9();
    const atKill = (await storedTotals(db)).events;
    expect(atKill).toBeLessThan(truth.rows);

    worker = await WorkerProcess.start(env);
    const result = await handle.result();
    expect(result.counts.rows).toBe(truth.rows);
    expect(result.counts.inserted + result.counts.duplicates).toBe(truth.rows);
    const stored = await storedTotals(db);
    expect(stored.events).toBe(truth.rows);
    expect(stored.dollars).toBeCloseTo(truth.dollars, 2);

    // The kill really interrupted an activity: one was attempted again.
    const history = await handle.fetchHistory();
    const retried = history.events!.filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1);
    expect(retried.length).toBeGreaterThan(0);
  });
});
