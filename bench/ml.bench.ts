/**
 * bench:ml — our GBDT against XGBoost (Debian's python3-xgboost, measured in the same run) on the
 * shared tables: churn (5-fold CV), CDNOW purchase-in-holdout (5-fold CV) and the synthetic 1M x 40.
 *
 *   npm run bench:ml                      (after a build)
 *   node -r @swc-node/register bench/ml.bench.ts [--quick] [--only=mlc,wa,cdnow,synth] [--threads=2] [--no-reference]
 *
 * --quick shrinks the synthetic task to 100k train / 100k test rows; --no-reference skips the Python side.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive, fitBgNbd } from '../libs/ml/clv/bg-nbd';
import { CDNOW_HOLDOUT_WEEKS, calibrationPurchases, loadCdnow } from '../libs/ml/clv/cdnow';
import { loadCsvTable } from '../libs/ml/datasets/csv-table';
import { sharedDataPath } from '../libs/ml/datasets/shared-data';
import { makeSynthTable } from '../libs/ml/datasets/synth-table';
import { predict, selectRows, selectTrainingRows, trainGbdt, TrainingData, trainWithRecipe } from '../libs/ml/gbdt';
import { logLoss, rocAuc } from '../libs/ml/metrics';
import { stratifiedFolds } from '../libs/ml/random';

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
  /** A second reference AUC (logistic regression, BG/NBD) and its name. */
  otherName?: string;
  otherAuc?: number;
  oracleAuc?: number;
  target: string;
  met: boolean;
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

/** Runs bench/reference/xgboost_reference.py on a job; failures become a "not installed"/error note. */
function runReference(job: object): ReferenceResult {
  if (!withReference) return { xgboostError: 'skipped (--no-reference)' };
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
function crossValidate(data: TrainingData, folds: Uint8Array, foldData: (f: number, train: number[]) => TrainingData = () => data): Scores {
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
    const { model } = trainWithRecipe(train, { seed: SEED, numThreads: threads });
    trainTimes.push(seconds(t0));
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
  const ours = crossValidate(data, folds);
  const ref = runReference({
    task: 'cv', n: table.n, p: table.p, x: writeRaw('x.f32', table.x), y: writeRaw('y.u8', table.y),
    folds: writeRaw('folds.u8', folds), categorical: table.categoricalFeatures, xgb: xgbCv, logreg: true,
  });
  const bar = Math.max(ref.xgboost?.auc ?? 0, ref.logregAuc ?? 0);
  return {
    task: `${file} (5-fold CV, recipe)`, threads, ours, ref, otherName: 'logistic regression', otherAuc: ref.logregAuc,
    target: 'AUC ≥ max(XGBoost, LR)', met: ours.auc >= bar,
  };
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
  const ours = crossValidate({ x: base, n, y, featureNames: CDNOW_FEATURES }, folds, withBgNbd);
  const ref = runReference({
    task: 'cv', n, p, x: writeRaw('x.f32', base), x_folds: foldTables.map((x, f) => writeRaw(`x${f}.f32`, x)),
    y: writeRaw('y.u8', y), folds: writeRaw('folds.u8', folds), categorical: [], xgb: xgbCv, logreg: true,
  });
  const bgAuc = mean(bgAucs);
  return {
    task: 'CDNOW buys in holdout (5-fold CV, recipe)', threads, ours, ref, otherName: 'BG/NBD expected purchases', otherAuc: bgAuc,
    target: 'AUC > 0.7725 (BG/NBD, paper)', met: ours.auc > 0.7725,
  };
}

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

function fmt(v: number | undefined, digits: number): string {
  return v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits);
}

function rate(v: number | undefined): string {
  if (v === undefined) return '—';
  return v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : `${(v / 1e3).toFixed(0)}k`;
}

function printTable(rows: BenchRow[]): void {
  const head = [
    'task', 'threads', 'AUC ours', 'AUC XGB', 'AUC other ref', 'AUC oracle', 'log-loss ours', 'log-loss XGB',
    'train s ours', 'train s XGB', 'train ratio', 'predict rows/s ours', 'predict rows/s XGB', 'predict ratio', 'target', 'met',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const x = r.ref.xgboost;
    lines.push(`| ${[
      r.task, String(r.threads), fmt(r.ours.auc, 4), x ? fmt(x.auc, 4) : r.ref.xgboostError ?? '—',
      r.otherAuc === undefined ? '—' : `${fmt(r.otherAuc, 4)} (${r.otherName})`, fmt(r.oracleAuc, 4),
      fmt(r.ours.logloss, 4), fmt(x?.logloss, 4), fmt(r.ours.trainS, 2), fmt(x?.trainS, 2),
      x ? fmt(r.ours.trainS / x.trainS, 2) : '—', rate(r.ours.predictRowsPerS), rate(x?.predictRowsPerS),
      x ? fmt(r.ours.predictRowsPerS / x.predictRowsPerS, 2) : '—', r.target, r.met ? 'yes' : 'NO',
    ].join(' | ')} |`);
  }
  console.log(lines.join('\n'));
}

function main(): void {
  const tasks: [string, () => BenchRow][] = [
    ['mlc', () => churnTask('mlc_churn.csv')],
    ['wa', () => churnTask('wa_churn.csv')],
    ['cdnow', cdnowTask],
    ['synth', synthTask],
  ];
  const rows: BenchRow[] = [];
  try {
    for (const [name, run] of tasks) {
      if (only && !only.includes(name)) continue;
      const t0 = process.hrtime.bigint();
      rows.push(run());
      console.error(`bench:ml ${name} done in ${seconds(t0).toFixed(1)} s`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  const version = rows.find((r) => r.ref.xgboostVersion)?.ref.xgboostVersion;
  console.log(`\nbench:ml — ${new Date().toISOString()} — ${cpus.length} x ${cpus[0]?.model ?? '?'}, node ${process.version}, XGBoost ${version ?? 'not installed'} (tree_method=hist, same thread count)`);
  console.log(`command: node ${path.relative(process.cwd(), process.argv[1])} ${args.join(' ')}`.trimEnd());
  console.log('CV tasks: XGBoost = depth 6, eta 0.1, 200 rounds (REFERENCE.md); ours = the one training recipe. Times: median per fold.\n');
  printTable(rows);
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
}

main();
