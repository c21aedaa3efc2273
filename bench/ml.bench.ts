/**
 * bench:ml — our GBDT against XGBoost and a logistic regression (Debian's python3-xgboost and
 * python3-sklearn, measured in the same run; installed with apt-get when missing) on the shared tables:
 * churn (5-fold CV), CDNOW purchase-in-holdout (5-fold CV) and the synthetic 1M x 40; then CLV on CDNOW
 * (39/39 weeks), product recommendations on the simulated population and per-user reasons (TreeSHAP).
 *
 *   npm run bench:ml                      (after a build)
 *   node -r @swc-node/register bench/ml.bench.ts [--quick] [--only=mlc,wa,cdnow,synth,clv,recs,reasons] [--threads=2] [--no-reference]
 *
 * --quick shrinks the synthetic task to 100k train / 100k test rows, the recommendation population to
 * 20k users and the reasons to 100k rows; --no-reference skips the Python side.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive, fitBgNbd } from '../libs/ml/clv/bg-nbd';
import { CDNOW_END, CDNOW_HOLDOUT_WEEKS, calibrationPurchases, cdnowHistories, loadCdnow } from '../libs/ml/clv/cdnow';
import { ClvEvaluation, evaluateClv } from '../libs/ml/clv/clv-evaluation';
import { loadCsvTable } from '../libs/ml/datasets/csv-table';
import { sharedDataPath } from '../libs/ml/datasets/shared-data';
import { makeSynthTable } from '../libs/ml/datasets/synth-table';
import { compileExplainer, explainRows, topContributionsParallel } from '../libs/ml/explain';
import { GbdtModel, predict, predictMargins, selectRows, selectTrainingRows, trainGbdt, TrainingData, trainWithRecipe } from '../libs/ml/gbdt';
import { logLoss, rocAuc } from '../libs/ml/metrics';
import { stratifiedFolds } from '../libs/ml/random';
import { evaluateRecommender, RecommenderEvaluation } from '../libs/ml/recommend';
import { generateUsers, ProductTaste } from '../libs/ml/simulation';

const SEED = 42;
const FOLDS = 5;
const PYTHON = '/usr/bin/python3';

interface Scores {
  auc: number;
  logloss: number;
  /** Median training time per fold (CV) or the training time (holdout), seconds. */
  trainS: number;
  predictRowsPerS: number;
}

interface ReferenceResult {
  xgboost?: Scores;
  xgboostVersion?: string;
  xgboostError?: string;
  logregAuc?: number;
  /** Holdout task: XGBoost's prediction from the raw test array, through a DMatrix and in place. */
  matrixPredictRowsPerS?: number;
  inplacePredictRowsPerS?: number;
}

interface BenchRow {
  task: string;
  threads: number;
  ours: Scores;
  ref: ReferenceResult;
  /** Another reference AUC (BG/NBD) and its name. */
  otherName?: string;
  otherAuc?: number;
  oracleAuc?: number;
  target: string;
  met: boolean;
  /** CV tasks: what the recipe kept in each fold (trees, regression, or a blend). */
  choices?: string[];
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const threads = Number(args.find((a) => a.startsWith('--threads='))?.slice(10) ?? 2);
const withReference = !args.includes('--no-reference');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'propensity-bench-ml-'));

/** The directory holding package.json above this file (works from bench/ and from dist/bench/). */
function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    if (path.dirname(dir) === dir) throw new Error(`bench:ml: no package.json above ${__dirname}`);
    dir = path.dirname(dir);
  }
  return dir;
}

