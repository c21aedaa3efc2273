import type { HistoryEvent } from '../../domain/event';

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/**
 * A customer's purchases reduced to what BG/NBD and Gamma-Gamma need, in the model's time unit.
 * Only customers with a first purchase have one: the models describe what happens after it.
 */
export interface RfmSummary {
  /** Repeat purchases: purchase periods after the first one. */
  frequency: number;
  /** Time from the first to the last purchase. */
  recency: number;
  /** Time from the first purchase to the cutoff. */
  T: number;
  /** Mean amount of the repeat purchases, 0 without any (the Gamma-Gamma input, as in lifetimes). */
  monetary: number;
}

/** Many customers' summaries as columns, index-aligned. */
export interface RfmColumns {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetary: Float64Array;
}

export interface RfmOptions {
  /** Length of the model's time unit in ms, e.g. WEEK_MS. */
  unitMs: number;
  /**
   * Purchases in one period of this length are one purchase with the amounts summed, and times are
   * measured between period starts (default: a day, the BG/NBD convention).
   */
  periodMs?: number;
  /** Where periods start relative to the epoch, e.g. a UTC offset so that days are local days. */
  offsetMs?: number;
}

/**
 * Summarises the purchases at or before `cutoff` (epoch ms). `times` must be ascending, amounts
 * aligned with them. Returns null when there is no purchase by the cutoff.
 */
export function rfmSummary(
  times: ArrayLike<number>,
  amounts: ArrayLike<number>,
  cutoff: number,
  options: RfmOptions,
): RfmSummary | null {
  if (amounts.length !== times.length) {
    throw new Error(`rfmSummary: ${times.length} times but ${amounts.length} amounts`);
  }
  const periodMs = options.periodMs ?? DAY_MS;
  const offsetMs = options.offsetMs ?? 0;
  const periodOf = (ts: number): number => Math.floor((ts + offsetMs) / periodMs);

  let first = NaN;
  let current = NaN;
  let repeats = 0;
  let repeatSpend = 0;
  for (let i = 0; i < times.length && times[i] <= cutoff; i++) {
    if (i > 0 && times[i] < times[i - 1]) throw new Error(`rfmSummary: times are not ascending at index ${i}`);
    const period = periodOf(times[i]);
    if (Number.isNaN(first)) first = period;
    else if (period !== current) repeats++;
    if (period !== first) repeatSpend += amounts[i];
    current = period;
  }
  if (Number.isNaN(first)) return null;
  const unitsPerPeriod = periodMs / options.unitMs;
  return {
    frequency: repeats,
    recency: (current - first) * unitsPerPeriod,
    T: (periodOf(cutoff) - first) * unitsPerPeriod,
    monetary: repeats > 0 ? repeatSpend / repeats : 0,
  };
}

/** rfmSummary over the events of one type (default `purchase`) in a user's time-ordered history. */
export function rfmSummaryOfEvents(
  events: readonly HistoryEvent[],
  cutoff: number,
  options: RfmOptions,
  type = 'purchase',
): RfmSummary | null {
  const times: number[] = [];
  const amounts: number[] = [];
  for (const e of events) {
    if (e.type !== type) continue;
    times.push(e.ts);
    amounts.push(e.amount ?? 0);
  }
  return rfmSummary(times, amounts, cutoff, options);
}
