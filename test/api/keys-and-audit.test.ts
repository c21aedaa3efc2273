import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApi } from '../../apps/api/main';
import { Role } from '../../libs/domain/access';
import { keysByRole, withKey } from '../support/api-keys';
import { ROOT } from '../support/global-setup';
import { routeTable, sampleUrl } from '../support/route-table';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';

const run = promisify(execFile);

/** Every document of every collection: what "changes nothing" is checked against. */
async function snapshot(db: mongoose.Connection): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const c of (await db.db!.listCollections().toArray()).map((x) => x.name).sort()) {
    out[c] = await db.collection(c).find({}).sort({ _id: 1 }).toArray();
  }
  return JSON.stringify(out);
}

describe('API keys and the audit log (real FerretDB, real Temporal)', () => {
  // Short, so the test can wait out the cache after the command line revokes a key.
  process.env.API_KEY_CACHE_SECONDS = '2';
  const { env, cfg } = testEnv('keys-audit');
  let app: INestApplication;
  let db: mongoose.Connection;
  let client: Client;
  let keys: Record<Role, string>;
  const as = (role: Role) => withKey(app.getHttpServer(), keys[role]);
  const keyId = (token: string) => `k_${token.slice(3, 19)}`;

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    keys = await keysByRole(app);
  });
  afterAll(async () => {
    await app.close();
    await client.connection.close();
    await dropDb(db);
  });

  const prediction = { name: 'Churn (audit)', type: 'churn', definition: { windowDays: 30 } };

  it('lets a viewer read but change nothing, on every route that writes', async () => {
    const id = (await as('manager').post('/v1/predictions').send(prediction).expect(201)).body.prediction.id as string;
    await as('viewer').get(`/v1/predictions/${id}`).expect(200);
    await as('viewer').get('/v1/predictions').expect(200);
    const before = await snapshot(db);
    const writes = routeTable(app).filter((r) => r.method !== 'GET' && !r.isPublic);
    expect(writes.length).toBeGreaterThanOrEqual(10);
    for (const r of writes) {
      const url = sampleUrl(r.path).replace('/x', `/${id}`);
      const res = await as('viewer')[r.method.toLowerCase() as 'post'](url).send({ name: 'renamed', kind: 'retrain', role: 'admin', events: [], users: [], path: 'x', archived: true });
      expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({ route: `${r.method} ${r.path}`, status: 403 });
    }
    expect(await snapshot(db)).toBe(before);
    await as('manager').delete(`/v1/predictions/${id}`).expect(200);
  });

  it('records every configuration change: who, what, when, before and after', async () => {
    const started = Date.now();
    const created = await as('manager').post('/v1/predictions').send(prediction).expect(201);
    const id = created.body.prediction.id as string;
    await as('manager').patch(`/v1/predictions/${id}`).send({ name: 'Churn (renamed)' }).expect(200);
    await as('manager').post(`/v1/predictions/${id}/archive`).expect(200);
    await as('manager').post(`/v1/predictions/${id}/unarchive`).expect(200);
    await as('admin').post(`/v1/predictions/${id}/run`).send({ kind: 'retrain' }).expect(202);
    // No worker serves this test's queue: end the retrain the schedule started.
    const d = await client.schedule.getHandle(`${env.TASK_QUEUE_PREFIX}/retrain:${id}`).describe();
    for (const a of d.info.recentActions) await client.workflow.getHandle(a.action.workflow.workflowId).terminate('test done').catch(() => undefined);
    await as('manager').delete(`/v1/predictions/${id}`).expect(200);

    const page = await as('admin').get(`/v1/audit?resourceType=prediction&resourceId=${id}`).expect(200);
    const entries = page.body.entries as { action: string; actor: { keyId: string; role: Role }; at: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[];
    expect(entries.map((e) => e.action)).toEqual([
      'prediction.delete',
      'prediction.run',
      'prediction.unarchive',
      'prediction.archive',
      'prediction.update',
      'prediction.create',
    ]);
    const [del, runNow, unarchive, archive, update, create] = entries;
    expect(create).toMatchObject({ actor: { keyId: keyId(keys.manager), role: 'manager', name: 'test manager' }, before: null, after: { id, name: 'Churn (audit)' } });
    expect(update).toMatchObject({ before: { name: 'Churn (audit)' }, after: { name: 'Churn (renamed)' } });
    expect(archive).toMatchObject({ before: { archived: false }, after: { archived: true } });
    expect(unarchive).toMatchObject({ before: { archived: true }, after: { archived: false } });
    expect(runNow).toMatchObject({ actor: { keyId: keyId(keys.admin), role: 'admin' }, after: { triggered: 'retrain' } });
    expect(del).toMatchObject({ before: { id, name: 'Churn (renamed)' }, after: null });
    for (const e of entries) expect(new Date(e.at).getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(page.body.next).toBeNull();

    // Paged newest first, and filtered by the key that acted.
    const first = await as('admin').get(`/v1/audit?resourceId=${id}&limit=4`).expect(200);
    expect(first.body.entries).toHaveLength(4);
    const rest = await as('admin').get(`/v1/audit?resourceId=${id}&limit=4&before=${first.body.next}`).expect(200);
    expect([...first.body.entries, ...rest.body.entries].map((e: { action: string }) => e.action)).toEqual(entries.map((e) => e.action));
    const byAdmin = await as('admin').get(`/v1/audit?keyId=${keyId(keys.admin)}&resourceType=prediction`).expect(200);
    expect(byAdmin.body.entries.map((e: { action: string }) => e.action)).toEqual(['prediction.run']);
    await as('admin').get('/v1/audit?limit=0').expect(400);
    await as('admin').get('/v1/audit?sort=-at').expect(400);
  });

  it('makes a key shown once, lists keys without secrets, and a revoked key stops working at once', async () => {
    const made = await as('admin').post('/v1/keys').send({ role: 'viewer', name: 'dashboard' }).expect(201);
    const token = made.body.token as string;
    expect(token).toMatch(/^pk_[0-9a-f]{16}_/);
    expect(made.body.key).toMatchObject({ id: keyId(token), role: 'viewer', name: 'dashboard', createdBy: `${keyId(keys.admin)} (test admin)`, revokedAt: null });
    await withKey(app.getHttpServer(), token).get('/v1/predictions').expect(200);

    const listed = await as('admin').get('/v1/keys').expect(200);
    expect(listed.body.map((k: { id: string }) => k.id)).toContain(keyId(token));
    const text = JSON.stringify(listed.body);
    for (const t of [token, ...Object.values(keys)]) expect(text).not.toContain(t.slice(20));
    expect(text).not.toMatch(/secret|hash/i);
    const stored = await db.collection('api_keys').findOne({ _id: keyId(token) as never });
    expect(JSON.stringify(stored)).not.toContain(token.slice(20));

    await as('admin').post(`/v1/keys/${keyId(token)}/revoke`).expect(200);
    await withKey(app.getHttpServer(), token).get('/v1/predictions').expect(401);
    await as('admin').post('/v1/keys/k_0000000000000000/revoke').expect(404);
    await as('admin').post('/v1/keys').send({ role: 'root' }).expect(400);

    const log = await as('admin').get(`/v1/audit?resourceType=key&resourceId=${keyId(token)}`).expect(200);
    expect(log.body.entries.map((e: { action: string }) => e.action)).toEqual(['key.revoke', 'key.create']);
    expect(log.body.entries[0]).toMatchObject({ actor: { keyId: keyId(keys.admin) }, before: { revokedAt: null }, after: { id: keyId(token) } });
    expect(JSON.stringify(log.body)).not.toContain(token.slice(20));
  });

  it('makes and revokes keys from the command line, straight in the database (no API involved)', async () => {
    const cli = (...args: string[]) =>
      run(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'scripts', 'key-cli.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    const { stdout } = await cli('create', '--role', 'manager', '--name', 'from the cli');
    const token = stdout.trim();
    expect(token).toMatch(/^pk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    await withKey(app.getHttpServer(), token).post('/v1/predictions').send({}).expect(400); // authorised, then validated
    await expect(cli('create', '--role', 'superuser')).rejects.toMatchObject({ code: 2 });
    const listed = await cli('list');
    expect(listed.stdout).toContain(keyId(token));
    await cli('revoke', keyId(token));
    // The CLI is another process: this API trusts its cached copy for up to API_KEY_CACHE_SECONDS.
    await new Promise((r) => setTimeout(r, (cfg.API_KEY_CACHE_SECONDS + 1) * 1000));
    await withKey(app.getHttpServer(), token).get('/v1/predictions').expect(401);
    const entries = (await as('admin').get(`/v1/audit?resourceId=${keyId(token)}`).expect(200)).body.entries;
    expect(entries.map((e: { action: string; actor: { name: string } }) => [e.action, e.actor.name.startsWith('cli:')])).toEqual([
      ['key.revoke', true],
      ['key.create', true],
    ]);
    expect((await request(app.getHttpServer()).get('/v1/keys')).status).toBe(401);
  });
});
