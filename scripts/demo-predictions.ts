/**
 * Prediction demo, given a running API and worker on the same MongoDB and task-queue prefix:
 * generates a synthetic population with exact ground truth (and a product catalogue with known
 * tastes), creates a churn, a purchase, a lifetime-value and a recommendation prediction (through the
 * API), retrains each ("run now" on its schedule), waits for the rescore, then prints for the yes/no
 * ones the quality grade, holdout AUC, the AUC of the live scores on what really happens next next to
 * the oracle AUC (the simulation's true probabilities) and category counts; for lifetime value its
 * Dynamics-365 grade with the top-20% hit rates of the model and of the past-value baseline, MAE, RMSE
 * and total predicted vs actual value; for recommendations precision, recall and NDCG@10 next to
 * popularity's; and the Temporal UI links.
 *
 *   node -r @swc-node/register scripts/demo-predictions.ts [--users 50000] [--history-days 365] [--api http://127.0.0.1:3000]
 * Env: PROPENSITY_API_KEY (a manager or admin key: `npm run key -- create --role manager`),
 * MONGODB_URI (the API's database; the population is written straight through the driver),
 * TEMPORAL_ADDRESS, TEMPORAL_UI_URL, TASK_QUEUE_PREFIX as for the API.
 */
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { loadConfig } from '../libs/config/config';
import { RescoreResult, RetrainResult } from '../libs/domain/prediction-workflows';
import { rocAuc } from '../libs/ml/metrics';
import { generateUsers, realisedOutcome, SimulatedUser } from '../libs/ml/simulation';
import { connectionOptions } from '../libs/temporal/connection-options';
import { RECORD_FORMAT } from '../libs/persistence/user-records/user-record';
import { seedPopulation } from './population-seeder';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const USERS = Number(arg('users', '50000'));
const HISTORY_DAYS = Number(arg('history-days', '365'));
const API = arg('api', `http://127.0.0.1:${process.env.API_PORT ?? 3000}`);
const API_KEY = process.env.PROPENSITY_API_KEY ?? '';
const SEED = 2024;
// The simulated users all have a plan; imported users (the CDNOW sample) do not, so they stay out.
const SIMULATED_AUDIENCE = { attributes: { plan: ['free', 'basic', 'pro'] } };
// The catalogue purchases draw from (1,000 products in 20 categories): recommendations have data.
const PRODUCTS = {};
// What the stored population holds besides the record format: an older one (no products) is rebuilt.
const POPULATION_FORMAT = `${RECORD_FORMAT}+products`;

type Ranking = { precision: number; recall: number; ndcg: number };
/** What the demo reads of GET /v1/predictions/:id/analytics. */
interface Analytics {
  quality:
    | { kind: 'binary'; grade: string; liftQuality: number; auc: number; prAuc: number }
    | { kind: 'clv'; grade: string; hitRate: number; baselineHitRate: number; holdoutDays: number; mae: number; rmse: number; predictedValue: number; actualValue: number; customers: number }
    | { kind: 'recommendation'; k: number; holdoutDays: number; customers: number; ours: Ranking; popularity: Ranking };
  scores: {
    categories: Record<string, number>;
    clv?: { totalExpectedValue: number; tiers: Record<string, number> };
    recommendations?: { topProducts: { productId: string; category: string | null; users: number }[] };
  };
}

