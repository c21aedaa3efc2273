import { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApi } from '../../apps/api/main';
import { createKey, withKey } from '../support/api-keys';
import { storedEvents } from '../support/stored-data';
import { dropDb, openDb, testEnv } from '../support/test-env';

describe('users and events API (real FerretDB, real Temporal)', () => {
  const { cfg } = testEnv('events-api');
  let app: INestApplication;
  let db: mongoose.Connection;
  let api: () => ReturnType<typeof withKey>;
  let reader: () => ReturnType<typeof withKey>;

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
    // An ingest key sends; reading profiles takes a reader's key.
    const ingest = await createKey(app, 'ingest');
    const viewer = await createKey(app, 'viewer');
    api = () => withKey(app.getHttpServer(), ingest);
    reader = () => withKey(app.getHttpServer(), viewer);
  });
  afterAll(async () => {
    await app.close();
    await dropDb(db);
  });

  const batch = Array.from({ length: 250 }, (_, i) => ({
    eventId: `evt-${i}`,
    userId: `user-${i % 10}`,
    type: i % 5 === 0 ? 'purchase' : 'session',
    ts: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    ...(i % 5 === 0 ? { amount: 10 + i } : {}),
  }));

  it('stores a batch once: sending it again stores nothing twice', async () => {
    const first = await api().post('/v1/events').send({ events: batch }).expect(200);
    expect(first.body).toEqual({ accepted: 250, rejected: [] });
    const again = await api().post('/v1/events').send({ events: batch }).expect(200);
    expect(again.body).toEqual({ accepted: 250, rejected: [] });
    const stored = await storedEvents(db);
    expect(stored.events.size).toBe(250);
    expect(stored.users.size).toBe(10);
    // An identical retry writes no new record at all.
    expect(stored.records).toBe(10);
  });

  it('stores the new events of a batch that mixes new and already-stored ones, each event once', async () => {
    const mixed = [...batch.slice(0, 50), { eventId: 'evt-new-1', userId: 'user-1', type: 'email_open', ts: '2024-02-01T00:00:00Z' }];
    const res = await api().post('/v1/events').send({ events: mixed }).expect(200);
    expect(res.body).toMatchObject({ accepted: 51 });
    expect((await storedEvents(db)).events.size).toBe(251);
    const profile = await reader().get('/v1/users/user-1?events=0').expect(200);
    expect(profile.body.eventCount).toBe(26);
  });

  it('reports every bad item with index, field and reason and stores the valid rest', async () => {
    const res = await api()
      .post('/v1/events')
      .send({
        events: [
          { eventId: 'ok-1', userId: 'user-x', type: 'session', ts: '2024-03-01T00:00:00Z' },
          { eventId: 'bad-1', userId: 'user-x', type: 'purchase', ts: '2024-03-01T00:00:00Z' },
          { eventId: 'bad-2', userId: 'user-x', type: 'Not A Type', ts: 'soon' },
          { eventId: 'ok-2', userId: 'user-x', type: 'custom_thing', ts: '2024-03-02T00:00:00Z', properties: { plan: 'pro' } },
        ],
      })
      .expect(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([
      { index: 1, field: 'amount', reason: 'required for purchase events' },
      { index: 2, field: 'type', reason: 'must be lower_snake_case, 1-64 characters' },
      { index: 2, field: 'ts', reason: 'must be an ISO-8601 date or date-time with a zone, e.g. 2026-12-06T10:00:00Z' },
    ]);
    expect([...(await storedEvents(db)).events.values()].filter((e) => e.userId === 'user-x').map((e) => e.eventId).sort()).toEqual(['ok-1', 'ok-2']);
  });

  it('answers 400 with the field and reason when nothing in the request is usable', async () => {
    const res = await api().post('/v1/events').send({ events: [{ eventId: 'z' }] }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'no valid item in events' });
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field: 'events.0.userId', reason: 'Required' }]));
    expect((await storedEvents(db)).events.has('z')).toBe(false);
    const envelope = await api().post('/v1/events').send([]).expect(400);
    expect(envelope.body.errors[0]).toEqual({ field: '(body)', reason: 'Expected object, received array' });
  });

  it('upserts profiles, merging attributes, and shows them with recent events', async () => {
    await api()
      .post('/v1/users')
      .send({ users: [{ id: 'user-1', email: 'one@example.test', timezone: 'Europe/Paris', attributes: { plan: 'pro' } }] })
      .expect(200);
    const res = await api()
      .post('/v1/users')
      .send({ users: [{ id: 'user-1', attributes: { country: 'FR' } }, { id: 'user-bad', timezone: 'Nowhere/Town' }] })
      .expect(200);
    expect(res.body).toMatchObject({ accepted: 1, rejected: [{ index: 1, field: 'timezone' }] });

    const profile = await reader().get('/v1/users/user-1?events=3').expect(200);
    expect(profile.body).toMatchObject({
      id: 'user-1',
      email: 'one@example.test',
      timezone: 'Europe/Paris',
      attributes: { plan: 'pro', country: 'FR' },
      subscription: { email: 'subscribed' },
    });
    expect(profile.body.recentEvents.map((e: { eventId: string }) => e.eventId)).toEqual(['evt-new-1', 'evt-241', 'evt-231']);
    await reader().get('/v1/users/nobody').expect(404);
    await reader().get('/v1/users/user-1?events=9999').expect(400);
  });

  it('reports MongoDB and Temporal healthy', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', mongodb: { ok: true }, temporal: { ok: true } });
  });
});
