import { SplitMix64 } from '../random/splitmix64';

/** Port of shared/data/synth/make_synth.py: a 40-feature binary table with a known logistic truth. */
export const SYNTH_DEFAULT_SEED = 20240601;
export const SYNTH_FEATURES = 40;
const STRIDE = SYNTH_FEATURES + 1;
const W = [1.2, -1.0, 0.8, -0.7, 0.6, -0.5, 0.4, -0.3, 0.2, -0.1];
const SCALE = Array.from({ length: SYNTH_FEATURES }, (_, j) => (j < 20 ? 1.0 : j < 30 ? 2.0 : 0.5));

export interface SynthTableOptions {
  rows: number;
  /** First row index (the benchmark tests on rows 1,000,000 .. 1,999,999). */
  start?: number;
  seed?: number;
}

export interface SynthTable<X extends Float32Array | Float64Array> {
  n: number;
  p: number;
  /** Column-major: feature j of row i at j*n + i. */
  x: X;
  y: Uint8Array;
  /** True probability of y = 1. */
  prob: Float64Array;
  featureNames: string[];
}

/** The true logit, evaluated left to right exactly as make_synth.py does (bit-exact). */
function trueLogit(r: Float64Array): number {
  let f = -0.5;
  for (let j = 0; j < 10; j++) f = f + W[j] * r[j];
  f = f + 1.5 * (r[10] * r[11]);
  f = f + 2.0 * (r[12] > 0.3 ? 1 : 0);
  f = f - 2.0 * (r[13] * r[13]);
  f = f + 1.5 * Math.abs(r[14]);
  return f;
}

function generate<X extends Float32Array | Float64Array>(opts: SynthTableOptions, x: X): SynthTable<X> {
  const n = opts.rows;
  const start = opts.start ?? 0;
  const rng = new SplitMix64(opts.seed ?? SYNTH_DEFAULT_SEED, BigInt(start) * BigInt(STRIDE));
  const y = new Uint8Array(n);
  const prob = new Float64Array(n);
  const row = new Float64Array(SYNTH_FEATURES);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < SYNTH_FEATURES; j++) {
      const v = (2.0 * rng.nextDouble() - 1.0) * SCALE[j];
      row[j] = v;
      x[j * n + i] = v;
    }
    const p = 1.0 / (1.0 + Math.exp(-trueLogit(row)));
    prob[i] = p;
    y[i] = rng.nextDouble() < p ? 1 : 0;
  }
  const featureNames = Array.from({ length: SYNTH_FEATURES }, (_, j) => `x${j}`);
  return { n, p: SYNTH_FEATURES, x, y, prob, featureNames };
}

/** Features as float32 (what the models train on); `prob` and `y` come from the exact float64 features. */
export function makeSynthTable(opts: SynthTableOptions): SynthTable<Float32Array> {
  return generate(opts, new Float32Array(opts.rows * SYNTH_FEATURES));
}

/** Features as float64, bit-identical to make_synth.py. */
export function makeSynthTableExact(opts: SynthTableOptions): SynthTable<Float64Array> {
  return generate(opts, new Float64Array(opts.rows * SYNTH_FEATURES));
}
