import { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApi } from '../../apps/api/main';
import { createKey, withKey } from '../support/api-keys';
import { dropDb, openDb, testEnv } from '../support/test-env';

/** The value of one sample of the exposition text (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GET /metrics on the API (real FerretDB, real Temporal)', () => {
  const { cfg } = testEnv('api-metrics');
  let app: INestApplication;
  let db: mongoose.Connection;
  const scrape = async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return res.text;
  };

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
  });
  afterAll(async () => {
    await app.close();
    await dropDb(db);
  });

  it('counts requests by route pattern and status, refusals included, without a key', async () => {
    const before = await scrape();
    const refused = 'propensity_http_requests_total{method="GET",route="/v1/predictions/:id",status="401"}';
    await request(app.getHttpServer()).get('/v1/predictions/p_0123456789ab').expect(401);
    await request(app.getHttpServer()).get('/v1/predictions/p_ba9876543210').expect(401);
    await request(app.getHttpServer()).get('/no/such/route').expect(404);
    const after = await scrape();
    expect(sample(after, refused) - sample(before, refused)).toBe(2);
    // Patterns only: no ID of a prediction reaches a label.
    expect(after).not.toContain('p_0123456789ab');
    expect(sample(after, 'propensity_http_requests_total{method="GET",route="unmatched",status="404"}')).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/^propensity_api_process_cpu_seconds_total /m);
  });

  it('counts events stored through POST /v1/events, not their retries', async () => {
    const key = await createKey(app, 'ingest');
    const events = [0, 1, 2].map((i) => ({ eventId: `m-${i}`, userId: 'metrics-user', type: 'session', ts: '2024-01-01T00:00:00Z' }));
    const before = sample(await scrape(), 'propensity_events_ingested_total');
    await withKey(app.getHttpServer(), key).post('/v1/events').send({ events }).expect(200);
    await withKey(app.getHttpServer(), key).post('/v1/events').send({ events }).expect(200);
    const after = await scrape();
    expect(sample(after, 'propensity_events_ingested_total') - before).toBe(3);
    expect(sample(after, 'propensity_http_requests_total{method="POST",route="/v1/events",status="200"}')).toBe(2);
  });
});
