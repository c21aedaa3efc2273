import { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { errorBodySchema } from '../../apps/api/common/error-body';
import { Role } from '../../libs/domain/access';
import { SEGMENT_LIMITS } from '../../libs/domain/segment-definition';
import { keysByRole, withKey } from '../support/api-keys';
import { ZodTypeAny } from 'zod';
import {
  changesPageSchema,
  controlGroupSettingsSchema,
  evaluationStartedSchema,
  membersPageSchema,
  previewSchema,
  segmentChangedSchema,
  segmentDeletedSchema,
  segmentSchema,
} from '../../apps/api/segments/segments.responses';
import { activePrediction, writeScoreSet } from '../support/score-sets';
import { dropDb, openDb, testEnv } from '../support/test-env';

/**
 * The segment and control-group routes on the real servers: hostile definitions are refused with a 400
 * naming the field and store nothing; every change is a stored revision and an audit entry.
 */
describe('segments API: definitions, validation, control group settings (real FerretDB, real Temporal)', () => {
  const { cfg } = testEnv('segments-api');
  let app: INestApplication;
  let db: mongoose.Connection;
  let keys: Record<Role, string>;
  const as = (role: Role) => withKey(app.getHttpServer(), keys[role]);
  const ACTIVE = 'p_00000000aa01';
  const PREVIEW = 'p_00000000aa02';

  beforeAll(async () => {
    app = await createApi();
    await app.init();
    db = await openDb(cfg);
    keys = await keysByRole(app);
    await activePrediction(db, ACTIVE);
    await activePrediction(db, PREVIEW);
    await db.collection('predictions').updateOne({ _id: PREVIEW as never }, { $set: { status: 'preview' } });
  });
  afterAll(async () => {
    await app.close();
    await dropDb(db);
  });

  const nest = (depth: number): object => (depth === 0 ? { type: 'attributeExists', attribute: 'plan' } : { type: 'and', conditions: [nest(depth - 1)] });

  it('refuses hostile definitions with a 400 naming the field, and stores nothing', async () => {
    const hostile: { definition: unknown; field: RegExp }[] = [
      { definition: { $where: 'sleep(1000)' }, field: /^definition/ },
      { definition: { type: 'and', conditions: [{ type: 'attributeEquals', attribute: 'plan', value: { $gt: '' } }] }, field: /^definition\.conditions\.0\.value/ },
      { definition: { type: 'and', conditions: [{ type: 'attributeEquals', attribute: 'plan', value: 'x', $expr: 1 }] }, field: /^definition\.conditions\.0/ },
      { definition: { type: 'regex', attribute: 'plan', pattern: '.*' }, field: /^definition/ },
      { definition: nest(SEGMENT_LIMITS.maxGroupDepth + 1), field: /^definition/ },
      { definition: { type: 'attributeIn', attribute: 'plan', values: Array.from({ length: SEGMENT_LIMITS.maxListValues + 1 }, (_, i) => `v${i}`) }, field: /^definition\.values/ },
      { definition: { type: 'predictionScore', predictionId: PREVIEW, min: 50, max: 100 }, field: /^definition\.predictionId$/ },
      { definition: { type: 'segment', segmentId: 's_000000000000' }, field: /^definition\.segmentId$/ },
    ];
    for (const h of hostile) {
      const res = await as('manager').post('/v1/segments').send({ name: 'hostile', definition: h.definition });
      expect({ definition: h.definition, status: res.status }).toEqual({ definition: h.definition, status: 400 });
      expect(errorBodySchema.parse(res.body)).toEqual(res.body);
      expect(res.body.errors.some((e: { field: string }) => h.field.test(e.field))).toBe(true);
    }
    const preview = await as('manager').post('/v1/segments/preview').send({ definition: { $where: '1' } });
    expect(preview.status).toBe(400);
    expect(await db.collection('segment_definitions').countDocuments()).toBe(0);
  });

  it('refuses a membership cycle between segments, naming the field', async () => {
    const a = await as('manager').post('/v1/segments').send({ name: 'A', definition: { type: 'attributeExists', attribute: 'plan' } }).expect(201);
    const b = await as('manager').post('/v1/segments').send({ name: 'B', definition: { type: 'segment', segmentId: a.body.segment.id } }).expect(201);
    const cycle = await as('manager').put(`/v1/segments/${a.body.segment.id}`).send({ name: 'A', definition: { type: 'segment', segmentId: b.body.segment.id } });
    expect(cycle.status).toBe(400);
    expect(cycle.body.errors).toEqual([{ field: 'definition.segmentId', reason: expect.stringMatching(/cycle/) }]);
    // A's stored definition is the first one still; B reads A, so A cannot be deleted.
    expect((await as('viewer').get(`/v1/segments/${a.body.segment.id}`).expect(200)).body).toMatchObject({ revision: 1, definition: { type: 'attributeExists' } });
    expect((await as('manager').delete(`/v1/segments/${a.body.segment.id}`)).status).toBe(409);
    await as('manager').delete(`/v1/segments/${b.body.segment.id}`).expect(200);
    await as('manager').delete(`/v1/segments/${a.body.segment.id}`).expect(200);
    await as('viewer').get(`/v1/segments/${a.body.segment.id}`).expect(404);
  });

  it('creates from a prediction, versions every change and audits it; viewers read, managers write', async () => {
    const created = await as('manager').post('/v1/segments/from-prediction').send({ predictionId: ACTIVE, percentile: { min: 90, max: 100 } }).expect(201);
    const id = created.body.segment.id;
    expect(created.body.segment).toMatchObject({ name: expect.stringMatching(/top 10%/), revision: 1, reads: { predictions: [ACTIVE] } });
    expect(created.body.evaluation.workflowId).toBe(`${cfg.TASK_QUEUE_PREFIX}/segment/${id}`);
    expect((await as('manager').post('/v1/segments/from-prediction').send({ predictionId: PREVIEW, category: 'High' })).body.errors).toEqual([
      { field: 'definition.conditions.0.predictionId', reason: expect.stringMatching(/preview/) },
    ]);
    await as('viewer').put(`/v1/segments/${id}`).send({ name: 'x', definition: { type: 'controlGroup' } }).expect(403);
    const updated = await as('manager').put(`/v1/segments/${id}`).send({ name: 'Top decile, not control', definition: { type: 'and', conditions: [{ type: 'predictionPercentile', predictionId: ACTIVE, min: 90, max: 100 }, { type: 'controlGroup', negate: true }] } }).expect(200);
    expect(updated.body.segment.revision).toBe(2);
    const revisions = await db.collection('segment_definitions').find({ segmentId: id }).toArray();
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
    const audit = (await as('admin').get(`/v1/audit?resourceType=segment&resourceId=${id}`).expect(200)).body.entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['segment.update', 'segment.create']);
    expect((await as('viewer').get('/v1/segments').expect(200)).body.map((s: { id: string }) => s.id)).toContain(id);
  });

  it('keeps control group history: admin only, 1-15%, a reshuffle draws a new salt and closes the old assignment', async () => {
    await as('manager').put('/v1/settings/control-group').send({ percentage: 10 }).expect(403);
    expect((await as('admin').put('/v1/settings/control-group').send({ percentage: 20 })).body.errors).toEqual([{ field: 'percentage', reason: expect.stringMatching(/1 and 15/) }]);
    const first = (await as('admin').put('/v1/settings/control-group').send({ percentage: 10 }).expect(200)).body;
    expect(first).toMatchObject({ revision: 1, current: { enabled: true, percentage: 10, to: null } });
    const second = (await as('admin').put('/v1/settings/control-group').send({ reshuffle: true }).expect(200)).body;
    expect(second.revision).toBe(2);
    expect(second.current.salt).not.toBe(first.current.salt);
    expect(second.assignments).toHaveLength(2);
    expect(second.assignments[0]).toMatchObject({ salt: first.current.salt, to: second.current.from });
    expect((await as('viewer').get('/v1/settings/control-group').expect(200)).body).toEqual(second);
    const audit = (await as('admin').get('/v1/audit?resourceType=settings&resourceId=control-group').expect(200)).body.entries;
    expect(audit).toHaveLength(2);
  });

  it('previews size and a stable sample before saving, and answers in its OpenAPI response types', async () => {
    const matches = (schema: ZodTypeAny, body: unknown) => {
      const parsed = schema.safeParse(body);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    };
    await writeScoreSet(db, ACTIVE, Date.parse('2026-01-01T00:00:00Z'), new Map(Array.from({ length: 200 }, (_, i) => [`u${i}`, i % 100])));
    const definition = { type: 'predictionScore', predictionId: ACTIVE, min: 90, max: 100 };
    const preview = (await as('manager').post('/v1/segments/preview').send({ definition, sampleSize: 5 }).expect(200)).body;
    matches(previewSchema, preview);
    // Every scored user read (a small population): the exact count, and a sample of members only.
    expect(preview).toMatchObject({ scanned: 200, matched: 20, exact: true, size: { estimate: 20, low: 20, high: 20 } });
    expect(preview.sample).toHaveLength(5);
    expect(preview.sample.every((u: string) => Number(u.slice(1)) % 100 >= 90)).toBe(true);
    expect((await as('manager').post('/v1/segments/preview').send({ definition, sampleSize: 5 })).body.sample).toEqual(preview.sample);
    expect(await db.collection('segment_definitions').countDocuments({ name: 'typed' })).toBe(0);

    const created = (await as('manager').post('/v1/segments').send({ name: 'typed', definition }).expect(201)).body;
    matches(segmentChangedSchema, created);
    const id = created.segment.id;
    matches(segmentSchema, (await as('viewer').get(`/v1/segments/${id}`).expect(200)).body);
    matches(segmentSchema.array(), (await as('viewer').get('/v1/segments').expect(200)).body);
    matches(segmentChangedSchema, (await as('manager').put(`/v1/segments/${id}`).send({ name: 'typed 2', definition }).expect(200)).body);
    matches(evaluationStartedSchema, (await as('manager').post(`/v1/segments/${id}/evaluate`).expect(202)).body);
    matches(membersPageSchema, (await as('viewer').get(`/v1/segments/${id}/members`).expect(200)).body);
    matches(changesPageSchema, (await as('viewer').get(`/v1/segments/${id}/changes`).expect(200)).body);
    matches(controlGroupSettingsSchema, (await as('viewer').get('/v1/settings/control-group').expect(200)).body);
    matches(segmentDeletedSchema, (await as('manager').delete(`/v1/segments/${id}`).expect(200)).body);
  });
});
