import { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { errorBodySchema } from '../../apps/api/common/error-body';
import { confirmResponseSchema, decisionLogSchema, decisionResponseSchema, releasedResponseSchema } from '../../apps/api/decisions/decisions.responses';
import { sendTimeResponseSchema } from '../../apps/api/send-time/send-time.responses';
import { suppressionAddedSchema, suppressionCheckSchema, suppressionRemovedSchema, typologyChangedSchema, typologyDeletedSchema, typologyResponseSchema } from '../../apps/api/typologies/typologies.responses';
import { ZodTypeAny } from 'zod';
import { Role } from '../../libs/domain/access';
import { keysByRole, withKey } from '../support/api-keys';
import { dropDb, openDb, testEnv } from '../support/test-env';

const DAY = 86_400_000;
const NOW = '2030-01-15T12:00:00.000Z';

const weekly = { id: 'weekly', name: 'Three a week', rules: [{ type: 'pressure', name: 'weekly', maxMessages: 3, window: { amount: 7, unit: 'days' }, whenCapped: 'defer' }] };
const night = { id: 'night', name: 'Quiet nights', rules: [{ type: 'quiet_hours', name: 'night', start: '21:00', end: '08:00' }] };
const provider = { id: 'provider', name: 'Provider limit', rules: [{ type: 'capacity', name: 'provider', channel: 'email', maxPerDay: 100 }] };
const hygiene = { id: 'hygiene', name: 'Hygiene', rules: [{ type: 'filtering', name: 'hygiene', suppressionLists: ['bounces'] }] };

/**
 * The typology API over HTTP on the real FerretDB: typology configuration (validation, roles,
 * audit), suppression lists, and decisions with their reservations, history and send time.
 */
describe('typologies, decisions and send time over HTTP (real FerretDB, real Temporal)', () => {
  const { cfg } = testEnv('typology-api');
  let app: INestApplication;
  let db: mongoose.Connection;
  let keys: Record<Role, string>;
  const as = (role: Role) => withKey(app.getHttpServer(), keys[role]);
  const decide = (userId: string, message: Record<string, unknown>, at = NOW) =>
    as('manager').post('/v1/decisions').send({ userId, message: { channel: 'email', ...message }, at });
  /** Bodies match the schemas the OpenAPI document shows. */
  const matches = (schema: ZodTypeAny, body: unknown) => {
    const parsed = schema.safeParse(body);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  };
  const users = (list: Record<string, unknown>[]) => as('ingest').post('/v1/users').send({ users: list }).expect(200);

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
    keys = await keysByRole(app);
    for (const t of [weekly, night, provider, hygiene]) await as('manager').post('/v1/typologies').send(t).expect(201);
  });
  afterAll(async () => {
    await app.close();
    await dropDb(db);
  });

  it('validates typologies at the edge, naming the field, and records every change in the audit log', async () => {
    const bad = await as('manager')
      .post('/v1/typologies')
      .send({ id: 'bad', name: 'Bad', rules: [{ type: 'pressure', name: 'p', maxMessages: 0, window: { amount: 7, unit: 'weeks' } }, { type: 'teleport', name: 'x' }] })
      .expect(400);
    expect(errorBodySchema.parse(bad.body)).toEqual(bad.body);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['rules.0.maxMessages', 'rules.0.window.unit', 'rules.1.type']));
    const hostile = await as('manager').post('/v1/typologies').send({ id: 'h', name: 'H', rules: [], $where: 'sleep(1000)' }).expect(400);
    expect(hostile.body.errors).toEqual([{ field: '(body)', reason: expect.stringContaining('$where') }]);
    expect((await as('manager').post('/v1/typologies').send(weekly).expect(409)).body.message).toBe('typology weekly already exists');
    await as('viewer').post('/v1/typologies').send({ ...weekly, id: 'w2' }).expect(403);

    const created = await as('manager').post('/v1/typologies').send({ id: 'tmp', name: 'Temp', rules: [] }).expect(201);
    expect(created.body).toEqual({ typology: { id: 'tmp', name: 'Temp', rules: [] } });
    matches(typologyChangedSchema, created.body);
    const changed = { name: 'Temp 2', rules: [{ type: 'quiet_hours', name: 'q', start: '22:00', end: '07:00' }] };
    const replaced = await as('manager').put('/v1/typologies/tmp').send(changed).expect(200);
    expect(replaced.body.typology.rules[0]).toEqual({ type: 'quiet_hours', name: 'q', start: '22:00', end: '07:00', defaultTimezone: 'UTC' });
    expect((await as('manager').put('/v1/typologies/tmp').send({ ...changed, id: 'other' }).expect(400)).body.errors[0].field).toBe('id');
    matches(typologyChangedSchema, replaced.body);
    const one = await as('viewer').get('/v1/typologies/tmp').expect(200);
    expect(one.body.name).toBe('Temp 2');
    matches(typologyResponseSchema, one.body);
    matches(typologyResponseSchema.array(), (await as('viewer').get('/v1/typologies').expect(200)).body);
    expect((await as('viewer').get('/v1/typologies').expect(200)).body.map((t: { id: string }) => t.id)).toEqual(['hygiene', 'night', 'provider', 'tmp', 'weekly']);
    matches(typologyDeletedSchema, (await as('manager').delete('/v1/typologies/tmp').expect(200, { id: 'tmp', deleted: true })).body);
    await as('viewer').get('/v1/typologies/tmp').expect(404);

    const audit = await as('admin').get('/v1/audit?resourceType=typology&resourceId=tmp').expect(200);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['typology.delete', 'typology.update', 'typology.create']);
    expect(audit.body.entries[1]).toMatchObject({ actor: { role: 'manager' }, before: { name: 'Temp' }, after: { name: 'Temp 2' } });
  });

  it('50 concurrent decisions for one user with 3 per 7 days: exactly 3 are sent, the rest deferred by the rule, and the history says why', async () => {
    await users([{ id: 'u-fifty', email: 'fifty@example.test' }]);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => decide('u-fifty', { id: `m-${i}`, typologyId: 'weekly' }).expect(200)));
    const sent = answers.filter((a) => a.body.outcome === 'send');
    expect(sent).toHaveLength(3);
    for (const a of sent) expect(a.body.reservationId).toMatch(/^r_[0-9a-f]{24}$/);
    for (const a of answers) matches(decisionResponseSchema, a.body);
    const until = new Date(Date.parse(NOW) + 7 * DAY).toISOString();
    for (const a of answers.filter((x) => x.body.outcome !== 'send')) {
      expect(a.body).toEqual({ outcome: 'defer', rule: 'weekly', ruleType: 'pressure', until, reason: 'pressure cap 3 per 7 days reached; next slot', reservationId: null });
    }
    const history = await as('viewer').get('/v1/decisions?userId=u-fifty&limit=500').expect(200);
    expect(history.body.decisions).toHaveLength(50);
    matches(decisionLogSchema, history.body);
    expect(history.body.decisions.filter((d: { outcome: string; rule: string }) => d.outcome === 'defer' && d.rule === 'weekly')).toHaveLength(47);
    expect((await as('viewer').get('/v1/decisions').expect(400)).body.errors[0].field).toBe('userId');

    // A send that finally fails releases its slot (twice is the same): the next message gets it.
    const id = sent[0].body.reservationId;
    matches(releasedResponseSchema, (await as('manager').post(`/v1/decisions/${id}/release`).send({ reason: 'smtp 550', at: NOW }).expect(200, { reservationId: id, released: true })).body);
    await as('manager').post(`/v1/decisions/${id}/release`).send({ at: NOW }).expect(200);
    expect((await decide('u-fifty', { id: 'm-after-release', typologyId: 'weekly' }).expect(200)).body.outcome).toBe('send');
    expect((await decide('u-fifty', { id: 'm-one-more', typologyId: 'weekly' }).expect(200)).body.outcome).toBe('defer');
    expect((await as('viewer').get('/v1/decisions?messageId=m-0').expect(200)).body.decisions[0]).toBeDefined();
    await as('manager').post('/v1/decisions/r_000000000000000000000000/confirm').send({}).expect(404);
  });

  it('exempt messages pass a full cap; a priority message wins the last slot and the bumped one learns it at confirmation', async () => {
    await users([{ id: 'u-prio', email: 'prio@example.test' }]);
    const ids: string[] = [];
    for (const id of ['p-1', 'p-2']) {
      const r = await decide('u-prio', { id, typologyId: 'weekly' }).expect(200);
      await as('manager').post(`/v1/decisions/${r.body.reservationId}/confirm`).send({ at: NOW }).expect(200, { confirmed: true, bumpedBy: null, decision: null });
      ids.push(r.body.reservationId);
    }
    const low = await decide('u-prio', { id: 'p-low', typologyId: 'weekly', priority: 1 }).expect(200);
    const high = await decide('u-prio', { id: 'p-high', typologyId: 'weekly', priority: 9 }).expect(200);
    expect(high.body).toMatchObject({ outcome: 'send', reason: 'reserved; took the slot of p-low' });
    const lost = await as('manager').post(`/v1/decisions/${low.body.reservationId}/confirm`).send({ at: NOW }).expect(200);
    expect(lost.body).toMatchObject({ confirmed: false, bumpedBy: 'p-high', decision: { outcome: 'defer', rule: 'weekly' } });
    matches(confirmResponseSchema, lost.body);
    expect((await decide('u-prio', { id: 'p-later', typologyId: 'weekly' }).expect(200)).body.outcome).toBe('defer');
    const receipt = await decide('u-prio', { id: 'receipt', typologyId: 'weekly', exempt: true }).expect(200);
    expect(receipt.body).toEqual({ outcome: 'send', reason: 'exempt (transactional): not counted or capped', rule: null, ruleType: null, until: null, reservationId: null });
  });

  it('quiet hours defer to 08:00 local for users in three time zones, each on the night its clocks change', async () => {
    await users([
      { id: 'u-ny', email: 'ny@example.test', timezone: 'America/New_York' },
      { id: 'u-paris', email: 'paris@example.test', timezone: 'Europe/Paris' },
      { id: 'u-sydney', email: 'sydney@example.test', timezone: 'Australia/Sydney' },
    ]);
    // 23:00 local the evening before each zone's DST change of 2030; 08:00 the next morning is on the new offset.
    const cases = [
      { user: 'u-ny', at: '2030-03-10T04:00:00.000Z', until: '2030-03-10T12:00:00.000Z', zone: 'America/New_York' }, // EST -> EDT
      { user: 'u-paris', at: '2030-03-30T22:00:00.000Z', until: '2030-03-31T06:00:00.000Z', zone: 'Europe/Paris' }, // CET -> CEST
      { user: 'u-sydney', at: '2030-04-06T12:00:00.000Z', until: '2030-04-06T22:00:00.000Z', zone: 'Australia/Sydney' }, // AEDT -> AEST
    ];
    for (const c of cases) {
      const local = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: c.zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
      expect(local(c.at)).toBe('23:00');
      const r = await decide(c.user, { id: `quiet-${c.user}`, typologyId: 'night' }, c.at).expect(200);
      expect(r.body).toEqual({ outcome: 'defer', rule: 'night', ruleType: 'quiet_hours', until: c.until, reason: `quiet hours 21:00-08:00 in ${c.zone}`, reservationId: null });
      expect(local(r.body.until)).toBe('08:00');
      // At the deferred time the message goes.
      expect((await decide(c.user, { id: `quiet-${c.user}`, typologyId: 'night' }, c.until).expect(200)).body.outcome).toBe('send');
    }
  });

  it('a capacity of 100 a day holds across 1,000 users', async () => {
    await users(Array.from({ length: 1000 }, (_, i) => ({ id: `cap-${i}`, email: `cap-${i}@example.test` })));
    const outcomes: { outcome: string; until: string | null; rule: string | null }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (let i = next++; i < 1000; i = next++) outcomes.push((await decide(`cap-${i}`, { id: `cap-m-${i}`, typologyId: 'provider' }).expect(200)).body);
      }),
    );
    expect(outcomes.filter((o) => o.outcome === 'send')).toHaveLength(100);
    const rest = outcomes.filter((o) => o.outcome !== 'send');
    expect(rest).toHaveLength(900);
    for (const o of rest) expect(o).toMatchObject({ outcome: 'defer', rule: 'provider', until: '2030-01-16T00:00:00.000Z' });
  });

  it('suppression lists: managed over HTTP, audited, and the filtering rule names the list', async () => {
    await users([{ id: 'u-bounced', email: 'Bounced@Example.test' }, { id: 'u-clean', email: 'clean@example.test' }]);
    matches(suppressionAddedSchema, (await as('manager').post('/v1/suppression-lists/bounces/entries').send({ addresses: ['bounced@example.test'] }).expect(200, { listId: 'bounces', added: 1 })).body);
    await as('manager').post('/v1/suppression-lists/bounces/entries').send({ addresses: ['BOUNCED@example.test'] }).expect(200, { listId: 'bounces', added: 0 });
    expect((await as('manager').post('/v1/suppression-lists/bounces/entries').send({}).expect(400)).body.errors[0].field).toBe('userIds');
    await as('viewer').post('/v1/suppression-lists/bounces/entries').send({ userIds: ['x'] }).expect(403);
    matches(suppressionCheckSchema, (await as('viewer').get('/v1/suppression-lists/bounces/entries?address=bounced@example.test').expect(200, { listId: 'bounces', listed: true })).body);
    expect((await decide('u-bounced', { id: 'h-1', typologyId: 'hygiene' }).expect(200)).body).toMatchObject({ outcome: 'suppress', rule: 'hygiene', reason: 'on suppression list bounces' });
    expect((await decide('u-clean', { id: 'h-2', typologyId: 'hygiene' }).expect(200)).body.outcome).toBe('send');
    matches(suppressionRemovedSchema, (await as('manager').post('/v1/suppression-lists/bounces/entries/remove').send({ addresses: ['bounced@example.test'] }).expect(200, { listId: 'bounces', removed: 1 })).body);
    expect((await decide('u-bounced', { id: 'h-3', typologyId: 'hygiene' }).expect(200)).body.outcome).toBe('send');
    const audit = await as('admin').get('/v1/audit?resourceType=suppression-list&resourceId=bounces').expect(200);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['suppression-list.remove', 'suppression-list.add', 'suppression-list.add']);
  });

  it('refuses decisions that reference nothing, naming the field', async () => {
    expect((await decide('nobody', { id: 'x', typologyId: 'weekly' }).expect(400)).body.errors).toEqual([{ field: 'userId', reason: 'no user with id nobody' }]);
    expect((await decide('u-clean', { id: 'x', typologyId: 'nope' }).expect(400)).body.errors).toEqual([{ field: 'message.typologyId', reason: 'typology nope does not exist' }]);
    expect((await decide('u-clean', { id: 'x', typologyId: 'weekly', channel: 'fax' }).expect(400)).body.errors[0].field).toBe('message.channel');
    expect((await decide('u-clean', { id: 'x', typologyId: 'weekly' }, 'yesterday').expect(400)).body.errors[0].field).toBe('at');
    await as('viewer').post('/v1/decisions').send({ userId: 'u-clean', message: { id: 'x', typologyId: 'weekly', channel: 'email' } }).expect(403);
  });

  it('send time: without a stored profile the next best moment only avoids quiet hours', async () => {
    const r = await as('viewer').get('/v1/users/u-paris/send-time?after=2030-03-30T22:00:00Z&typologyId=night').expect(200);
    expect(r.body).toEqual({ userId: 'u-paris', timezone: 'Europe/Paris', nextBestMoment: '2030-03-31T06:00:00.000Z', profile: null });
    matches(sendTimeResponseSchema, r.body);
    await as('viewer').get('/v1/users/nobody/send-time').expect(404);
    expect((await as('viewer').get('/v1/users/u-paris/send-time?withinHours=0').expect(400)).body.errors[0].field).toBe('withinHours');
  });
});
