import { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { createApi } from '../../apps/api/main';
import { analyticsSchema, userScoreSchema } from '../../apps/api/predictions/predictions.responses';
import { RescoreResult, RetrainResult } from '../../libs/domain/prediction-workflows';
import { ClvOutput, fromJsonText, RecommendedItem, StoredReasons } from '../../libs/domain/prediction-outputs';
import { deploymentIds } from '../../libs/temporal/workflow-ids';
import { seedPopulation } from '../../scripts/population-seeder';
import { createKey, withKey } from '../support/api-keys';
import { eventually } from '../support/eventually';
import { activeScores } from '../support/stored-data';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

/** Fast model settings for the yes/no prediction, so it trains in seconds on a shared 2-core machine. */
const FAST = { rounds: 80, learningRate: 0.15, maxDepth: 3, maxLeaves: 8, earlyStoppingRounds: 15 };

type StoredScore = { _id: string; probability: number; score: number; category: 'Low' | 'Medium' | 'High'; clv?: ClvOutput; recs?: RecommendedItem[]; reasons?: StoredReasons };
const OUTPUTS = ['clv', 'recs', 'reasons'] as const;

/** The active set's scores, each kind's own output read back from the JSON text it must be stored as. */
async function storedScores(db: mongoose.Connection, predictionId: string): Promise<{ key: string; scores: StoredScore[] }> {
  const stored = (await activeScores(db, predictionId))!;
  const scores = (stored.scores as Record<string, unknown>[]).map((raw) => {
    const s = { ...raw };
    for (const k of OUTPUTS.filter((k) => s[k] !== undefined)) {
      expect(typeof s[k]).toBe('string');
      s[k] = fromJsonText(s[k] as string);
    }
    return s as unknown as StoredScore;
  });
  return { key: stored.key, scores };
}

/**
 * Every model kind through the API and the schedules: a lifetime-value, a recommendation and a
 * subscription-churn prediction are created, built by "run now" on their retrain schedules (the
 * workflow's own clock, so the population is seeded at the present), rescored, read back per user
 * (values, recommendations, reasons in words) and used in segments created through the API: a segment
 * made before the build is evaluated by the rescore hook (`notifyDependants`) alone, and every segment's
 * members are exactly the users whose stored score documents meet its condition, computed here.
 */
describe('prediction kinds: clv, recommendation, subscription churn (real Temporal, real FerretDB, real worker)', () => {
  const { env, cfg } = testEnv('kinds');
  let app: INestApplication;
  let client: Client;
  let db: mongoose.Connection;
  let worker: WorkerProcess;
  let managerKey: string;
  const api = () => withKey(app.getHttpServer(), managerKey);
  const ids: Record<'clv' | 'recommendation' | 'subscription_churn', string> = { clv: '', recommendation: '', subscription_churn: '' };
  const segmentIds: string[] = [];

  beforeAll(async () => {
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    app = await createApi();
    await app.init();
    managerKey = await createKey(app, 'manager');
    const [, w] = await Promise.all([
      seedPopulation(db, { users: 3000, historyDays: 300, seed: 23, products: { products: 60, categories: 6 }, subscriptions: true }),
      WorkerProcess.start(env),
    ]);
    worker = w;
  });
  afterAll(async () => {
    for (const id of segmentIds) await api().delete(`/v1/segments/${id}`);
    for (const id of Object.values(ids)) if (id) await api().delete(`/v1/predictions/${id}`);
    await worker?.stop();
    await app?.close();
    await client?.connection.close();
    await dropDb(db);
  });

  /** "Run now" on a schedule; the run it started. */
  async function runNow(id: string, kind: 'retrain' | 'rescore'): Promise<string> {
    const asked = new Date(Date.now() - 1000);
    await api().post(`/v1/predictions/${id}/run`).send({ kind }).expect(202);
    const action = await eventually(async () => (await client.schedule.getHandle(deploymentIds(cfg).schedule(kind, id)).describe()).info.recentActions.find((a) => a.takenAt >= asked), 30_000, `the ${kind} schedule to start a run`);
    return action.action.workflow.workflowId;
  }

  async function build(id: string): Promise<{ retrain: RetrainResult; rescore: RescoreResult }> {
    const retrain: RetrainResult = await client.workflow.getHandle(await runNow(id, 'retrain')).result();
    expect(retrain).toMatchObject({ promoted: true, version: 1 });
    const rescore: RescoreResult = await client.workflow.getHandle(retrain.rescoreWorkflowId!).result();
    return { retrain, rescore };
  }

  async function segment(name: string, definition: object): Promise<string> {
    const id: string = (await api().post('/v1/segments').send({ name, definition }).expect(201)).body.segment.id;
    segmentIds.push(id);
    return id;
  }

  type Head = { version: number; size: number; evaluatedAt: Date };
  const head = async (id: string) => (await db.collection<{ _id: string } & Head>('segment_heads').findOne({ _id: id })) ?? undefined;
  /** The head once an evaluation committed after `after` (any evaluation when not given). */
  const evaluated = (id: string, after?: Head) =>
    eventually(async () => {
      const h = await head(id);
      return h && (!after || h.evaluatedAt > after.evaluatedAt) ? h : undefined;
    }, 120_000, `an evaluation of segment ${id}`);

  /** Every member of the segment's current version, through the members API, page by page. */
  async function members(id: string): Promise<{ version: number; userIds: string[] }> {
    const userIds: string[] = [];
    let version: number | undefined;
    let cursor: string | null = null;
    do {
      const page: { version: number; members: { userId: string }[]; next: string | null } = (
        await api().get(`/v1/segments/${id}/members`).query({ limit: 1000, ...(cursor ? { cursor } : {}) }).expect(200)
      ).body;
      version ??= page.version;
      userIds.push(...page.members.map((m) => m.userId));
      cursor = page.next;
    } while (cursor);
    return { version: version!, userIds: userIds.sort() };
  }

  /** The users whose stored score document passes `keep`: what a segment on that condition must hold. */
  const usersWhere = (scores: StoredScore[], keep: (s: StoredScore) => boolean) => scores.filter(keep).map((s) => s._id).sort();

  it('refuses a definition that does not fit the type, naming the field', async () => {
    const bad = await api().post('/v1/predictions').send({ name: 'x', type: 'clv', definition: { windowDays: 30 } }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'definition', reason: "Unrecognized key(s) in object: 'windowDays'" }]);
    const topN = await api().post('/v1/predictions').send({ name: 'x', type: 'recommendation', definition: { topN: 500 } }).expect(400);
    expect(topN.body.errors).toEqual([{ field: 'definition.topN', reason: 'at most 50 products' }]);
  });

  it('lifetime value: graded against the past-value baseline, a value, tier and next purchase per customer, usable in a segment', async () => {
    const created = await api().post('/v1/predictions').send({ name: 'CLV 6 months', type: 'clv', definition: { horizonDays: 180 }, status: 'active' }).expect(201);
    expect(created.body.prediction.definition).toEqual({ horizonDays: 180, highShare: 0.2, mediumShare: 0.3 });
    const id = (ids.clv = created.body.prediction.id);
    // A segment on the high tier before anything is scored: evaluated empty; only the rescore hook moves it.
    const highTier = await segment('High lifetime value', { type: 'clvTier', predictionId: id, tiers: ['high'] });
    const v0 = await evaluated(highTier);
    expect(v0).toMatchObject({ version: 0, size: 0 });
    const { retrain, rescore } = await build(id);
    expect(retrain.auc).toBeNull();
    expect(retrain.quality).toMatch(/^top-20% hit rate \d+\.\d% \(past-value baseline \d+\.\d%\)$/);

    const a = (await api().get(`/v1/predictions/${id}/analytics`).expect(200)).body;
    expect(analyticsSchema.safeParse(a).error?.issues ?? []).toEqual([]);
    expect(a.quality).toMatchObject({ kind: 'clv', modelVersion: 1, topShare: 0.2 });
    // Half the purchase history, which is shorter than twice the horizon.
    expect(a.quality.holdoutDays).toBeGreaterThan(120);
    expect(a.quality.holdoutDays).toBeLessThanOrEqual(150);
    expect(['A', 'B']).toContain(a.quality.grade);
    expect(a.quality.hitRate).toBeGreaterThanOrEqual(a.quality.baselineHitRate);
    expect(a.quality.rmse).toBeGreaterThanOrEqual(a.quality.mae);
    expect(a.models[0]).toMatchObject({ version: 1, status: 'active', auc: null, grade: a.quality.grade });

    const { scores } = await storedScores(db, id);
    expect(scores.length).toBe(rescore.scored);
    expect(scores.length).toBeGreaterThan(300);
    expect(rescore.scored).toBeLessThan(rescore.users); // only customers have a lifetime value
    expect(a.scores.clv.tiers.high + a.scores.clv.tiers.medium + a.scores.clv.tiers.low).toBe(scores.length);
    expect(a.scores.clv.totalExpectedValue).toBeCloseTo(scores.reduce((s, d) => s + d.clv!.expectedValue, 0), 3);

    const customer = scores.find((s) => s.clv!.averageDaysBetweenPurchases !== null && s.clv!.expectedNextPurchaseAt !== null)!;
    const one = (await api().get(`/v1/predictions/${id}/scores/${customer._id}`).expect(200)).body;
    expect(userScoreSchema.safeParse(one).error?.issues ?? []).toEqual([]);
    expect(one.clv).toEqual({ ...customer.clv, expectedNextPurchaseAt: new Date(customer.clv!.expectedNextPurchaseAt!).toISOString() });
    expect(one).toMatchObject({ score: customer.clv!.valuePercentile, probability: customer.clv!.probabilityAlive });

    // The rescore's completion alone made the high-tier segment evaluate on the new set.
    const v1 = await evaluated(highTier, v0);
    const high = usersWhere(scores, (s) => s.clv!.tier === 'high');
    expect(v1).toMatchObject({ version: 1, size: high.length });
    expect(high.length).toBe(a.scores.clv.tiers.high);
    expect(high.length).toBeGreaterThan(0.1 * scores.length);
    expect(await members(highTier)).toEqual({ version: 1, userIds: high });

    // Segments made after the build, on the value percentile and on the expected value itself.
    const values = scores.map((s) => s.clv!.expectedValue).sort((x, y) => x - y);
    const median = values[Math.floor(values.length / 2)];
    const top = await segment('Top 10% by lifetime value', { type: 'clvPercentile', predictionId: id, min: 90, max: 100 });
    const valuable = await segment('Above the median value', { type: 'clvValue', predictionId: id, min: median });
    const topUsers = usersWhere(scores, (s) => s.clv!.valuePercentile >= 90);
    const valuableUsers = usersWhere(scores, (s) => s.clv!.expectedValue >= median);
    expect(topUsers.length).toBeGreaterThan(0);
    expect(valuableUsers.length).toBeGreaterThanOrEqual(scores.length / 2);
    expect(valuableUsers.length).toBeLessThan(scores.length);
    await Promise.all([evaluated(top), evaluated(valuable)]);
    expect(await members(top)).toEqual({ version: 1, userIds: topUsers });
    expect(await members(valuable)).toEqual({ version: 1, userIds: valuableUsers });
  });

  it('recommendations: better than popularity on the holdout, N products per user never already bought, usable in a segment', async () => {
    const created = await api()
      .post('/v1/predictions')
      .send({ name: 'Next products', type: 'recommendation', definition: { topN: 5, holdoutDays: 45 }, status: 'active' })
      .expect(201);
    const id = (ids.recommendation = created.body.prediction.id);
    // Before anything is scored (so on the seeded catalogue's category names): evaluated empty, then
    // moved by the rescore hook alone.
    const firstHalf = ['c01', 'c02', 'c03'];
    const halfCategories = await segment('Top pick in the first three categories', {
      type: 'or',
      conditions: firstHalf.map((category) => ({ type: 'topRecommendation', predictionId: id, category })),
    });
    const v0 = await evaluated(halfCategories);
    expect(v0).toMatchObject({ version: 0, size: 0 });
    const { retrain, rescore } = await build(id);
    expect(retrain.quality).toMatch(/^NDCG@10 0\.\d{3} \(popularity 0\.\d{3}\)$/);
    expect(retrain.grade).toBe('better than popularity');

    const a = (await api().get(`/v1/predictions/${id}/analytics`).expect(200)).body;
    expect(analyticsSchema.safeParse(a).error?.issues ?? []).toEqual([]);
    expect(a.quality).toMatchObject({ kind: 'recommendation', k: 10, holdoutDays: 45 });
    expect(a.quality.ours.ndcg).toBeGreaterThan(a.quality.popularity.ndcg);
    expect(a.quality.ours.precision).toBeGreaterThan(0);

    const { scores } = await storedScores(db, id);
    expect(scores.length).toBe(rescore.users); // everyone gets recommendations (the popular ones without purchases)
    for (const s of scores) expect(s.recs).toHaveLength(5);
    const u = scores.find((s) => s.recs![0].s > 0)!;
    const one = (await api().get(`/v1/predictions/${id}/scores/${u._id}`).expect(200)).body;
    expect(userScoreSchema.safeParse(one).error?.issues ?? []).toEqual([]);
    expect(one.recommendations).toEqual(u.recs!.map((r) => ({ productId: r.p, category: r.c, score: r.s })));
    expect(one.recommendations[0].category).toMatch(/./);

    const v1 = await evaluated(halfCategories, v0);
    const half = usersWhere(scores, (s) => firstHalf.includes(s.recs![0].c!));
    expect(half.length).toBeGreaterThan(0);
    expect(v1).toMatchObject({ version: 1, size: half.length });
    expect(await members(halfCategories)).toEqual({ version: 1, userIds: half });

    // Segments made after the build: "top recommendation is product X", "... in category Y", "score for X ≥ s".
    const [top] = a.scores.recommendations.topProducts as { productId: string; category: string; users: number }[];
    const byProduct = await segment('Top pick X', { type: 'topRecommendation', predictionId: id, productId: top.productId });
    const byCategory = await segment('Top pick in Y', { type: 'topRecommendation', predictionId: id, category: top.category });
    const strong = await segment('X scored at least 0.02', { type: 'recommendationScore', predictionId: id, productId: top.productId, min: 0.02 });
    const productUsers = usersWhere(scores, (s) => s.recs![0].p === top.productId);
    const categoryUsers = usersWhere(scores, (s) => s.recs![0].c === top.category);
    const strongUsers = usersWhere(scores, (s) => s.recs!.some((r) => r.p === top.productId && r.s >= 0.02));
    expect(productUsers.length).toBe(top.users);
    expect(categoryUsers.length).toBeGreaterThanOrEqual(top.users);
    expect(strongUsers.length).toBeGreaterThan(0);
    await Promise.all([evaluated(byProduct), evaluated(byCategory), evaluated(strong)]);
    expect(await members(byProduct)).toEqual({ version: 1, userIds: productUsers });
    expect(await members(byCategory)).toEqual({ version: 1, userIds: categoryUsers });
    expect(await members(strong)).toEqual({ version: 1, userIds: strongUsers });
  });

  it('subscription churn: trained on subscription events, rescored by its schedule, each score with its reasons in words', async () => {
    const created = await api()
      .post('/v1/predictions')
      .send({ name: 'Cancels in 30 days', type: 'subscription_churn', definition: { windowDays: 30 }, modelParams: FAST, status: 'active' })
      .expect(201);
    const id = (ids.subscription_churn = created.body.prediction.id);
    // Before anything is scored: evaluated empty, then moved by the build's rescore hook alone.
    const likely = await segment('Likely to cancel', { type: 'predictionCategory', predictionId: id, categories: ['Medium', 'High'] });
    const v0 = await evaluated(likely);
    expect(v0).toMatchObject({ version: 0, size: 0 });
    const { retrain } = await build(id);
    expect(retrain.auc).toBeGreaterThan(0.6);
    const v1 = await evaluated(likely, v0);
    const built = (await storedScores(db, id)).scores;
    const likelyBuilt = usersWhere(built, (s) => s.category !== 'Low');
    expect(v1).toMatchObject({ version: likelyBuilt.length > 0 ? 1 : 0, size: likelyBuilt.length });
    expect((await members(likely)).userIds).toEqual(likelyBuilt);
    // A score cut made after the build, at the median score (so it holds about half the subscribers).
    const median = built.map((s) => s.score).sort((x, y) => x - y)[Math.floor(built.length / 2)];
    const upper = await segment('Upper half of the churn score', { type: 'predictionScore', predictionId: id, min: median, max: 100 });
    const u1 = await evaluated(upper);
    expect(u1).toMatchObject({ version: 1, size: usersWhere(built, (s) => s.score >= median).length });

    // A scheduled rescore ("run now" on the rescore schedule) replaces the set written after the retrain,
    // and its hook re-evaluates both segments on the new set.
    const again: RescoreResult = await client.workflow.getHandle(await runNow(id, 'rescore')).result();
    const { key, scores } = await storedScores(db, id);
    expect(key).toBe(again.scoreSet);
    expect(scores.length).toBe(again.scored);
    expect(again.scored).toBeGreaterThan(0);
    expect(again.scored).toBeLessThan(again.users); // only users with a running subscription
    for (const s of scores) {
      expect(s.reasons!.length).toBeGreaterThan(0);
      expect(s.reasons!.length).toBeLessThanOrEqual(3 * 3);
      expect(s.reasons!.length % 3).toBe(0);
    }

    await Promise.all([evaluated(likely, v1), evaluated(upper, u1)]);
    expect((await members(likely)).userIds).toEqual(usersWhere(scores, (s) => s.category !== 'Low'));
    expect((await members(upper)).userIds).toEqual(usersWhere(scores, (s) => s.score >= median));

    const u = scores[0];
    const one = (await api().get(`/v1/predictions/${id}/scores/${u._id}`).expect(200)).body;
    expect(userScoreSchema.safeParse(one).error?.issues ?? []).toEqual([]);
    expect(one.reasons).toHaveLength(u.reasons!.length / 3);
    one.reasons.forEach((r: { feature: string; contribution: number; text: string }, k: number) => {
      expect(r.contribution).toBe(u.reasons![3 * k + 2]);
      expect(r.text).toMatch(/^.+: [+-]\d+\.\d\d$/);
    });
    // Trained with the subscription features on top of the usual ones.
    const model = await db.collection('models').findOne({ _id: `${id}:v1` as never });
    expect(model!.featureNames).toEqual(expect.arrayContaining(['days_since_subscription_start', 'subscription_renewals', 'days_to_next_renewal']));
  });
});
