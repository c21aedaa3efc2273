import * as fs from 'fs';
import type { HistoryEvent } from '../../domain/event';
import { sharedDataPath } from '../datasets/shared-data';
import { DAY_MS, RfmColumns, WEEK_MS, rfmSummary } from './rfm-summary';

/**
 * The CDNOW sample (Fader, Hardie & Lee 2005) under the paper's conventions: one purchase per
 * customer-day (amounts summed), weeks as the time unit, calibration 1997-01-01 … 1997-09-30
 * (39 weeks), holdout 1997-10-01 … 1998-06-30 (weeks 40–78).
 */

/** Days are numbered from 1997-01-01 = day 0. */
const DAY_ZERO = Date.UTC(1997, 0, 1);
/** 1997-09-30, the last calibration day. */
export const CDNOW_CALIBRATION_END_DAY = 272;
/** 1998-06-30, the last holdout day. */
export const CDNOW_HOLDOUT_END_DAY = 545;
export const CDNOW_HOLDOUT_WEEKS = (CDNOW_HOLDOUT_END_DAY - CDNOW_CALIBRATION_END_DAY) / 7;

/** One customer's purchases, one per purchase day, ascending. */
export interface CdnowPurchases {
  days: Int32Array;
  /** Dollars spent that day. */
  amounts: Float64Array;
  /** CDs bought that day. */
  cds: Int32Array;
}

/** Per-customer calibration summary in weeks (index-aligned columns) and the raw purchases. */
export interface CdnowCohort extends RfmColumns {
  /** Sample customer id, 1–2357, ascending. */
  id: Int32Array;
  /** Purchase days in the holdout weeks 40–78. */
  holdoutPurchases: Int32Array;
  /** Every purchase of each customer, calibration and holdout. */
  purchases: CdnowPurchases[];
}

export function loadCdnow(file = sharedDataPath('cdnow', 'CDNOW_sample.txt')): CdnowCohort {
  return parseCdnow(fs.readFileSync(file, 'ascii'));
}

/** Parses CDNOW_sample.txt: space-separated master id, sample id, YYYYMMDD, CDs, dollars; no header. */
export function parseCdnow(text: string): CdnowCohort {
  const byCustomer = new Map<number, Map<number, { amount: number; cds: number }>>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cols = line.split(/\s+/);
    if (cols.length !== 5) throw new Error(`CDNOW line ${i + 1}: expected 5 columns, got ${cols.length}`);
    const id = Number(cols[1]);
    const day = dayNumber(cols[2], i + 1);
    const cds = Number(cols[3]);
    const amount = Number(cols[4]);
    if (!Number.isInteger(id) || !Number.isInteger(cds) || !Number.isFinite(amount)) {
      throw new Error(`CDNOW line ${i + 1}: cannot read "${line}"`);
    }
    let days = byCustomer.get(id);
    if (!days) byCustomer.set(id, (days = new Map()));
    const sameDay = days.get(day);
    if (sameDay) {
      sameDay.amount += amount;
      sameDay.cds += cds;
    } else {
      days.set(day, { amount, cds });
    }
  }

  const ids = [...byCustomer.keys()].sort((a, b) => a - b);
  const n = ids.length;
  const cohort: CdnowCohort = {
    id: Int32Array.from(ids),
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetary: new Float64Array(n),
    holdoutPurchases: new Int32Array(n),
    purchases: [],
  };
  const cutoff = DAY_ZERO + CDNOW_CALIBRATION_END_DAY * DAY_MS;
  for (let i = 0; i < n; i++) {
    const days = byCustomer.get(ids[i])!;
    const sortedDays = [...days.keys()].sort((a, b) => a - b);
    const purchases: CdnowPurchases = {
      days: Int32Array.from(sortedDays),
      amounts: Float64Array.from(sortedDays, (d) => days.get(d)!.amount),
      cds: Int32Array.from(sortedDays, (d) => days.get(d)!.cds),
    };
    cohort.purchases.push(purchases);
    const calibration = calibrationPurchases(purchases);
    const times = Float64Array.from(calibration.days, (d) => DAY_ZERO + d * DAY_MS);
    const summary = rfmSummary(times, calibration.amounts, cutoff, { unitMs: WEEK_MS });
    if (!summary) throw new Error(`CDNOW customer ${ids[i]}: no purchase in the calibration period`);
    cohort.frequency[i] = summary.frequency;
    cohort.recency[i] = summary.recency;
    cohort.T[i] = summary.T;
    cohort.monetary[i] = summary.monetary;
    cohort.holdoutPurchases[i] = sortedDays.filter(
      (d) => d > CDNOW_CALIBRATION_END_DAY && d <= CDNOW_HOLDOUT_END_DAY,
    ).length;
  }
  return cohort;
}

/** A customer's purchases up to the end of calibration (views, not copies): the data features may use. */
export function calibrationPurchases(purchases: CdnowPurchases): CdnowPurchases {
  let end = 0;
  while (end < purchases.days.length && purchases.days[end] <= CDNOW_CALIBRATION_END_DAY) end++;
  return {
    days: purchases.days.subarray(0, end),
    amounts: purchases.amounts.subarray(0, end),
    cds: purchases.cds.subarray(0, end),
  };
}

function dayNumber(yyyymmdd: string, lineNumber: number): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!m) throw new Error(`CDNOW line ${lineNumber}: bad date "${yyyymmdd}"`);
  return Math.round((Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - DAY_ZERO) / DAY_MS);
}

/** 1998-07-01 00:00 UTC, the end of the holdout: CLV evaluations of the sample run "as of" it. */
export const CDNOW_END = DAY_ZERO + (CDNOW_HOLDOUT_END_DAY + 1) * DAY_MS;

/** Each customer's purchases as purchase events (one per purchase day, at 00:00 UTC), for the CLV model. */
export function cdnowHistories(cohort: CdnowCohort): { userId: string; events: HistoryEvent[] }[] {
  return cohort.purchases.map((p, i) => ({
    userId: String(cohort.id[i]),
    events: Array.from(p.days, (d, k) => ({ type: 'purchase', ts: DAY_ZERO + d * DAY_MS, amount: p.amounts[k] })),
  }));
}
