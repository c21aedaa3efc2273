import { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApi } from '../../apps/api/main';
import { errorBodySchema } from '../../apps/api/common/error-body';
import { Role, ROLES } from '../../libs/domain/access';
import { keysByRole, withKey } from '../support/api-keys';
import { expressRoutes, Route, routeTable, sampleUrl } from '../support/route-table';
import { dropDb, openDb, testEnv } from '../support/test-env';

/**
 * Table-driven over the app's real routes: each one is refused without a key (401) and with a key of
 * every role it does not admit (403), in the one error shape. A route that declares no roles fails here.
 */
describe('route table: every route says who may call it (real FerretDB, real Temporal)', () => {
  const { cfg } = testEnv('route-table');
  let app: INestApplication;
  let db: mongoose.Connection;
  let keys: Record<Role, string>;
  let routes: Route[];

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
    keys = await keysByRole(app);
    routes = routeTable(app);
  });
  afterAll(async () => {
    await app.close();
    await dropDb(db);
  });

  const call = (r: Route, token?: string) => {
    const agent = token ? withKey(app.getHttpServer(), token) : request(app.getHttpServer());
    const method = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    return agent[method](sampleUrl(r.path)).send(r.method === 'GET' ? undefined : {});
  };

  it('finds every route Express serves, and each declares its roles or is public', () => {
    // Not served by controllers: the OpenAPI page and Nest's not-found catch-alls.
    const served = expressRoutes(app).filter((r) => !/ \/(docs|\{\*path\})/.test(r));
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(served.sort());
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const undeclared = routes.filter((r) => !r.isPublic && !(r.roles && r.roles.length > 0)).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(undeclared).toEqual([]);
    // Probes and scrapers call these without a key; they name no user, key or prediction.
    expect(routes.filter((r) => r.isPublic).map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /health', 'GET /metrics']);
  });

  it('answers 401 without a key and with a wrong one, on every non-public route', async () => {
    for (const r of routes.filter((x) => !x.isPublic)) {
      const none = await call(r);
      expect({ route: `${r.method} ${r.path}`, status: none.status }).toEqual({ route: `${r.method} ${r.path}`, status: 401 });
      expect(errorBodySchema.parse(none.body)).toEqual(none.body);
    }
    // A key that is not one, once (failed authentications are rate-limited per address).
    const bad = await call(routes.find((r) => r.path === '/v1/predictions' && r.method === 'GET')!, `pk_0123456789abcdef_${'A'.repeat(43)}`);
    expect(bad.status).toBe(401);
  });

  it('answers 403 with a key of every role a route does not admit', async () => {
    let checked = 0;
    for (const r of routes.filter((x) => !x.isPublic)) {
      for (const role of ROLES.filter((x) => !r.roles!.includes(x))) {
        const res = await call(r, keys[role]);
        expect({ route: `${r.method} ${r.path}`, role, status: res.status }).toEqual({ route: `${r.method} ${r.path}`, role, status: 403 });
        expect(errorBodySchema.parse(res.body)).toEqual(res.body);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(routes.length); // most routes refuse two or more roles
  });

  it('keeps writes from viewers and configuration from ingest keys', () => {
    const writes = routes.filter((r) => r.method !== 'GET' && !r.isPublic);
    expect(writes.filter((r) => r.roles!.includes('viewer'))).toEqual([]);
    const configuration = routes.filter((r) => /^\/v1\/(predictions|keys|audit|typologies|suppression-lists|decisions)/.test(r.path));
    expect(configuration.filter((r) => r.roles!.includes('ingest'))).toEqual([]);
    expect(routes.filter((r) => /^\/v1\/(keys|audit)/.test(r.path)).every((r) => r.roles!.join() === 'admin')).toBe(true);
  });
});
