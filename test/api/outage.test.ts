import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { errorBodySchema } from '../../apps/api/common/error-body';
import { AppConfig, loadConfig } from '../../libs/config/config';
import { createKey, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { storedEvents } from '../support/stored-data';
import { PrivateFerretDb } from '../support/private-ferretdb';
import { testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

interface Answer {
  status: number;
  sentAt: number;
  answeredAt: number;
  retryAfter?: string;
}

const BATCHES = 60;
const PER_BATCH = 100;
const IMPORT_LINES = 40_000;

const event = (i: number) => ({ eventId: `ev-${i}`, userId: `user-${i % 50}`, type: 'session', ts: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString() });

/**
 * The database goes away and comes back, for real: a private FerretDB process is stopped during a
 * stream of POST /v1/events and during an import, then started again. While it is down the API
 * answers 503 with Retry-After, fast, and never 200; afterwards the retried batches and the import
 * complete, and every event is stored exactly once.
 */
describe('database outage (private FerretDB stopped and started; real Temporal, real worker)', () => {
  const importDir = mkdtempSync(path.join(tmpdir(), 'outage-imports-'));
  const { env } = testEnv('outage');
  let store: PrivateFerretDb;
  let cfg: AppConfig;
  let app: INestApplication;
  let worker: WorkerProcess;
  let db: mongoose.Connection;
  let ingest: () => ReturnType<typeof withKey>;
  let viewer: () => ReturnType<typeof withKey>;

  beforeAll(async () => {
    store = await PrivateFerretDb.start();
    // Small import batches and chunks: the import is still writing when the database goes away.
    Object.assign(env, { MONGODB_URI: store.uri('outage'), IMPORT_DIR: importDir, IMPORT_BATCH_SIZE: '200', IMPORT_LINES_PER_ACTIVITY: '4000' });
    Object.assign(process.env, env);
    cfg = loadConfig();
    app = await createApi();
    await app.init();
    const [i, v] = [await createKey(app, 'ingest'), await createKey(app, 'viewer')];
    ingest = () => withKey(app.getHttpServer(), i);
    viewer = () => withKey(app.getHttpServer(), v);
    db = await mongoose.createConnection(cfg.MONGODB_URI).asPromise();
    worker = await WorkerProcess.start(env);
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await db?.close();
    await store?.dispose();
    rmSync(importDir, { recursive: true, force: true });
  });

  /** Sends a batch until it is accepted, as a client told to retry would; every answer is kept. */
  async function sendUntilStored(batch: unknown[], answers: Answer[]): Promise<{ accepted: number }> {
    for (;;) {
      const sentAt = Date.now();
      const res = await ingest().post('/v1/events').send({ events: batch });
      answers.push({ status: res.status, sentAt, answeredAt: Date.now(), retryAfter: res.headers['retry-after'] });
      if (res.status === 200) return res.body;
      expect(errorBodySchema.parse(res.body)).toEqual(res.body);
      await new Promise((r) => setTimeout(r, 200)); // a real client waits Retry-After; the test need not
    }
  }

  it('answers 503 fast (never 200) while the database is down, and stores every event of the retried batches exactly once', async () => {
    const answers: Answer[] = [];
    const outage = { stopped: 0, restarting: 0 };
    const batches = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: PER_BATCH }, (_, i) => event(b * PER_BATCH + i)));
    let fiveStored!: () => void;
    const underWay = new Promise<void>((r) => (fiveStored = r));
    const client = (async () => {
      let accepted = 0;
      for (const [b, batch] of batches.entries()) {
        accepted += (await sendUntilStored(batch, answers)).accepted;
        if (b === 4) fiveStored();
      }
      return accepted;
    })();

    // Killed while the client keeps sending (a clean stop lets FerretDB serve on for seconds): the batch
    // in flight and the ones after meet the outage.
    await underWay;
    await store.stop('SIGKILL');
    outage.stopped = Date.now();
    const health = await viewer().get('/health');
    await new Promise((r) => setTimeout(r, 4000));
    outage.restarting = Date.now();
    await store.startAgain();
    const accepted = await client;

    // While it was down: 503 with Retry-After, within about a second, and never a 200.
    const during = answers.filter((a) => a.sentAt >= outage.stopped && a.answeredAt <= outage.restarting);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((a) => a.status !== 503)).toEqual([]);
    expect(during.every((a) => Number(a.retryAfter) >= 1)).toBe(true);
    expect(Math.max(...during.map((a) => a.answeredAt - a.sentAt))).toBeLessThan(2500);
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    expect(health.status).toBe(503);
    expect(health.body.message).toMatch(/^unavailable: mongodb \(/);
    expect(health.headers['retry-after']).toBeDefined();

    // Every event exactly once, whatever was written before a failed answer.
    const stored = await storedEvents(db);
    expect(stored.events.size).toBe(BATCHES * PER_BATCH);
    expect(accepted).toBe(BATCHES * PER_BATCH);
    expect(stored.users.size).toBe(50);
    await viewer().get('/health').expect(200);
  });

  it('completes an import the database went away under, with every line stored once', async () => {
    const lines = Array.from({ length: IMPORT_LINES }, (_, i) => JSON.stringify({ ...event(100_000 + i), userId: `imp-${i % 300}` }));
    writeFileSync(path.join(importDir, 'big.ndjson'), lines.join('\n') + '\n');
    const started = await ingest().post('/v1/imports').send({ path: 'big.ndjson', spec: { format: 'ndjson' } }).expect(201);
    const importId = started.body.importId as string;
    const imported = async () => [...(await storedEvents(db)).events.values()].filter((e) => e.userId.startsWith('imp-')).length;

    await eventually(async () => ((await imported()) >= 2000 ? true : undefined), 120_000, 'the import to be under way');
    await viewer().get(`/v1/imports/${importId}`).expect(200); // the key is checked (and cached) while the database is up
    const beforeOutage = await imported();
    await store.stop('SIGKILL');
    // Temporal is up: the import's progress is still answered while the database is down.
    const during = await viewer().get(`/v1/imports/${importId}`).expect(200);
    expect(during.body).toMatchObject({ status: 'RUNNING', done: false });
    await new Promise((r) => setTimeout(r, 5000));
    await store.startAgain();

    const result = await eventually(async () => {
      const res = await viewer().get(`/v1/imports/${importId}`);
      return res.status === 200 && res.body.status === 'COMPLETED' ? res.body : undefined;
    }, 300_000, 'the import to complete');
    expect(result.counts.rows).toBe(IMPORT_LINES);
    expect(result.counts.malformed).toBe(0);
    expect(result.counts.inserted + result.counts.duplicates).toBe(IMPORT_LINES);
    expect(beforeOutage).toBeLessThan(IMPORT_LINES);
    expect(await imported()).toBe(IMPORT_LINES);
  });
});