async function http<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  const res = await fetch(`${API}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

/** "Run now" on the prediction's retrain schedule; the ID of the run it started. */
async function startRetrain(client: Client, predictionId: string): Promise<string> {
  const asked = new Date(Date.now() - 1000);
  const { scheduleId } = await http<{ scheduleId: string }>('POST', `/v1/predictions/${predictionId}/run`, { kind: 'retrain' });
  for (;;) {
    const d = await client.schedule.getHandle(scheduleId).describe();
    const run = d.info.recentActions.find((a) => a.takenAt >= asked);
    if (run) return run.action.workflow.workflowId;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function runningRetrain(client: Client, predictionId: string): Promise<string | undefined> {
  for await (const w of client.workflow.list({ query: `WorkflowType = 'retrainModel' AND PredictionId = '${predictionId}' AND ExecutionStatus = 'Running'` })) return w.workflowId;
  return undefined;
}

async function main() {
  if (!API_KEY) throw new Error('set PROPENSITY_API_KEY to a manager or admin key (npm run key -- create --role manager)');
  const cfg = loadConfig();
  const ui = (id: string) => `${cfg.TEMPORAL_UI_URL}/namespaces/${cfg.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(id)}`;
  const db = await mongoose.createConnection(cfg.MONGODB_URI).asPromise();
  const client = new Client({ connection: await Connection.connect(connectionOptions(cfg)), namespace: cfg.TEMPORAL_NAMESPACE });

  // 1. Population (reused when this database already holds it). Its clock is recorded before
  // seeding, so a seed interrupted and run again generates the same users and stores nothing twice.
  const population = db.collection<{ _id: string; users: number; historyDays: number; format: string; now: number; state: 'seeding' | 'complete'; events?: number }>('demo_population');
  let meta = await population.findOne({ _id: 'population' });
  if (meta && (meta.users !== USERS || meta.historyDays !== HISTORY_DAYS)) {
    throw new Error(`${cfg.MONGODB_URI} holds a population of ${meta.users} users with ${meta.historyDays} days of events: use another database, or those sizes`);
  }
  if (meta && meta.format !== POPULATION_FORMAT) {
    console.log(`${cfg.MONGODB_URI} holds a population stored by an older version (${meta.format ?? 'events/users'}): starting it over`);
    await db.dropDatabase();
    meta = null;
  }
  if (meta?.state !== 'complete') {
    const t = Date.now();
    const seedNow = meta?.now ?? Math.floor(Date.now() / 60_000) * 60_000;
    if (!meta) await population.insertOne({ _id: 'population', users: USERS, historyDays: HISTORY_DAYS, format: POPULATION_FORMAT, now: seedNow, state: 'seeding' });
    process.stdout.write(`${meta ? 'Resuming' : 'Generating'} ${USERS} users with ${HISTORY_DAYS} days of events... `);
    const seeded = await seedPopulation(db, { users: USERS, historyDays: HISTORY_DAYS, seed: SEED, now: seedNow, products: PRODUCTS });
    await population.updateOne({ _id: 'population' }, { $set: { state: 'complete', events: seeded.events } });
    meta = { _id: 'population', users: USERS, historyDays: HISTORY_DAYS, format: POPULATION_FORMAT, now: seedNow, state: 'complete', events: seeded.events };
    console.log(`${seeded.events} events in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  const now = meta.now;
  // Ground truth at `now`, kept small: true probabilities and realised outcomes per user id.
  const truth = new Map<string, SimulatedUser>();
  for (const u of generateUsers({ seed: SEED, users: USERS, now, historyDays: HISTORY_DAYS, products: PRODUCTS })) {
    u.history.events = [];
    truth.set(u.history.userId, u);
  }

  const specs: { name: string; type: string; definition: object; truth?: (u: SimulatedUser) => number; real?: (u: SimulatedUser) => boolean }[] = [
    { name: 'Churn in 30 days', type: 'churn', definition: { windowDays: 30 }, truth: (u) => u.truth.churnProbability(30), real: (u) => realisedOutcome(u, 30).churned },
    { name: 'Purchase in 14 days', type: 'purchase', definition: { windowDays: 14 }, truth: (u) => u.truth.purchaseProbability(14), real: (u) => realisedOutcome(u, 14).purchased },
    { name: 'Lifetime value (12 months)', type: 'clv', definition: { horizonDays: 365 } },
    { name: 'Next products', type: 'recommendation', definition: { topN: 10 } },
  ];
  // Every prediction's retrain is started at once: the worker runs them side by side (its CPU slots
  // bound the training), and reading the population for one overlaps training another.
  const started: { spec: (typeof specs)[number]; id: string; retrainId: string }[] = [];
  for (const spec of specs) {
    // Re-running the demo retrains the same predictions rather than piling up new ones.
    const existing = (await http<{ id: string; name: string }[]>('GET', '/v1/predictions')).find((p) => p.name === spec.name);
    const id =
      existing?.id ??
      (await http<{ prediction: { id: string } }>('POST', '/v1/predictions', { name: spec.name, type: spec.type, definition: spec.definition, audience: SIMULATED_AUDIENCE, status: 'active' })).prediction.id;
    // A retrain left running by an interrupted demo goes on in Temporal: attach to it.
    started.push({ spec, id, retrainId: (await runningRetrain(client, id)) ?? (await startRetrain(client, id)) });
  }
  for (const { spec, id, retrainId } of started) {
    console.log(`\n== ${spec.name}`);
    console.log(`retraining: ${ui(retrainId)}`);
    const handle = client.workflow.getHandle(retrainId);
    const retrain: RetrainResult = await handle.result();
    const run = await handle.describe();
    const took = ((run.closeTime ?? new Date()).getTime() - run.startTime.getTime()) / 1000;
    console.log(`model v${retrain.version} ${retrain.promoted ? 'promoted' : 'rejected'} in ${took.toFixed(0)} s: ${retrain.reasons.join('; ')}`);
    if (!retrain.rescoreWorkflowId) continue;
    console.log(`rescoring:  ${ui(retrain.rescoreWorkflowId)}`);
    const rescore: RescoreResult = await client.workflow.getHandle(retrain.rescoreWorkflowId).result();
    const a = await http<Analytics>('GET', `/v1/predictions/${id}/analytics`);
    const rescored = `rescored ${rescore.users} users in ${rescore.seconds.toFixed(0)} s (${rescore.usersPerSecond.toFixed(0)} users/s)`;
    if (a.quality.kind === 'clv') {
      const q = a.quality;
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      console.log(`quality: grade ${q.grade}: the model finds ${pct(q.hitRate)} of the real top-20% customers of the last ${q.holdoutDays} days, ranking by past value finds ${pct(q.baselineHitRate)}`);
      console.log(`value per customer: MAE ${q.mae.toFixed(2)}, RMSE ${q.rmse.toFixed(2)}; total predicted ${q.predictedValue.toFixed(0)} vs actual ${q.actualValue.toFixed(0)} over ${q.customers} customers`);
      console.log(`tiers: ${JSON.stringify(a.scores.clv?.tiers)}, total expected value ${a.scores.clv?.totalExpectedValue.toFixed(0)}; ${rescored}`);
    } else if (a.quality.kind === 'recommendation') {
      const { ours, popularity, k, holdoutDays, customers } = a.quality;
      const row = (q: { precision: number; recall: number; ndcg: number }) => `precision@${k} ${q.precision.toFixed(3)}, recall@${k} ${q.recall.toFixed(3)}, NDCG@${k} ${q.ndcg.toFixed(3)}`;
      console.log(`quality on the last ${holdoutDays} days (${customers} customers): ours ${row(ours)}`);
      console.log(`                                   popularity ${row(popularity)}`);
      console.log(`most recommended first: ${a.scores.recommendations?.topProducts.slice(0, 5).map((p) => `${p.productId} (${p.category}, ${p.users} users)`).join(', ')}; ${rescored}`);
    }
    if (a.quality.kind !== 'binary' || !spec.real || !spec.truth) {
      console.log(`analytics: ${API}/v1/predictions/${id}/analytics`);
      continue;
    }

    // Live scores against what really happens next, next to the oracle on the same users.
    const labels: number[] = [];
    const model: number[] = [];
    const oracle: number[] = [];
    const set = await db.collection('score_sets').findOne({ _id: `${id}:${rescore.scoreSet}` as never });
    for await (const s of db.collection(set!.collectionName as string).find({}, { projection: { probability: 1 }, batchSize: 5000 })) {
      const u = truth.get(s._id as unknown as string);
      if (!u) continue;
      labels.push(spec.real(u) ? 1 : 0);
      model.push(s.probability);
      oracle.push(spec.truth(u));
    }
    console.log(
      `quality: ${a.quality.grade} (lift quality ${a.quality.liftQuality.toFixed(1)}%), holdout AUC ${a.quality.auc.toFixed(3)}, PR AUC ${a.quality.prAuc.toFixed(3)}`,
    );
    console.log(`on the real future of ${labels.length} scored users: model AUC ${rocAuc(labels, model).toFixed(3)} vs oracle AUC ${rocAuc(labels, oracle).toFixed(3)}`);
    console.log(`categories: ${JSON.stringify(a.scores.categories)}; ${rescored}`);
    console.log(`analytics: ${API}/v1/predictions/${id}/analytics`);
  }
  await client.connection.close();
  await db.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
