import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { createKey, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { storedEvents } from '../support/stored-data';
import { dropDb, openDb, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

const ndjson = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => JSON.stringify({ eventId: `up-${from + i}`, userId: `u${(from + i) % 7}`, type: 'session', ts: new Date(Date.UTC(2024, 0, 1, 0, from + i)).toISOString() })).join('\n') + '\n';

/** Imports by path stay inside IMPORT_DIR (real paths), answer with relative paths, and uploads import the same way. */
describe('imports API: the import folder and uploads (real FerretDB, real Temporal, real worker)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'imports-api-'));
  process.env.IMPORT_DIR = path.join(root, 'not', 'yet', 'there');
  const { env, cfg } = testEnv('imports-api');
  let app: INestApplication;
  let db: mongoose.Connection;
  let worker: WorkerProcess;
  let ingest: () => ReturnType<typeof withKey>;
  let viewer: () => ReturnType<typeof withKey>;

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
    const [i, v] = [await createKey(app, 'ingest'), await createKey(app, 'viewer')];
    ingest = () => withKey(app.getHttpServer(), i);
    viewer = () => withKey(app.getHttpServer(), v);
    worker = await WorkerProcess.start(env);
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await dropDb(db);
    rmSync(root, { recursive: true, force: true });
  });

  const stored = async () => ({ events: (await storedEvents(db)).events.size, issues: await db.collection('import_issues').countDocuments() });
  const done = (importId: string) =>
    eventually(async () => {
      const res = await viewer().get(`/v1/imports/${importId}`).expect(200);
      expect(JSON.stringify(res.body)).not.toContain(root);
      return res.body.status === 'COMPLETED' ? res.body : undefined;
    }, 120_000, `import ${importId}`);

  it('creates IMPORT_DIR when the API starts', () => {
    expect(existsSync(cfg.IMPORT_DIR)).toBe(true);
  });

  it('refuses paths out of the folder, links out of it and missing files with a 400 on path, and changes nothing', async () => {
    const dir = cfg.IMPORT_DIR;
    const secret = path.join(root, 'secret.csv');
    writeFileSync(secret, 'user,time,event\nroot,2024-01-01T00:00:00Z,session\n');
    symlinkSync(secret, path.join(dir, 'escape.csv'));
    const before = await stored();
    const spec = { format: 'csv', columns: { userId: 'user', ts: 'time', type: 'event' } };
    for (const [given, reason] of [
      ['escape.csv', 'links to a file outside IMPORT_DIR'],
      ['../../../secret.csv', 'must be a file inside IMPORT_DIR, given relative to it'],
      [secret, 'must be a file inside IMPORT_DIR, given relative to it'],
      ['missing.csv', 'no such file in IMPORT_DIR'],
    ]) {
      const res = await ingest().post('/v1/imports').send({ path: given, spec });
      expect({ given, status: res.status, errors: res.body.errors }).toEqual({ given, status: 400, errors: [{ field: 'path', reason }] });
      expect(JSON.stringify(res.body)).not.toContain(root);
    }
    // The linked file's content was never imported: no workflow under its hash, nothing stored.
    const secretId = createHash('sha256').update('user,time,event\nroot,2024-01-01T00:00:00Z,session\n').digest('hex').slice(0, 24);
    await viewer().get(`/v1/imports/${secretId}`).expect(404);
    expect(await stored()).toEqual(before);
  });

  it('imports a file inside the folder and answers with its path relative to it', async () => {
    mkdirSync(path.join(cfg.IMPORT_DIR, 'in'), { recursive: true });
    writeFileSync(path.join(cfg.IMPORT_DIR, 'in', 'events.ndjson'), ndjson(0, 40));
    const res = await ingest().post('/v1/imports').send({ path: './in/../in/events.ndjson', spec: { format: 'ndjson' } }).expect(201);
    expect(res.body).toMatchObject({ path: 'in/events.ndjson', importId: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(JSON.stringify(res.body)).not.toContain(root);
    const result = await done(res.body.importId);
    expect(result.counts).toEqual({ rows: 40, inserted: 40, duplicates: 0, malformed: 0 });
  });

  it('imports an upload under its content hash; uploading it again is the same import and stores nothing twice', async () => {
    const content = ndjson(100, 400);
    const id = createHash('sha256').update(content).digest('hex').slice(0, 24);
    const before = (await stored()).events;
    const first = await ingest().post('/v1/imports/upload?format=ndjson').set('content-type', 'application/x-ndjson').send(content).expect(201);
    expect(first.body).toMatchObject({ importId: id, path: `uploads/${id}.ndjson`, bytes: Buffer.byteLength(content) });
    expect((await done(id)).counts).toEqual({ rows: 300, inserted: 300, duplicates: 0, malformed: 0 });

    const again = await ingest().post('/v1/imports/upload?format=ndjson').set('content-type', 'application/json').send(content).expect(201);
    expect(again.body).toMatchObject({ importId: id, workflowId: first.body.workflowId, path: first.body.path });
    const repeated = await done(id);
    expect(repeated.counts.inserted + repeated.counts.duplicates).toBe(300);
    expect((await stored()).events).toBe(before + 300);
    // The uploaded file is an ordinary file of the folder from now on.
    await ingest().post('/v1/imports').send({ path: first.body.path, spec: { format: 'ndjson' } }).expect(201);
  });
});
