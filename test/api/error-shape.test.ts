import { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import request, { Response } from 'supertest';
import { createApi } from '../../apps/api/main';
import { errorBodySchema } from '../../apps/api/common/error-body';
import { PredictionsReconciler } from '../../apps/api/predictions/predictions-reconciler.service';
import { Role } from '../../libs/domain/access';
import { createKey, withKey } from '../support/api-keys';
import { freePort } from '../support/free-port';
import { routeTable } from '../support/route-table';
import { dropDb, openDb, testEnv } from '../support/test-env';

const LIMITS = {
  BODY_LIMIT_BYTES: '4096',
  BODY_LIMIT_BULK_BYTES: '200000',
  IMPORT_UPLOAD_MAX_BYTES: '2048',
  RATE_LIMIT_INGEST_PER_MINUTE: '5',
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3',
};

interface Case {
  controller: string;
  what: string;
  status: number;
  send: () => Promise<Response>;
}

/**
 * Every error answer of the API has the one shape, whatever its cause: real failing requests on every
 * controller (bad input, missing things, conflicts, limits, authentication, a dependency down).
 */
describe('one error shape on every route (real FerretDB, real Temporal)', () => {
  Object.assign(process.env, LIMITS);
  const { cfg } = testEnv('error-shape');
  let app: INestApplication;
  let db: mongoose.Connection;
  const keys: Partial<Record<Role, string>> = {};
  const as = (role: Role) => withKey(app.getHttpServer(), keys[role]!);
  /** Ingestion limits are per key: cases that ingest each take a key of their own. */
  const freshIngest = async () => withKey(app.getHttpServer(), await createKey(app, 'ingest'));
  const seen: { controller: string; status: number }[] = [];

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
    for (const role of ['admin', 'manager', 'viewer'] as const) keys[role] = await createKey(app, role);
  });
  afterAll(async () => {
    await app.close();
    await dropDb(db);
  });

  const expectShape = (res: Response, status: number, what: string) => {
    expect({ what, status: res.status }).toEqual({ what, status });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(errorBodySchema.parse(res.body)).toEqual(res.body);
  };

  const cases: Case[] = [
    { controller: 'UsersController', what: 'no users key', status: 400, send: async () => (await freshIngest()).post('/v1/users').send({}) },
    { controller: 'UsersController', what: 'no valid user', status: 400, send: async () => (await freshIngest()).post('/v1/users').send({ users: [{ email: 'x' }] }) },
    { controller: 'UsersController', what: 'unknown user', status: 404, send: async () => as('viewer').get('/v1/users/nobody') },
    { controller: 'UsersController', what: 'bad query', status: 400, send: async () => as('viewer').get('/v1/users/u?events=9999') },
    { controller: 'EventsController', what: 'body is an array', status: 400, send: async () => (await freshIngest()).post('/v1/events').send([]) },
    { controller: 'EventsController', what: 'invalid JSON', status: 400, send: async () => (await freshIngest()).post('/v1/events').set('content-type', 'application/json').send('{"events": [') },
    {
      controller: 'EventsController',
      what: 'bulk body over its cap',
      status: 413,
      send: async () => (await freshIngest()).post('/v1/events').send({ events: [{ eventId: 'a', userId: 'u', type: 'session', ts: '2024-01-01T00:00:00Z', properties: { pad: 'x'.repeat(250_000) } }] }),
    },
    { controller: 'ImportsController', what: 'path outside IMPORT_DIR', status: 400, send: async () => (await freshIngest()).post('/v1/imports').send({ path: '../../etc/passwd', preset: 'cdnow' }) },
    { controller: 'ImportsController', what: 'unknown preset', status: 400, send: async () => (await freshIngest()).post('/v1/imports').send({ path: 'a.csv', preset: 'nope' }) },
    { controller: 'ImportsController', what: 'bad import id', status: 400, send: async () => as('viewer').get('/v1/imports/xyz') },
    { controller: 'ImportsController', what: 'unknown import', status: 404, send: async () => as('viewer').get(`/v1/imports/${'0'.repeat(24)}`) },
    {
      controller: 'ImportsController',
      what: 'upload over its cap',
      status: 413,
      send: async () => (await freshIngest()).post('/v1/imports/upload?format=ndjson').set('content-type', 'application/x-ndjson').send('{}\n'.repeat(1000)),
    },
    { controller: 'ImportsController', what: 'upload without a format', status: 400, send: async () => (await freshIngest()).post('/v1/imports/upload').set('content-type', 'text/csv').send('a,b\n') },
    { controller: 'PredictionsController', what: 'invalid definition', status: 400, send: async () => as('manager').post('/v1/predictions').send({ name: 'x', type: 'churn', definition: { windowDays: 90 } }) },
    { controller: 'PredictionsController', what: 'bad id', status: 400, send: async () => as('viewer').get('/v1/predictions/nope') },
    { controller: 'PredictionsController', what: 'unknown prediction', status: 404, send: async () => as('viewer').get('/v1/predictions/p_000000000000') },
    { controller: 'PredictionsController', what: 'configuration body over its cap', status: 413, send: async () => as('manager').post('/v1/predictions').send({ name: 'x'.repeat(5000) }) },
    {
      controller: 'PredictionsController',
      what: 'run an archived prediction',
      status: 409,
      send: async () => {
        const id = (await as('manager').post('/v1/predictions').send({ name: 'Archived', type: 'purchase', definition: { windowDays: 7 } }).expect(201)).body.prediction.id;
        await as('manager').post(`/v1/predictions/${id}/archive`).expect(200);
        return as('manager').post(`/v1/predictions/${id}/run`).send({ kind: 'retrain' });
      },
    },
    { controller: 'KeysController', what: 'unknown role', status: 400, send: async () => as('admin').post('/v1/keys').send({ role: 'root' }) },
    { controller: 'KeysController', what: 'revoke an unknown key', status: 404, send: async () => as('admin').post('/v1/keys/k_0000000000000000/revoke') },
    { controller: 'AuditController', what: 'bad page size', status: 400, send: async () => as('admin').get('/v1/audit?limit=100000') },
    { controller: 'AuditController', what: 'no key', status: 401, send: async () => request(app.getHttpServer()).get('/v1/audit') },
    { controller: 'AuditController', what: 'a manager', status: 403, send: async () => as('manager').get('/v1/audit') },
    { controller: 'SegmentsController', what: 'a $where in the definition', status: 400, send: async () => as('manager').post('/v1/segments').send({ name: 'x', definition: { $where: '1' } }) },
    { controller: 'SegmentsController', what: 'unknown segment', status: 404, send: async () => as('viewer').get('/v1/segments/s_000000000000') },
    { controller: 'ControlGroupController', what: 'a control group of 50%', status: 400, send: async () => as('admin').put('/v1/settings/control-group').send({ percentage: 50 }) },
    { controller: 'TypologiesController', what: 'a typology without rules', status: 400, send: async () => as('manager').post('/v1/typologies').send({}) },
    { controller: 'SuppressionListsController', what: 'no entries', status: 400, send: async () => as('manager').post('/v1/suppression-lists/bounces/entries').send({}) },
    { controller: 'DecisionsController', what: 'a decision without a message', status: 400, send: async () => as('manager').post('/v1/decisions').send({ userId: 'u1' }) },
    { controller: 'SendTimeController', what: 'unknown user', status: 404, send: async () => as('viewer').get('/v1/users/nobody/send-time') },
    { controller: '(none)', what: 'unknown route', status: 404, send: async () => as('admin').get('/v1/nothing-here') },
  ];

  it.each(cases.map((c) => [`${c.controller}: ${c.what} → ${c.status}`, c] as const))('%s', async (_title, c) => {
    expectShape(await c.send(), c.status, c.what);
    seen.push({ controller: c.controller, status: c.status });
  });

  it('limits ingestion per key: 429 with Retry-After in the shape, other keys unaffected', async () => {
    const agent = await freshIngest();
    for (let i = 0; i < 5; i++) await agent.post('/v1/events').send({}).expect(400);
    const limited = await agent.post('/v1/events').send({});
    expectShape(limited, 429, 'ingestion over its budget');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await (await freshIngest()).post('/v1/events').send({}).expect(400);
    // Reading is not ingestion.
    await as('viewer').get('/v1/predictions').expect(200);
    seen.push({ controller: 'EventsController', status: 429 });
  });

  it('answers 503 with Retry-After naming the dependency that is down (Temporal on a closed port)', async () => {
    const saved = { TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, MONGODB_URI: process.env.MONGODB_URI };
    // Its own (empty) database, so its schedule reconciler has no prediction to retry against the absent server.
    Object.assign(process.env, { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, MONGODB_URI: cfg.MONGODB_URI.replace(/\/([^/?]+)(\?|$)/, '/$1_broken$2') });
    const broken = await createApi();
    // Restored as they were: assigning undefined to process.env would store the string "undefined".
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await broken.init();
    // When the last request that called Temporal was made: the SDK retries a call to an absent server
    // with backoff (10 attempts, at most 5 s apart: under 25 s in all) even after the request's deadline.
    let lastTemporalCall = Date.now();
    try {
      const t = Date.now();
      const res = await request(broken.getHttpServer()).get('/health');
      expectShape(res, 503, 'health with Temporal down');
      expect(res.body.message).toMatch(/^unavailable: temporal \(/);
      expect(res.body.message).not.toMatch(/mongodb/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Date.now() - t).toBeLessThan(5000);
      // Requests that need Temporal end within API_TEMPORAL_TIMEOUT_MS, as 503s too.
      const key = await createKey(broken, 'viewer');
      const t2 = Date.now();
      lastTemporalCall = t2;
      const progress = await withKey(broken.getHttpServer(), key).get(`/v1/imports/${'0'.repeat(24)}`);
      expectShape(progress, 503, 'import progress with Temporal down');
      expect(progress.body.message).toBe('temporal is unavailable: retry later');
      expect(Date.now() - t2).toBeLessThan(cfg.API_TEMPORAL_TIMEOUT_MS + 3000);
    } finally {
      // The reconciler's boot pass retries the absent server for about 20 s; closing the connection under
      // it would make the SDK's retry timer call a closed channel (an uncaught error): let the pass end first.
      await broken.get(PredictionsReconciler).reconcile().catch(() => undefined);
      // Likewise for the requests' own calls: their retries end before the connection closes.
      await new Promise((r) => setTimeout(r, Math.max(0, lastTemporalCall + 25_000 - Date.now())));
      await broken.get<mongoose.Connection>(getConnectionToken()).dropDatabase();
      await broken.close();
    }
    seen.push({ controller: 'HealthController', status: 503 });
  });

  it('covered a real failure on every controller', () => {
    const controllers = [...new Set(routeTable(app).map((r) => r.controller))].sort();
    expect(controllers.filter((c) => !seen.some((s) => s.controller === c))).toEqual([]);
  });

  it('sends security headers, and the OpenAPI page works with them and shows the security scheme and response types', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
    expect(res.headers['x-powered-by']).toBeUndefined();
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);

    const page = await request(app.getHttpServer()).get('/docs').expect(200);
    const scripts = [...page.text.matchAll(/<script[^>]*src=["']([^"']+)["']/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script for the CSP to block
    for (const s of scripts) {
      expect(s).not.toMatch(/^https?:/);
      await request(app.getHttpServer()).get(new URL(s, 'http://x/docs').pathname).expect(200);
    }

    const doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    expect(doc.components.securitySchemes['api-key']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    const ops = Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content?: unknown }> }>>).flatMap(([p, methods]) =>
      Object.entries(methods).map(([m, op]) => ({ route: `${m.toUpperCase()} ${p}`, op })),
    );
    expect(ops.length).toBe(routeTable(app).length);
    const publicRoutes = routeTable(app).filter((r) => r.isPublic).map((r) => `${r.method} ${r.path}`);
    for (const { route, op } of ops) {
      const ok = Object.keys(op.responses).find((s) => s.startsWith('2'));
      expect({ route, typed: Boolean(ok && op.responses[ok].content) }).toEqual({ route, typed: true });
      // /metrics reads only this process's memory: no dependency can be down for it.
      if (route !== 'GET /metrics') expect({ route, error503: Boolean(op.responses['503']?.content) }).toEqual({ route, error503: true });
      if (!publicRoutes.includes(route)) expect({ route, security: op.security }).toEqual({ route, security: [{ 'api-key': [] }] });
    }
  });

  // Last: it locks this address out for a while.
  it('limits failed authentications per address: 429 with Retry-After, even for a good key from there', async () => {
    const bad = () => withKey(app.getHttpServer(), `pk_0123456789abcdef_${'B'.repeat(43)}`).get('/v1/predictions');
    for (let i = 0; i < 3; i++) expectShape(await bad(), 401, 'a wrong key');
    const locked = await bad();
    expectShape(locked, 429, 'one failure too many');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expectShape(await as('viewer').get('/v1/predictions'), 429, 'a good key from a locked-out address');
    await request(app.getHttpServer()).get('/health').expect(200);
  });
});