function writeRaw(name: string, data: Float32Array | Uint8Array): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return file;
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const median = (a: number[]) => {
  const s = [...a].sort((u, v) => u - v);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

let referenceChecked = false;

/**
 * On a fresh machine the reference (Debian's python3-xgboost and python3-sklearn) is installed with
 * apt-get, once, and only when `import xgboost, sklearn` fails; a failed install is reported by the
 * reference itself as "not installed".
 */
function ensureReference(): void {
  if (referenceChecked) return;
  referenceChecked = true;
  const importable = () => spawnSync(PYTHON, ['-c', 'import xgboost, sklearn'], { stdio: 'ignore' }).status === 0;
  if (importable()) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const aptGet = (...rest: string[]) => {
    const [cmd, ...argv] = [...sudo, 'apt-get', ...rest];
    console.error(`bench:ml: ${[cmd, ...argv].join(' ')}`);
    return spawnSync(cmd, argv, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  };
  console.error('bench:ml: the reference (python3-xgboost, python3-sklearn) is missing: installing it');
  // A fresh machine may have no package lists yet: update and retry once.
  if (!aptGet('install', '-y', 'python3-xgboost', 'python3-sklearn')) {
    if (aptGet('update')) aptGet('install', '-y', 'python3-xgboost', 'python3-sklearn');
  }
  if (!importable()) console.error('bench:ml: the reference could not be installed; its columns will say why');
}

/** Runs bench/reference/xgboost_reference.py on a job; failures become a "not installed"/error note. */
function runReference(job: object): ReferenceResult {
  if (!withReference) return { xgboostError: 'skipped (--no-reference)' };
  ensureReference();
  const jobFile = path.join(tmp, 'job.json');
  fs.writeFileSync(jobFile, JSON.stringify(job));
  let out: Record<string, any>;
  try {
    const script = path.join(projectRoot(), 'bench', 'reference', 'xgboost_reference.py');
    out = JSON.parse(execFileSync(PYTHON, [script, jobFile], { encoding: 'utf8', maxBuffer: 1 << 24 }));
  } catch (e) {
    const msg = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${PYTHON} not installed` : String((e as Error).message).split('\n')[0];
    return { xgboostError: `not installed (${msg})` };
  }
  const x = out.xgboost;
  return {
    xgboost: x && { auc: x.auc, logloss: x.logloss, trainS: x.train_s, predictRowsPerS: x.predict_rows_per_s },
    xgboostVersion: out.xgboost_version,
    xgboostError: out.xgboost_error,
    logregAuc: out.logreg?.auc,
    matrixPredictRowsPerS: x?.matrix_predict_rows_per_s,
    inplacePredictRowsPerS: x?.inplace_predict_rows_per_s,
  };
}

/** 5-fold stratified CV of the one training recipe; `foldData(f)` may rebuild fold-dependent features. */
function crossValidate(
  data: TrainingData,
  folds: Uint8Array,
  foldData: (f: number, train: number[]) => TrainingData = () => data,
  choices: string[] = [],
): Scores {
  const aucs: number[] = [];
  const losses: number[] = [];
  const trainTimes: number[] = [];
  let predictS = 0;
  for (let f = 0; f < FOLDS; f++) {
    const trainRows: number[] = [];
    const testRows: number[] = [];
    for (let i = 0; i < data.n; i++) (folds[i] === f ? testRows : trainRows).push(i);
    const table = foldData(f, trainRows);
    const train = selectTrainingRows(table, trainRows);
    let t0 = process.hrtime.bigint();
    const { model, treeWeight } = trainWithRecipe(train, { seed: SEED, numThreads: threads });
    trainTimes.push(seconds(t0));
    choices.push(treeWeight === 1 ? 'trees' : treeWeight === 0 ? 'regression' : `blend ${treeWeight.toFixed(1)}`);
    const xTest = selectRows(table.x, table.n, testRows);
    t0 = process.hrtime.bigint();
    const probs = predict(model, xTest, testRows.length, { numThreads: threads });
    predictS += seconds(t0);
    const yTest = testRows.map((i) => data.y[i]);
    aucs.push(rocAuc(yTest, probs));
    losses.push(logLoss(yTest, probs));
  }
  return { auc: mean(aucs), logloss: mean(losses), trainS: median(trainTimes), predictRowsPerS: data.n / predictS };
}

const xgbCv = { rounds: 200, max_depth: 6, eta: 0.1, nthread: threads };

function churnTask(file: string): BenchRow {
  const table = loadCsvTable(sharedDataPath(file), { label: 'churn' });
  const data: TrainingData = { x: table.x, n: table.n, y: table.y, featureNames: table.featureNames, categoricalFeatures: table.categoricalFeatures };
  const folds = stratifiedFolds(table.y, FOLDS, SEED);
  const choices: string[] = [];
  const ours = crossValidate(data, folds, undefined, choices);
  const ref = runReference({
    task: 'cv', n: table.n, p: table.p, x: writeRaw('x.f32', table.x), y: writeRaw('y.u8', table.y),
    folds: writeRaw('folds.u8', folds), categorical: table.categoricalFeatures, xgb: xgbCv, logreg: true,
  });
  const bar = Math.max(ref.xgboost?.auc ?? 0, ref.logregAuc ?? 0);
  return { task: `${file} (5-fold CV, recipe)`, threads, ours, ref, target: 'AUC ≥ max(XGBoost, LR)', met: ours.auc >= bar, choices };
}

const CDNOW_FEATURES = [
  'frequency', 'recency_weeks', 'T_weeks', 'mean_repeat_spend', 'first_amount', 'first_cds', 'total_cds',
  'total_spend', 'mean_gap_weeks', 'weeks_since_last', 'purchases_last_13_weeks', 'bgnbd_expected_holdout', 'bgnbd_p_alive',
];

/**
 * CDNOW: will the customer buy in the holdout (weeks 40–78)? Features from the calibration period only;
 * the BG/NBD columns come from a fit on the training fold's customers.
 */
function cdnowTask(): BenchRow {
  const cohort = loadCdnow();
  const n = cohort.id.length;
  const p = CDNOW_FEATURES.length;
  const y = Uint8Array.from(cohort.holdoutPurchases, (h) => (h > 0 ? 1 : 0));
  const base = new Float32Array(n * p);
  for (let i = 0; i < n; i++) {
    const cal = calibrationPurchases(cohort.purchases[i]);
    const k = cal.days.length;
    const lastDay = cal.days[k - 1];
    const endDay = cal.days[0] + cohort.T[i] * 7;
    let spend = 0;
    let cds = 0;
    let recent = 0;
    for (let t = 0; t < k; t++) {
      spend += cal.amounts[t];
      cds += cal.cds[t];
      if (cal.days[t] > endDay - 13 * 7) recent++;
    }
    const f = cohort.frequency[i];
    const row = [
      f, cohort.recency[i], cohort.T[i], cohort.monetary[i], cal.amounts[0], cal.cds[0], cds, spend,
      f > 0 ? cohort.recency[i] / f : NaN, (endDay - lastDay) / 7, recent, 0, 0,
    ];
    row.forEach((v, j) => (base[j * n + i] = v));
  }
  const folds = stratifiedFolds(y, FOLDS, SEED);
  const bgAucs: number[] = [];
  const foldTables: Float32Array[] = [];
  const withBgNbd = (f: number, trainRows: number[]): TrainingData => {
    const pick = (a: Float64Array) => trainRows.map((i) => a[i]);
    const fit = fitBgNbd({ frequency: pick(cohort.frequency), recency: pick(cohort.recency), T: pick(cohort.T) });
    const x = base.slice();
    const expected = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const [fr, rec, T] = [cohort.frequency[i], cohort.recency[i], cohort.T[i]];
      expected[i] = bgNbdConditionalExpectedPurchases(fit.params, CDNOW_HOLDOUT_WEEKS, fr, rec, T);
      x[11 * n + i] = expected[i];
      x[12 * n + i] = bgNbdProbabilityAlive(fit.params, fr, rec, T);
    }
    const test = [...Array(n).keys()].filter((i) => folds[i] === f);
    bgAucs.push(rocAuc(test.map((i) => y[i]), test.map((i) => expected[i])));
    foldTables[f] = x;
    return { x, n, y, featureNames: CDNOW_FEATURES };
  };
  const choices: string[] = [];
  const ours = crossValidate({ x: base, n, y, featureNames: CDNOW_FEATURES }, folds, withBgNbd, choices);
  const ref = runReference({
    task: 'cv', n, p, x: writeRaw('x.f32', base), x_folds: foldTables.map((x, f) => writeRaw(`x${f}.f32`, x)),
    y: writeRaw('y.u8', y), folds: writeRaw('folds.u8', folds), categorical: [], xgb: xgbCv, logreg: true,
  });
  const bgAuc = mean(bgAucs);
  const bar = Math.max(ref.xgboost?.auc ?? 0, ref.logregAuc ?? 0);
  return {
    task: 'CDNOW buys in holdout (5-fold CV, recipe)', threads, ours, ref, otherName: 'BG/NBD expected purchases', otherAuc: bgAuc,
    target: 'AUC ≥ max(XGBoost, LR), > 0.7725 (BG/NBD, paper)', met: ours.auc >= bar && ours.auc > 0.7725, choices,
  };
}

/** The synthetic task's model, explained by the reasons row (trained there when the task did not run). */
let synthModel: GbdtModel | null = null;

/** Prediction calls timed on the synthetic task, ours and XGBoost's; the best counts. */
const PREDICT_REPEATS = 3;
let synthTrainMaxRssMiB = NaN;
/** The synthetic task's prediction rates from the raw matrix (printed under the table). */
let synthRawPredict: { ours: number; matrix?: number; inplace?: number } | null = null;

/** Synthetic table: rows 0.. to train, rows 1,000,000.. to test; 100 rounds, depth 6, eta 0.1 for both. */
function synthTask(): BenchRow {
  const rows = quick ? 100_000 : 1_000_000;
  const train = makeSynthTable({ rows });
  const xFile = writeRaw('x.f32', train.x);
  const yFile = writeRaw('y.u8', train.y);
  const params = { rounds: 100, maxDepth: 6, learningRate: 0.1, minChildWeight: 1, lambda: 1 };
  let t0 = process.hrtime.bigint();
  const model = trainGbdt({ x: train.x, n: rows, y: train.y, featureNames: train.featureNames }, params, { numThreads: threads });
  const trainS = seconds(t0);
  synthModel = model;
  synthTrainMaxRssMiB = process.resourceUsage().maxRSS / 1024;
  const test = makeSynthTable({ rows, start: 1_000_000 });
  // Throughput: the best of PREDICT_REPEATS calls (XGBoost's predict is timed the same way).
  let probs: Float64Array = new Float64Array(0);
  let predictS = Infinity;
  for (let r = 0; r < PREDICT_REPEATS; r++) {
    t0 = process.hrtime.bigint();
    probs = predict(model, test.x, rows, { numThreads: threads });
    predictS = Math.min(predictS, seconds(t0));
  }
  const ours = { auc: rocAuc(test.y, probs), logloss: logLoss(test.y, probs), trainS, predictRowsPerS: rows / predictS };
  const oracleAuc = rocAuc(test.y, test.prob);
  const ref = runReference({
    task: 'holdout', n: rows, p: train.p, x: xFile, y: yFile, n_test: rows, x_test: writeRaw('xt.f32', test.x),
    y_test: writeRaw('yt.u8', test.y), xgb: { rounds: 100, max_depth: 6, eta: 0.1, nthread: threads, predict_repeats: PREDICT_REPEATS },
  });
  const x = ref.xgboost;
  synthRawPredict = { ours: ours.predictRowsPerS, matrix: ref.matrixPredictRowsPerS, inplace: ref.inplacePredictRowsPerS };
  const met = !!x && ours.auc >= x.auc && trainS / x.trainS <= 1 && ours.predictRowsPerS / x.predictRowsPerS >= 2 && synthTrainMaxRssMiB < 1024;
  return {
    task: `synthetic ${rows / 1000}k x 40 train / next ${rows / 1000}k test`, threads, ours, ref, oracleAuc,
    target: 'AUC ≥ XGB, time ratio ≤ 1, predict ≥ 2x, RSS < 1 GiB', met,
  };
}

/** CLV on CDNOW as in the BG/NBD literature: fitted on weeks 1–39, judged on weeks 40–78. */
function clvTask(): ClvEvaluation {
  return evaluateClv(cdnowHistories(loadCdnow()), CDNOW_END, { horizonDays: CDNOW_HOLDOUT_WEEKS * 7 });
}

function printClv(e: ClvEvaluation): void {
  const head = [
    'task', 'predicted holdout value', 'actual holdout value', 'predicted purchases', 'actual purchases', 'MAE', 'RMSE',
    'top-20% hit rate ours', 'top-20% hit rate naive (past value)', 'grade', 'target', 'met',
  ];
  const met = e.hitRate >= e.baselineHitRate;
  console.log([
    `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`,
    `| ${[
      `CDNOW CLV (BG/NBD + Gamma-Gamma), ${e.customers} customers, ${e.holdoutDays / 7}/${e.holdoutDays / 7} weeks`,
      `$${fmt(e.predictedValue, 0)}`, `$${fmt(e.actualValue, 0)}`, fmt(e.predictedPurchases, 1), String(e.actualPurchases),
      `$${fmt(e.mae, 2)}`, `$${fmt(e.rmse, 2)}`, `${fmt(100 * e.hitRate, 1)}% (${Math.round(e.hitRate * e.actualTop)}/${e.actualTop})`,
      `${fmt(100 * e.baselineHitRate, 1)}% (${Math.round(e.baselineHitRate * e.actualTop)}/${e.actualTop})`, e.grade,
      'hit rate ≥ naive baseline', met ? 'yes' : 'NO',
    ].join(' | ')} |`,
  ].join('\n'));
}

interface RecsResult {
  users: number;
  generateS: number;
  evaluation: RecommenderEvaluation;
}

/**
 * Recommendations on the simulated population with its product catalogue: purchases up to `now` train,
 * the 60 days after it are the holdout; the oracle ranks by each user's true purchase distribution.
 */
function recsTask(): RecsResult {
  const users = quick ? 20_000 : 100_000;
  const now = Date.UTC(2026, 0, 1);
  const t0 = process.hrtime.bigint();
  const histories: { userId: string; events: { type: string; ts: number; amount?: number; properties?: Record<string, string | number | boolean | null> }[] }[] = [];
  const tastes: ProductTaste[] = [];
  for (const u of generateUsers({ seed: SEED, users, now, products: { products: 1000, categories: 20 } })) {
    histories.push({ userId: u.history.userId, events: u.history.events.concat(u.futureEvents).filter((e) => e.type === 'purchase') });
    tastes.push(u.products!);
  }
  const generateS = seconds(t0);
  const { catalogue } = tastes[0];
  const evaluation = evaluateRecommender(histories, now + 60 * 86_400_000, {
    holdoutDays: 60,
    oracle: (u, bought, k) => {
      const pi = tastes[u].probabilities();
      const order = Array.from(pi.keys()).sort((a, b) => pi[b] - pi[a]);
      const out: string[] = [];
      for (const j of order) {
        if (out.length === k) break;
        const id = catalogue.productId(j);
        if (!bought.has(id)) out.push(id);
      }
      return out;
    },
  });
  return { users, generateS, evaluation };
}

function printRecs({ users, evaluation: e }: RecsResult): void {
  const q = (pick: (r: { precision: number; recall: number; ndcg: number }) => number) =>
    `${fmt(pick(e.ours), 4)} / ${fmt(pick(e.popularity), 4)} / ${e.oracle ? fmt(pick(e.oracle), 4) : '—'}`;
  const head = [
    'task', 'customers judged', 'precision@10 ours / popularity / oracle', 'recall@10', 'NDCG@10', 'train s', 'recommend s (all users)', 'target', 'met',
  ];
  console.log([
    `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`,
    `| ${[
      `simulated ${users / 1000}k users x 1,000-product catalogue (${e.products} bought), 60-day holdout, item-item`, String(e.customers),
      q((r) => r.precision), q((r) => r.recall), q((r) => r.ndcg),
      fmt(e.fitMs / 1000, 2), fmt(e.recommendMs / 1000, 2), 'NDCG@10 > popularity', e.ours.ndcg > e.popularity.ndcg ? 'yes' : 'NO',
    ].join(' | ')} |`,
  ].join('\n'));
}

interface ReasonsResult {
  rows: number;
  trees: number;
  /** Largest |base value + Σ contributions − margin| over the checked rows. */
  additivityError: number;
  checkedRows: number;
  explainS: number;
  predictOneS: number;
  predictS: number;
}

/** TreeSHAP on the synthetic task's model: additivity, and the time to explain every test row (top 5 kept). */
async function reasonsTask(): Promise<ReasonsResult> {
  const rows = quick ? 100_000 : 1_000_000;
  let model = synthModel;
  if (!model) {
    const train = makeSynthTable({ rows });
    model = trainGbdt({ x: train.x, n: rows, y: train.y, featureNames: train.featureNames }, { rounds: 100, maxDepth: 6, learningRate: 0.1 }, { numThreads: threads });
  }
  const test = makeSynthTable({ rows, start: 1_000_000 });
  const explainer = compileExplainer(model);
  const checked = Math.min(rows, 50_000);
  const phi = explainRows(explainer, test.x, rows, new Float64Array(checked * test.p), 0, checked);
  const margins = predictMargins(model, test.x, rows, undefined, { numThreads: threads });
  let additivityError = 0;
  for (let i = 0; i < checked; i++) {
    let sum = explainer.baseValue;
    for (let j = 0; j < test.p; j++) sum += phi[i * test.p + j];
    additivityError = Math.max(additivityError, Math.abs(sum - margins[i]));
  }
  let t0 = process.hrtime.bigint();
  await topContributionsParallel(explainer, test.x, rows, 5, threads);
  const explainS = seconds(t0);
  let predictOneS = Infinity;
  let predictS = Infinity;
  for (let r = 0; r < PREDICT_REPEATS; r++) {
    t0 = process.hrtime.bigint();
    predictMargins(model, test.x, rows, undefined, { numThreads: 1 });
    predictOneS = Math.min(predictOneS, seconds(t0));
    t0 = process.hrtime.bigint();
    predictMargins(model, test.x, rows, undefined, { numThreads: threads });
    predictS = Math.min(predictS, seconds(t0));
  }
  return { rows, trees: model.trees.length, additivityError, checkedRows: checked, explainS, predictOneS, predictS };
}

function printReasons(r: ReasonsResult): void {
  const head = [
    'task', 'max additivity error', `explain s (${threads} threads, top 5 kept)`, `predict s (${threads} threads)`, 'predict s (1 thread)',
    'explain / predict', 'target', 'met',
  ];
  console.log([
    `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`,
    `| ${[
      `TreeSHAP, synthetic model (${r.trees} trees, depth 6), ${r.rows / 1000}k rows (additivity on ${r.checkedRows / 1000}k)`,
      r.additivityError.toExponential(1), fmt(r.explainS, 1), fmt(r.predictS, 2), fmt(r.predictOneS, 2),
      `${fmt(r.explainS / r.predictS, 0)}x`, 'additivity error < 1e-9', r.additivityError < 1e-9 ? 'yes' : 'NO',
    ].join(' | ')} |`,
  ].join('\n'));
}

function fmt(v: number | undefined, digits: number): string {
  return v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits);
}

function rate(v: number | undefined): string {
  if (v === undefined) return '—';
  return v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : `${(v / 1e3).toFixed(0)}k`;
}

function printTable(rows: BenchRow[]): void {
  const head = [
    'task', 'threads', 'AUC ours', 'AUC XGB', 'AUC LR', 'AUC other ref', 'AUC oracle', 'log-loss ours', 'log-loss XGB',
    'train s ours', 'train s XGB', 'train ratio', 'predict rows/s ours', 'predict rows/s XGB', 'predict ratio', 'target', 'met',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const x = r.ref.xgboost;
    lines.push(`| ${[
      r.task, String(r.threads), fmt(r.ours.auc, 4), x ? fmt(x.auc, 4) : r.ref.xgboostError ?? '—', fmt(r.ref.logregAuc, 4),
      r.otherAuc === undefined ? '—' : `${fmt(r.otherAuc, 4)} (${r.otherName})`, fmt(r.oracleAuc, 4),
      fmt(r.ours.logloss, 4), fmt(x?.logloss, 4), fmt(r.ours.trainS, 2), fmt(x?.trainS, 2),
      x ? fmt(r.ours.trainS / x.trainS, 2) : '—', rate(r.ours.predictRowsPerS), rate(x?.predictRowsPerS),
      x ? fmt(r.ours.predictRowsPerS / x.predictRowsPerS, 2) : '—', r.target, r.met ? 'yes' : 'NO',
    ].join(' | ')} |`);
  }
  console.log(lines.join('\n'));
  for (const r of rows) if (r.choices) console.log(`${r.task}: the recipe kept ${r.choices.join(', ')} (folds 1-${r.choices.length})`);
}

async function main(): Promise<void> {
  const tasks: [string, () => BenchRow][] = [
    ['mlc', () => churnTask('mlc_churn.csv')],
    ['wa', () => churnTask('wa_churn.csv')],
    ['cdnow', cdnowTask],
    ['synth', synthTask],
  ];
  const rows: BenchRow[] = [];
  let clv: ClvEvaluation | null = null;
  let recs: RecsResult | null = null;
  let reasons: ReasonsResult | null = null;
  const timed = async <T>(name: string, run: () => T | Promise<T>): Promise<T | null> => {
    if (only && !only.includes(name)) return null;
    const t0 = process.hrtime.bigint();
    const result = await run();
    console.error(`bench:ml ${name} done in ${seconds(t0).toFixed(1)} s`);
    return result;
  };
  try {
    for (const [name, run] of tasks) {
      const row = await timed(name, run);
      if (row) rows.push(row);
    }
    clv = await timed('clv', clvTask);
    recs = await timed('recs', recsTask);
    reasons = await timed('reasons', reasonsTask);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  const version = rows.find((r) => r.ref.xgboostVersion)?.ref.xgboostVersion;
  console.log(`\nbench:ml — ${new Date().toISOString()} — ${cpus.length} x ${cpus[0]?.model ?? '?'}, node ${process.version}, XGBoost ${version ?? 'not installed'} (tree_method=hist, same thread count)`);
  console.log(`command: node ${path.relative(process.cwd(), process.argv[1])} ${args.join(' ')}`.trimEnd());
  if (rows.length) {
    console.log('CV tasks: XGBoost = depth 6, eta 0.1, 200 rounds (REFERENCE.md); LR = scikit-learn, one-hot + standardised, C = 1; ours = the one training recipe. Times: median per fold.\n');
    printTable(rows);
  }
  if (!Number.isNaN(synthTrainMaxRssMiB)) console.log(`\npeak RSS after synthetic training (process high-water mark): ${synthTrainMaxRssMiB.toFixed(0)} MiB`);
  if (synthRawPredict?.matrix != null && synthRawPredict.inplace != null) {
    const { ours, matrix, inplace } = synthRawPredict;
    // The table's XGBoost rate excludes building its test DMatrix; ours starts from the raw matrix.
    // All rates are the best of PREDICT_REPEATS calls (the DMatrix is built once).
    console.log(
      `synthetic prediction from the raw float32 matrix: ours ${rate(ours)} rows/s; XGBoost DMatrix + predict ${rate(matrix)} ` +
        `(ratio ${fmt(ours / matrix, 2)}), inplace_predict ${rate(inplace)} (ratio ${fmt(ours / inplace, 2)})`,
    );
  }
  if (clv) {
    console.log('\nCLV: reference = the naive baseline (ranks by past value) and the published BG/NBD forecast (1,653.4 of 1,882 holdout purchases).\n');
    printClv(clv);
  }
  if (recs) {
    console.log(`\nRecommendations: popularity = the most bought products not yet bought; oracle = each user's true purchase distribution (simulated users generated in ${fmt(recs.generateS, 1)} s).\n`);
    printRecs(recs);
  }
  if (reasons) {
    console.log('\nReasons: exact TreeSHAP; predict = margins of the same rows (best of three).\n');
    printReasons(reasons);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
