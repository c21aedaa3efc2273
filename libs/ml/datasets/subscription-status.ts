import type { HistoryEvent } from '../../domain/event';
import {
  SUBSCRIPTION_CANCEL,
  SUBSCRIPTION_DEFAULT_PERIOD_DAYS,
  SUBSCRIPTION_GRACE_DAYS,
  SUBSCRIPTION_RENEW,
  SUBSCRIPTION_START,
} from '../features/subscription-events';
import { DAY_MS } from '../features/time';

/** A subscription running at a cutoff (see features/subscription-events.ts for the rules). */
export interface SubscriptionStatus {
  /** Last billing (start or renewal) before the cutoff. */
  lastBilledAt: number;
  periodDays: number;
  /** lastBilledAt + period: when the next renewal is due. */
  nextDueAt: number;
}

/**
 * The subscription running at `cutoff` from the events before it (ts-sorted), or null when none is:
 * never subscribed, cancelled, or lapsed (a renewal more than the grace period overdue).
 */
export function subscriptionStatus(before: readonly HistoryEvent[], cutoff: number): SubscriptionStatus | null {
  const billings: number[] = [];
  for (let k = before.length - 1; k >= 0; k--) {
    const e = before[k];
    if (e.type === SUBSCRIPTION_CANCEL) break;
    if (e.type === SUBSCRIPTION_RENEW) billings.push(e.ts);
    if (e.type === SUBSCRIPTION_START) {
      billings.push(e.ts);
      break;
    }
  }
  if (billings.length === 0) return null;
  // billings is newest first; the gaps between consecutive billings give the period.
  const gaps = billings.slice(1).map((t, k) => billings[k] - t).sort((a, b) => a - b);
  const periodDays = gaps.length ? gaps[(gaps.length - 1) >> 1] / DAY_MS : SUBSCRIPTION_DEFAULT_PERIOD_DAYS;
  const lastBilledAt = billings[0];
  const nextDueAt = lastBilledAt + periodDays * DAY_MS;
  if (cutoff >= nextDueAt + SUBSCRIPTION_GRACE_DAYS * DAY_MS) return null;
  return { lastBilledAt, periodDays, nextDueAt };
}

/**
 * Whether a subscription running at the cutoff ends within [cutoff, cutoff + windowDays): a cancel event
 * in the window, or a renewal falling due in the window that does not come within the grace period
 * (so the events up to windowDays + grace after the cutoff must be known).
 */
export function subscriptionEndsWithin(status: SubscriptionStatus, after: readonly HistoryEvent[], cutoff: number, windowDays: number): boolean {
  const end = cutoff + windowDays * DAY_MS;
  const grace = SUBSCRIPTION_GRACE_DAYS * DAY_MS;
  let due = status.nextDueAt;
  for (const e of after) {
    if (due < end && e.ts > due + grace) return true;
    if (e.ts >= end + grace) break;
    if (e.type === SUBSCRIPTION_CANCEL && e.ts < end) return true;
    if (e.type === SUBSCRIPTION_RENEW || e.type === SUBSCRIPTION_START) due = e.ts + status.periodDays * DAY_MS;
  }
  return due < end;
}
