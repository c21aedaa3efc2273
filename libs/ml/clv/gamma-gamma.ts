import { nelderMead } from '../math/nelder-mead';
import { lgamma } from '../math/special-functions';

// Module-local aliases: inside a vm sandbox (jest) each `Math.x` is a slow global lookup.
const { exp, log } = Math;

/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; as in lifetimes): each
 * transaction's value is Gamma(p, ν) with the customer's ν ~ Gamma(q, v), independent of how often
 * they buy. Fitted on repeat customers, with x repeat transactions of mean value m.
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** Customers the fit used: x > 0 and m > 0. */
  customers: number;
}

/** Log-likelihood of the repeat customers' mean spends; others (x = 0 or m = 0) carry no information. */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  frequency: ArrayLike<number>,
  monetary: ArrayLike<number>,
): number {
  const { p, q, v } = params;
  const lgQ = lgamma(q);
  const qLogV = q * log(v);
  let total = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    const m = monetary[i];
    if (!(x > 0 && m > 0)) continue;
    const px = p * x;
    total +=
      lgamma(px + q) - lgamma(px) - lgQ + qLogV + (px - 1) * log(m) + px * log(x) -
      (px + q) * log(x * m + v);
  }
  return total;
}

/** Maximum-likelihood fit by Nelder–Mead on the log-parameters from p = q = v = 1. */
export function fitGammaGamma(frequency: ArrayLike<number>, monetary: ArrayLike<number>): GammaGammaFit {
  if (monetary.length !== frequency.length) {
    throw new Error(`Gamma-Gamma: ${frequency.length} frequencies but ${monetary.length} spends`);
  }
  // Only the repeat customers enter the likelihood: copy them once rather than skip them per evaluation.
  const xs: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < frequency.length; i++) {
    if (frequency[i] > 0 && monetary[i] > 0) {
      xs.push(frequency[i]);
      ms.push(monetary[i]);
    }
  }
  if (xs.length === 0) throw new Error('Gamma-Gamma: no customer with repeat purchases and positive spend');
  const x = Float64Array.from(xs);
  const m = Float64Array.from(ms);
  const fromLog = (z: ArrayLike<number>): GammaGammaParams => ({ p: exp(z[0]), q: exp(z[1]), v: exp(z[2]) });
  const best = nelderMead((z) => -gammaGammaLogLikelihood(fromLog(z), x, m), [0, 0, 0], { step: 0.5 });
  return { params: fromLog(best.x), logLikelihood: -best.value, customers: x.length };
}

/**
 * Expected mean transaction value of a customer with x repeat transactions of mean m: a weighted
 * average of their own mean and the population mean p·v/(q−1), so x = 0 gives the population mean.
 */
export function gammaGammaConditionalExpectedSpend(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, v } = params;
  if (q <= 1) throw new Error(`Gamma-Gamma: expected spend needs q > 1, got q=${q}`);
  return (p * (v + x * m)) / (p * x + q - 1);
}
