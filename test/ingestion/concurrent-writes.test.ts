import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { ALL_SLOTS_PARTITION } from '../support/partitions';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { WorkerModule } from '../../apps/worker/worker.module';
import { createKey, withKey } from '../support/api-keys';
import { storedEvents } from '../support/stored-data';
import { dropDb, openDb, testEnv } from '../support/test-env';

/**
 * Many writers touching one user at once: FerretDB makes no update atomic, so the store is
 * insert-only. Every event must be found exactly once by what the features read: the per-user
 * read (journeys, profile) and the population pass (training, rescoring).
 */
describe('concurrent writes to one user (real FerretDB)', () => {
  const { cfg } = testEnv('concurrent-writes');
  let app: INestApplication;
  let db: mongoose.Connection;
  let ingest: string;

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
    ingest = await createKey(app, 'ingest');
  });
  afterAll(async () => {
    await app.close();
    await dropDb(db);
  });

  it('20 concurrent requests and a retried duplicate: every event exactly once, profile changes all kept', async () => {
    const requests = Array.from({ length: 20 }, (_, r) =>
      Array.from({ length: 5 }, (_, i) => ({
        eventId: `r${r}-e${i}`,
        userId: 'hot-user',
        type: i === 0 ? 'purchase' : 'session',
        ts: new Date(Date.UTC(2026, 10, 1) + (r * 5 + i) * 60_000).toISOString(),
        ...(i === 0 ? { amount: r + 1 } : {}),
      })),
    );
    // The 21st request repeats request 7 (a client retry) and overlaps request 8 by one event.
    const retry = [...requests[7], requests[8][0]];
    const api = () => withKey(app.getHttpServer(), ingest);
    const answers = await Promise.all([
      ...requests.map((events) => api().post('/v1/events').send({ events })),
      api().post('/v1/events').send({ events: retry }),
      // Profile changes to different attributes of the same user at the same time.
      ...Array.from({ length: 10 }, (_, k) => api().post('/v1/users').send({ users: [{ id: 'hot-user', attributes: { [`a${k}`]: k } }] })),
    ]);
    for (const a of answers) expect(a.status).toBe(200);

    const expected = requests.flat().map((e) => e.eventId).sort();
    const stored = await storedEvents(db);
    expect([...stored.events.keys()].sort()).toEqual(expected);

    const records = app.get(UserRecordsRepository);
    const one = await records.read('hot-user');
    expect(one!.events.map((e) => e.eventId).sort()).toEqual(expected);
    expect(one!.events.filter((e) => e.type === 'purchase').reduce((s, e) => s + e.amount!, 0)).toBe((20 * 21) / 2);
    expect(one!.attributes).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`a${k}`, k])));

    // The population pass (a separate process's view, as the worker has it) sees the same.
    const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    try {
      const users = [];
      for await (const batch of worker.get(UserRecordsRepository).scan(ALL_SLOTS_PARTITION)) users.push(...batch.users);
      const hot = users.filter((u) => u.userId === 'hot-user');
      expect(hot).toHaveLength(1);
      expect(hot[0].events.map((e) => e.eventId).sort()).toEqual(expected);
    } finally {
      await worker.close();
    }
  });
});
