import { hyp2f1 } from '../math/hypergeometric-2f1';
import { nelderMead } from '../math/nelder-mead';
import { lgamma } from '../math/special-functions';

// Module-local aliases: inside a vm sandbox (jest) each `Math.x` is a slow global lookup.
const { exp, log, log1p, max, min, pow } = Math;

/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive a customer
 * buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop out with
 * probability p ~ Beta(a, b). Time is in whatever unit the summaries use (weeks for CDNOW).
 */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Customers' calibration summaries: repeat purchases x, recency t_x and age T, index-aligned. */
export interface BgNbdData {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  evaluations: number;
}

/** Total log-likelihood (paper eq. 6) of the customers under the parameters. */
export function bgNbdLogLikelihood(params: BgNbdParams, data: BgNbdData): number {
  return logLikelihoodOf(data)(params);
}

/**
 * Maximum-likelihood fit by Nelder–Mead on the log-parameters (which keeps them positive), from
 * all parameters = 1. Deterministic.
 */
export function fitBgNbd(data: BgNbdData): BgNbdFit {
  const logLikelihood = logLikelihoodOf(data);
  const fromLog = (z: ArrayLike<number>): BgNbdParams => ({
    r: exp(z[0]),
    alpha: exp(z[1]),
    a: exp(z[2]),
    b: exp(z[3]),
  });
  const best = nelderMead((z) => -logLikelihood(fromLog(z)), [0, 0, 0, 0], { step: 0.5 });
  return { params: fromLog(best.x), logLikelihood: -best.value, evaluations: best.evaluations };
}

/** Unconditional expected purchases of a new customer in (0, t] (paper eq. 7). */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = params;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, z));
}

/** Expected purchases in the next t time units of a customer with history (x, t_x, T) (paper eq. 10). */
export function bgNbdConditionalExpectedPurchases(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const whileAlive =
    ((a + b + x - 1) / (a - 1)) *
    (1 - pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z));
  return whileAlive * bgNbdProbabilityAlive(params, x, tx, T);
}

/** Probability that a customer with history (x, t_x, T) has not dropped out (paper eq. 11). */
export function bgNbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1; // dropping out happens right after a purchase, so no repeat means no chance yet
  const { r, alpha, a, b } = params;
  return 1 / (1 + (a / (b + x - 1)) * pow((alpha + T) / (alpha + tx), r + x));
}

/**
 * The log-likelihood as a function of the parameters. Customers share few distinct x, t_x and T
 * values (whole days in whole weeks), so the Γ, B and log terms are computed once per distinct
 * value and each evaluation costs little more than a log-sum-exp per repeat customer.
 */
function logLikelihoodOf(data: BgNbdData): (params: BgNbdParams) => number {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.T.length !== n) {
    throw new Error(`BG/NBD: ${n} frequencies, ${data.recency.length} recencies, ${data.T.length} ages`);
  }
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    if (!(x >= 0 && data.recency[i] >= 0 && data.recency[i] <= data.T[i])) {
      throw new Error(`BG/NBD: customer ${i} has x=${x}, t_x=${data.recency[i]}, T=${data.T[i]}`);
    }
  }
  const xs = distinctValues(data.frequency);
  const ts = distinctValues(data.T);
  const txs = distinctValues(data.recency);
  const perX = new Float64Array(xs.values.length);
  const dropTerm = new Float64Array(xs.values.length);
  const logAlphaT = new Float64Array(ts.values.length);
  const logAlphaTx = new Float64Array(txs.values.length);

  return ({ r, alpha, a, b }) => {
    const logAlpha = log(alpha);
    const lgR = lgamma(r);
    const lgB = lgamma(b);
    const lgAB = lgamma(a + b);
    const logA = log(a);
    for (let k = 0; k < xs.values.length; k++) {
      const x = xs.values[k];
      // ln[Γ(r+x) α^r / Γ(r)] + ln[B(a, b+x) / B(a, b)]
      perX[k] = lgamma(r + x) - lgR + r * logAlpha + lgAB + lgamma(b + x) - lgB - lgamma(a + b + x);
      dropTerm[k] = x > 0 ? logA - log(b + x - 1) : -Infinity;
    }
    for (let k = 0; k < ts.values.length; k++) logAlphaT[k] = log(alpha + ts.values[k]);
    for (let k = 0; k < txs.values.length; k++) logAlphaTx[k] = log(alpha + txs.values[k]);

    let total = 0;
    for (let i = 0; i < n; i++) {
      const k = xs.slot[i];
      const x = xs.values[k];
      const alive = -(r + x) * logAlphaT[ts.slot[i]];
      if (x === 0) {
        total += perX[k] + alive;
        continue;
      }
      // Still alive at T, or dropped out right after the last purchase: a log-sum-exp of the two.
      const dropped = dropTerm[k] - (r + x) * logAlphaTx[txs.slot[i]];
      const hi = max(alive, dropped);
      total += perX[k] + hi + log1p(exp(min(alive, dropped) - hi));
    }
    return total;
  };
}

/** The distinct values of a column and, for each row, the index of its value among them. */
function distinctValues(column: ArrayLike<number>): { values: Float64Array; slot: Int32Array } {
  const values: number[] = [];
  const indexOf = new Map<number, number>();
  const slot = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    let k = indexOf.get(column[i]);
    if (k === undefined) indexOf.set(column[i], (k = values.push(column[i]) - 1));
    slot[i] = k;
  }
  return { values: Float64Array.from(values), slot };
}
