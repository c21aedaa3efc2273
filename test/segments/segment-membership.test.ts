import { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { Role } from '../../libs/domain/access';
import { ControlGroupAssignment } from '../../libs/domain/control-group';
import { inControlGroup } from '../../libs/segments';
import { keysByRole, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { activePrediction, writeScoreSet } from '../support/score-sets';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

const USERS = 400;
const PREDICTION = 'p_00000000bb01';

/** Deterministic scores 0-100, different per seed. */
const scores = (seed: number) => new Map(Array.from({ length: USERS }, (_, i) => [`user-${String(i).padStart(4, '0')}`, (i * 37 + seed * 53) % 101]));

/**
 * Segment workflows on the real servers: the members of a score segment are materialised with a
 * version, follow a new score set, each entered/left change is stored once per user (also when an
 * evaluation is repeated after a commit that did not happen), and the control group is excluded or
 * flagged as configured.
 */
describe('segment membership follows scores, once per change (real Temporal, real FerretDB)', () => {
  const { env, cfg } = testEnv('segment-members');
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
    await activePrediction(db, PREDICTION);
    await writeScoreSet(db, PREDICTION, Date.parse('2026-01-01T00:00:00Z'), scores(1));
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await client?.connection.close();
    await dropDb(db);
  });

  const head = (id: string) => db.collection('segment_heads').findOne({ _id: id as never });
  const atVersion = (id: string, version: number) => eventually(async () => ((await head(id))?.version === version ? head(id) : undefined), 60_000, `segment ${id} at version ${version}`);
  /** Every member through the paged API. */
  const members = async (id: string) => {
    const all: { userId: string; inControlGroup: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { members: typeof all; next: string | null } } = await as('viewer').get(`/v1/segments/${id}/members`).query({ limit: 70, ...(cursor ? { cursor } : {}) }).expect(200);
      all.push(...page.body.members);
      cursor = page.body.next;
    } while (cursor);
    return all;
  };
  const storedChanges = (id: string) => db.collection('segment_changes').find({ segmentId: id }).toArray();
  const expected = (s: Map<string, number>, keep: (userId: string) => boolean) => [...s].filter(([u, v]) => v >= 60 && keep(u)).map(([u]) => u).sort();

  it('materialises members with a version, follows a new score set, and emits each change once per user', async () => {
    const cg = (await as('admin').put('/v1/settings/control-group').send({ percentage: 15 }).expect(200)).body.current;
    const assignment: ControlGroupAssignment = { ...cg, from: new Date(cg.from), to: null };
    const inCg = (u: string) => inControlGroup(u, assignment);
    const score = { type: 'predictionScore', predictionId: PREDICTION, min: 60, max: 100 };
    const excluded = (await as('manager').post('/v1/segments').send({ name: 'High, not control', definition: { type: 'and', conditions: [score, { type: 'controlGroup', negate: true }] } }).expect(201)).body.segment.id;
    const flagged = (await as('manager').post('/v1/segments').send({ name: 'High', definition: score }).expect(201)).body.segment.id;

    // Version 1: exactly the users scoring 60+, the control group left out of one and flagged in the other.
    const h1 = await atVersion(excluded, 1);
    await atVersion(flagged, 1);
    const v1 = expected(scores(1), (u) => !inCg(u));
    expect((await members(excluded)).map((m) => m.userId)).toEqual(expect.arrayContaining(v1));
    expect((await members(excluded)).length).toBe(v1.length);
    const all = await members(flagged);
    expect(all.map((m) => m.userId).sort()).toEqual(expected(scores(1), () => true));
    expect(all.filter((m) => m.inControlGroup).map((m) => m.userId).sort()).toEqual(expected(scores(1), inCg));
    expect(all.some((m) => m.inControlGroup)).toBe(true);
    expect((await as('viewer').get(`/v1/segments/${excluded}`).expect(200)).body.membership).toMatchObject({ version: 1, size: v1.length, lastChange: { version: 1, entered: v1.length, left: 0 } });

    // Evaluating again with nothing changed makes no version and no change.
    await as('manager').post(`/v1/segments/${excluded}/evaluate`).expect(202);
    await eventually(async () => ((await head(excluded))!.evaluatedAt > (await head(flagged))!.evaluatedAt ? true : undefined), 60_000, 'the second evaluation');
    expect((await head(excluded))!.version).toBe(1);
    expect(await storedChanges(excluded)).toHaveLength(v1.length);

    // A new score set: the segment moves to version 2 with exactly who entered and who left.
    await writeScoreSet(db, PREDICTION, Date.parse('2026-01-02T00:00:00Z'), scores(2));
    await as('manager').post(`/v1/segments/${excluded}/evaluate`).expect(202);
    const h2 = await atVersion(excluded, 2);
    const v2 = expected(scores(2), (u) => !inCg(u));
    const entered = v2.filter((u) => !v1.includes(u));
    const left = v1.filter((u) => !v2.includes(u));
    expect(entered.length + left.length).toBeGreaterThan(0);
    const changes = (await as('viewer').get(`/v1/segments/${excluded}/changes`).query({ limit: 1000 }).expect(200)).body;
    expect(changes.version).toBe(2);
    expect(changes.changes.filter((c: { change: string }) => c.change === 'entered').map((c: { userId: string }) => c.userId)).toEqual(entered);
    expect(changes.changes.filter((c: { change: string }) => c.change === 'left').map((c: { userId: string }) => c.userId)).toEqual(left);
    expect(h2!.size).toBe(v2.length);

    // The commit of version 2 "never happened" (the head is put back as its plan left it) and the scores
    // moved again: the evaluation builds version 2 again, adopts what was stored for it (so the
    // version's members and its changes agree) and emits nobody twice. Only the users who moved in
    // version 2 move back, so every group that changes now is one version 2 stored: a rebuild that
    // ignored what was stored would put them back in their version-1 place. (Moving others could
    // change a group version 2 left alone, which rightly joins version 2 with changes of its own.)
    await db.collection('segment_heads').replaceOne({ _id: excluded as never }, { ...h1!, planned: 2 });
    const moved = new Set([...entered, ...left]);
    await writeScoreSet(db, PREDICTION, Date.parse('2026-01-03T00:00:00Z'), new Map([...scores(2)].map(([u, v]) => [u, moved.has(u) ? scores(1).get(u)! : v])));
    await as('manager').post(`/v1/segments/${excluded}/evaluate`).expect(202);
    await atVersion(excluded, 2);
    const stored = await storedChanges(excluded);
    expect(stored).toHaveLength(v1.length + entered.length + left.length);
    expect(new Set(stored.map((c) => `${c.version}:${c.userId}`)).size).toBe(stored.length);
    expect((await members(excluded)).map((m) => m.userId).sort()).toEqual(v2);
  });

  it('evaluates profile and event conditions from the user records, and segments that read segments follow them', async () => {
    const day = 86_400_000;
    const ts = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();
    const people = Array.from({ length: 30 }, (_, i) => ({ id: `rec-${i}`, email: `rec-${i}@example.test`, attributes: { plan: i % 3 === 0 ? 'pro' : 'free' } }));
    await as('ingest').post('/v1/users').send({ users: people }).expect(200);
    // Users 0-14 bought twice in the last 90 days, the others once (and once long ago).
    const events = people.flatMap((p, i) => [
      { eventId: `${p.id}-a`, userId: p.id, type: 'purchase', amount: 10, ts: ts(5) },
      i < 15 ? { eventId: `${p.id}-b`, userId: p.id, type: 'purchase', amount: 10, ts: ts(20) } : { eventId: `${p.id}-b`, userId: p.id, type: 'purchase', amount: 10, ts: ts(400) },
    ]);
    await as('ingest').post('/v1/events').send({ events }).expect(200);
    const proBuyers = (
      await as('manager')
        .post('/v1/segments')
        .send({ name: 'Pro repeat buyers', definition: { type: 'and', conditions: [{ type: 'attributeEquals', attribute: 'plan', value: 'pro' }, { type: 'eventCount', eventType: 'purchase', withinDays: 90, min: 2 }] } })
        .expect(201)
    ).body.segment.id;
    const expectedPro = people.filter((_, i) => i % 3 === 0 && i < 15).map((p) => p.id).sort();
    await eventually(async () => ((await head(proBuyers))?.version === 1 ? true : undefined), 60_000, 'the records segment at version 1');
    expect((await members(proBuyers)).map((m) => m.userId).sort()).toEqual(expectedPro);

    // A typology filtering rule that excludes the segment reads its materialised members.
    await as('manager').post('/v1/typologies').send({ id: 'no-pro-buyers', name: 'Not to pro buyers', rules: [{ type: 'filtering', name: 'skip-pro-buyers', excludeSegments: [proBuyers] }] }).expect(201);
    const decide = (userId: string) => as('manager').post('/v1/decisions').send({ userId, message: { id: `m-${userId}`, typologyId: 'no-pro-buyers', channel: 'email' } }).expect(200);
    expect((await decide('rec-0')).body).toMatchObject({ outcome: 'suppress', rule: 'skip-pro-buyers' });
    expect((await decide('rec-1')).body.outcome).toBe('send');

    // A segment reading it (not a member of it): everyone else in the user records.
    const others = (await as('manager').post('/v1/segments').send({ name: 'Not pro buyers', definition: { type: 'and', conditions: [{ type: 'attributeExists', attribute: 'plan' }, { type: 'segment', segmentId: proBuyers, negate: true }] } }).expect(201)).body.segment.id;
    await eventually(async () => ((await head(others))?.version === 1 ? true : undefined), 60_000, 'the reader at version 1');
    expect((await members(others)).map((m) => m.userId).sort()).toEqual(people.map((p) => p.id).filter((id) => !expectedPro.includes(id)).sort());

    // rec-18 (pro, one recent purchase) buys again: the first segment gains them when re-evaluated,
    // and the reader loses them on its own (signalled by the commit).
    await as('ingest').post('/v1/events').send({ events: [{ eventId: 'rec-18-c', userId: 'rec-18', type: 'purchase', amount: 5, ts: ts(1) }] }).expect(200);
    await as('manager').post(`/v1/segments/${proBuyers}/evaluate`).expect(202);
    await eventually(async () => ((await head(others))?.version === 2 ? true : undefined), 60_000, 'the reader at version 2');
    expect((await as('viewer').get(`/v1/segments/${others}/changes`).expect(200)).body.changes).toEqual([{ userId: 'rec-18', change: 'left', version: 2 }]);
  });
});
