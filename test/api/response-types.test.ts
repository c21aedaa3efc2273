import { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import request from 'supertest';
import { ZodTypeAny } from 'zod';
import { createApi } from '../../apps/api/main';
import {
  analyticsSchema,
  predictionChangedSchema,
  predictionDeletedSchema,
  predictionSchema,
  reconcileReportSchema,
} from '../../apps/api/predictions/predictions.responses';
import { userProfileSchema, usersWrittenSchema } from '../../apps/api/users/users.responses';
import { Role } from '../../libs/domain/access';
import { keysByRole, withKey } from '../support/api-keys';
import { dropDb, openDb, testEnv } from '../support/test-env';

/** The response types the OpenAPI document shows are what the routes really answer. */
describe('response bodies match their OpenAPI schemas (real FerretDB, real Temporal)', () => {
  const { cfg } = testEnv('response-types');
  let app: INestApplication;
  let db: mongoose.Connection;
  let keys: Record<Role, string>;
  const as = (role: Role) => withKey(app.getHttpServer(), keys[role]);
  const matches = (schema: ZodTypeAny, body: unknown) => {
    const parsed = schema.safeParse(body);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  };

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
    keys = await keysByRole(app);
  });
  afterAll(async () => {
    await app.close();
    await dropDb(db);
  });

  it('predictions', async () => {
    const created = await as('manager').post('/v1/predictions').send({ name: 'Types', type: 'purchase', definition: { windowDays: 7 } }).expect(201);
    matches(predictionChangedSchema, created.body);
    const id = created.body.prediction.id;
    matches(predictionSchema, (await as('viewer').get(`/v1/predictions/${id}`).expect(200)).body);
    matches(predictionSchema.array(), (await as('viewer').get('/v1/predictions').expect(200)).body);
    matches(analyticsSchema, (await as('viewer').get(`/v1/predictions/${id}/analytics`).expect(200)).body);
    matches(predictionChangedSchema, (await as('manager').patch(`/v1/predictions/${id}`).send({ name: 'Types 2' }).expect(200)).body);
    matches(reconcileReportSchema, (await as('manager').post('/v1/predictions/reconcile').expect(200)).body);
    matches(predictionDeletedSchema, (await as('manager').delete(`/v1/predictions/${id}`).expect(200)).body);
  });

  it('users and health', async () => {
    matches(usersWrittenSchema, (await as('ingest').post('/v1/users').send({ users: [{ id: 'u1', email: 'u1@example.test', attributes: { plan: 'pro' } }, { id: '' }] }).expect(200)).body);
    await as('ingest').post('/v1/events').send({ events: [{ eventId: 'e1', userId: 'u1', type: 'purchase', amount: 3, ts: '2024-01-01T00:00:00Z', properties: { sku: 'a' } }] }).expect(200);
    matches(userProfileSchema, (await as('viewer').get('/v1/users/u1').expect(200)).body);
    const health = await request(app.getHttpServer()).get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', mongodb: { ok: true }, temporal: { ok: true } });
  });
});
