import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { Role } from '../../libs/domain/access';
import { deploymentIds } from '../../libs/temporal/workflow-ids';
import { keysByRole, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

const DEBOUNCE_SECONDS = 2;
const GRACE_SECONDS = 3;

/**
 * Ingestion re-evaluates the segments reading what it stored (no evaluate call, no refresh timer: it
 * stays at 60 minutes here), debounced; each commit deletes the member buckets replaced longer than
 * the grace period ago and the change events older than the retention window (zero here: only the
 * current version's are kept).
 */
describe('segments follow ingestion, and old versions are deleted (real Temporal, real FerretDB)', () => {
  const base = testEnv('segment-ingestion');
  const env = {
    ...base.env,
    SEGMENT_INGESTION_DEBOUNCE_SECONDS: String(DEBOUNCE_SECONDS),
    SEGMENT_BUCKET_GRACE_SECONDS: String(GRACE_SECONDS),
    SEGMENT_CHANGES_RETENTION_DAYS: '0',
    IMPORT_DIR: mkdtempSync(path.join(tmpdir(), 'segment-ingestion-')),
  };
  Object.assign(process.env, env);
  const { cfg } = base;
  let app: INestApplication;
  let db: mongoose.Connection;
  let client: Client;
  let worker: WorkerProcess;
  let keys: Record<Role, string>;
  const as = (role: Role) => withKey(app.getHttpServer(), keys[role]);

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    app = await createApi();
    await app.init();
    [keys, worker] = await Promise.all([keysByRole(app), WorkerProcess.start(env)]);
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await client?.connection.close();
    await dropDb(db);
    rmSync(env.IMPORT_DIR, { recursive: true, force: true });
  });

  const head = (id: string) => db.collection('segment_heads').findOne({ _id: id as never });
  const atVersion = (id: string, version: number) => eventually(async () => ((await head(id))?.version === version ? head(id) : undefined), 60_000, `segment ${id} at version ${version}`);
  const members = async (id: string) =>
    ((await as('viewer').get(`/v1/segments/${id}/members`).query({ limit: 1000 }).expect(200)).body.members as { userId: string }[]).map((m) => m.userId).sort();
  const changesOf = (id: string) => db.collection('segment_changes').find({ segmentId: id }).toArray();
  const bucketsOf = async (id: string) => (await db.collection('segment_member_buckets').find({ segmentId: id }).toArray()).map((b) => ({ version: b.version as number, group: b.group as number }));
  const create = async (name: string, definition: unknown) => (await as('manager').post('/v1/segments').send({ name, definition }).expect(201)).body.segment.id as string;
  /** The reasons of the re-evaluation signals the segment's workflow received, in order. */
  const signalReasons = async (id: string) => {
    const history = await client.workflow.getHandle(deploymentIds(cfg).segment(id)).fetchHistory();
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data)
      .filter((d): d is Uint8Array => d instanceof Uint8Array)
      .map((d) => (JSON.parse(Buffer.from(d).toString('utf8')) as { reason: string }).reason);
  };
  const day = 86_400_000;
  const ts = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();

  it('a profile change posted to /v1/users moves an attribute segment, the entered change stored once', async () => {
    await as('ingest')
      .post('/v1/users')
      .send({ users: Array.from({ length: 6 }, (_, i) => ({ id: `u-${i}`, attributes: { plan: i === 0 ? 'gold' : 'free' } })) })
      .expect(200);
    const gold = await create('Gold plan', { type: 'attributeEquals', attribute: 'plan', value: 'gold' });
    await atVersion(gold, 1);
    expect(await members(gold)).toEqual(['u-0']);

    await as('ingest').post('/v1/users').send({ users: [{ id: 'u-3', attributes: { plan: 'gold' } }] }).expect(200);
    await atVersion(gold, 2);
    expect(await members(gold)).toEqual(['u-0', 'u-3']);
    const changes = await changesOf(gold);
    expect(changes.filter((c) => c.userId === 'u-3').map((c) => ({ change: c.change, version: c.version }))).toEqual([{ change: 'entered', version: 2 }]);
    // Moved by ingestion (the profiles posted before it existed may have signalled it too).
    expect(await signalReasons(gold)).toContain('ingestion');
    expect(await signalReasons(gold)).not.toContain('manual');

    // A stream of profile changes that leave the segment as it is: signals, but far fewer than requests.
    const before = (await signalReasons(gold)).length;
    await Promise.all(Array.from({ length: 10 }, (_, i) => as('ingest').post('/v1/users').send({ users: [{ id: `u-${i % 6}`, attributes: { note: `n${i}` } }] }).expect(200)));
    await eventually(async () => ((await signalReasons(gold)).length > before ? true : undefined), 30_000, 'an ingestion signal after the stream');
    await new Promise((r) => setTimeout(r, (DEBOUNCE_SECONDS + 1) * 1000)); // the end of the period the stream fell in
    const sent = (await signalReasons(gold)).length - before;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThan(10);
    expect((await head(gold))!.version).toBe(2);
  });

  it('events posted to /v1/events, or imported, move an event-count segment', async () => {
    await as('ingest')
      .post('/v1/events')
      .send({
        events: [
          { eventId: 'e-1a', userId: 'u-1', type: 'purchase', amount: 5, ts: ts(3) },
          { eventId: 'e-1b', userId: 'u-1', type: 'purchase', amount: 5, ts: ts(4) },
          { eventId: 'e-2a', userId: 'u-2', type: 'purchase', amount: 5, ts: ts(2) },
        ],
      })
      .expect(200);
    const buyers = await create('Bought twice in 30 days', { type: 'eventCount', eventType: 'purchase', withinDays: 30, min: 2 });
    await atVersion(buyers, 1);
    expect(await members(buyers)).toEqual(['u-1']);

    // An event of another type, then a purchase.
    await as('ingest').post('/v1/events').send({ events: [{ eventId: 'e-2v', userId: 'u-2', type: 'page_view', ts: ts(1) }] }).expect(200);
    await as('ingest').post('/v1/events').send({ events: [{ eventId: 'e-2b', userId: 'u-2', type: 'purchase', amount: 5, ts: ts(1) }] }).expect(200);
    await atVersion(buyers, 2);
    expect(await members(buyers)).toEqual(['u-1', 'u-2']);
    expect((await changesOf(buyers)).filter((c) => c.userId === 'u-2').map((c) => c.change)).toEqual(['entered']);
    expect(await signalReasons(buyers)).toContain('ingestion');
    expect(await signalReasons(buyers)).not.toContain('manual');

    // An import (the worker stores it chunk by chunk) signals the segment too.
    const file = [
      { eventId: 'i-4a', userId: 'u-4', type: 'purchase', amount: 7, ts: ts(2) },
      { eventId: 'i-4b', userId: 'u-4', type: 'purchase', amount: 7, ts: ts(6) },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n');
    await as('ingest').post('/v1/imports/upload?format=ndjson').set('content-type', 'application/x-ndjson').send(file).expect(201);
    await atVersion(buyers, 3);
    expect(await members(buyers)).toEqual(['u-1', 'u-2', 'u-4']);
  });

  it('deletes the buckets replaced before the grace period and the changes before the window; the current version reads right', async () => {
    await as('ingest').post('/v1/users').send({ users: [{ id: 'r-0', attributes: { tier: 'top' } }, { id: 'r-1', attributes: { tier: 'low' } }] }).expect(200);
    const top = await create('Top tier', { type: 'attributeEquals', attribute: 'tier', value: 'top' });
    const h1 = (await atVersion(top, 1))!;
    const g0 = (h1.groups as number[]).findIndex((v) => v === 1);
    expect(await bucketsOf(top)).toEqual([{ version: 1, group: g0 }]);

    // Version 2: r-0 leaves, r-1 enters. r-0's group gets a new bucket; its version-1 bucket stays
    // readable through the grace period.
    await as('ingest').post('/v1/users').send({ users: [{ id: 'r-0', attributes: { tier: 'low' } }, { id: 'r-1', attributes: { tier: 'top' } }] }).expect(200);
    const h2 = (await atVersion(top, 2))!;
    expect(h2.groups[g0]).toBe(2);
    expect(await bucketsOf(top)).toContainEqual({ version: 1, group: g0 });
    expect(await members(top)).toEqual(['r-1']);

    // Version 3 after the grace period: the version-1 bucket is gone, every bucket the head names is
    // there, and only version 3's changes are kept (a zero window keeps the current version's).
    await new Promise((r) => setTimeout(r, GRACE_SECONDS * 1000 + 500));
    await as('ingest').post('/v1/users').send({ users: [{ id: 'r-0', attributes: { tier: 'top' } }] }).expect(200);
    const h3 = (await atVersion(top, 3))!;
    const stored = await bucketsOf(top);
    expect(stored.filter((b) => b.version === 1)).toEqual([]);
    (h3.groups as number[]).forEach((v, g) => {
      if (v > 0) expect(stored).toContainEqual({ version: v, group: g });
    });
    expect(await members(top)).toEqual(['r-0', 'r-1']);
    const changes = await changesOf(top);
    expect(changes.map((c) => ({ userId: c.userId, change: c.change, version: c.version }))).toEqual([{ userId: 'r-0', change: 'entered', version: 3 }]);
    expect((await as('viewer').get(`/v1/segments/${top}/changes`).expect(200)).body.changes).toEqual([{ userId: 'r-0', change: 'entered', version: 3 }]);
  });
});
