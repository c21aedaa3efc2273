import { HistoryEvent, UserHistory } from '../../domain/event';
import { PredictionDefinition } from '../../domain/prediction-definition';
import { eventsBefore, eventsFrom } from '../features/cutoff-slices';
import { DAY_MS } from '../features/time';
import { SUBSCRIPTION_GRACE_DAYS } from '../features/subscription-events';
import { subscriptionEndsWithin, subscriptionStatus } from './subscription-status';

/** Longer windows leave too little recent history to train on (Braze applies the same limit). */
export const MAX_WINDOW_DAYS = 60;
/** Engagement and unsubscribe look this long after the next send. */
export const RESPONSE_WINDOW_DAYS = 7;
export const DEFAULT_QUALIFYING_EVENT_TYPES: readonly string[] = ['session', 'purchase'];

export function checkPredictionDefinition(def: PredictionDefinition): void {
  if (!Number.isInteger(def.windowDays) || def.windowDays < 1) {
    throw new Error(`${def.type} prediction: windowDays must be a positive whole number of days, got ${def.windowDays}`);
  }
  if (def.windowDays > MAX_WINDOW_DAYS) {
    throw new Error(`${def.type} prediction: windowDays is ${def.windowDays}, the maximum is ${MAX_WINDOW_DAYS} days`);
  }
  if (def.qualifyingEventTypes !== undefined && def.qualifyingEventTypes.length === 0) {
    throw new Error(`${def.type} prediction: qualifyingEventTypes must not be empty`);
  }
}

/** Days after the cutoff a label needs; train at `now - horizon` so every label is fully observed. */
export function labelHorizonDays(def: PredictionDefinition): number {
  if (def.type === 'engagement' || def.type === 'unsubscribe') return def.windowDays + RESPONSE_WINDOW_DAYS;
  // A renewal due at the end of the window is missed only once its grace period has passed.
  if (def.type === 'subscription_churn') return def.windowDays + SUBSCRIPTION_GRACE_DAYS;
  return def.windowDays;
}

/**
 * Whether a user belongs in the prediction's audience at the cutoff, from the past alone: churn
 * needs a qualifying action in the `windowDays` before it; subscription churn, a running subscription;
 * the others, a profile that exists.
 */
export function isEligibleAt(def: PredictionDefinition, before: readonly HistoryEvent[], cutoff: number, createdAt?: number): boolean {
  if (def.type === 'subscription_churn') return subscriptionStatus(before, cutoff) !== null;
  if (def.type === 'churn') {
    const qualifying = def.qualifyingEventTypes ?? DEFAULT_QUALIFYING_EVENT_TYPES;
    const since = cutoff - def.windowDays * DAY_MS;
    for (let k = before.length - 1; k >= 0 && before[k].ts >= since; k--) {
      if (qualifying.includes(before[k].type)) return true;
    }
    return false;
  }
  return before.length > 0 || (createdAt !== undefined && createdAt < cutoff);
}

/** Whether any event of `types` has ts in [from, to); `after` is ts-sorted. */
function occursBetween(after: readonly HistoryEvent[], types: readonly string[], from: number, to: number): boolean {
  for (const e of after) {
    if (e.ts >= to) return false;
    if (e.ts >= from && types.includes(e.type)) return true;
  }
  return false;
}

/**
 * The outcome, from the events at or after the cutoff only; null when the rule cannot label the
 * user (engagement and unsubscribe need a send within `windowDays` of the cutoff; subscription churn a
 * subscription running at the cutoff, read from `before`, the events before it).
 */
export function outcomeAfter(def: PredictionDefinition, after: readonly HistoryEvent[], cutoff: number, before: readonly HistoryEvent[] = []): 0 | 1 | null {
  const windowEnd = cutoff + def.windowDays * DAY_MS;
  switch (def.type) {
    case 'subscription_churn': {
      const status = subscriptionStatus(before, cutoff);
      return status === null ? null : subscriptionEndsWithin(status, after, cutoff, def.windowDays) ? 1 : 0;
    }
    case 'churn':
      return occursBetween(after, def.qualifyingEventTypes ?? DEFAULT_QUALIFYING_EVENT_TYPES, cutoff, windowEnd) ? 0 : 1;
    case 'purchase':
      return occursBetween(after, [def.purchaseEventType ?? 'purchase'], cutoff, windowEnd) ? 1 : 0;
    case 'engagement':
    case 'unsubscribe': {
      const send = after.find((e) => e.type === 'email_sent');
      if (send === undefined || send.ts >= windowEnd) return null;
      const responses = def.type === 'engagement' ? ['email_open', 'email_click'] : ['unsubscribe'];
      return occursBetween(after, responses, send.ts, send.ts + RESPONSE_WINDOW_DAYS * DAY_MS) ? 1 : 0;
    }
  }
}

export interface PredictionLabels {
  /** Indices into the histories of the labelled users, ascending. */
  eligible: Uint32Array;
  /** labels[k] is the outcome of histories[eligible[k]]. */
  labels: Uint8Array;
}

/** Labels every user who is eligible at the cutoff and whose outcome the rule defines. */
export function predictionLabels(histories: readonly UserHistory[], def: PredictionDefinition, cutoff: number): PredictionLabels {
  checkPredictionDefinition(def);
  const eligible: number[] = [];
  const labels: number[] = [];
  histories.forEach((h, i) => {
    const before = eventsBefore(h.events, cutoff);
    if (!isEligibleAt(def, before, cutoff, h.createdAt)) return;
    const outcome = outcomeAfter(def, eventsFrom(h.events, cutoff), cutoff, before);
    if (outcome === null) return;
    eligible.push(i);
    labels.push(outcome);
  });
  return { eligible: Uint32Array.from(eligible), labels: Uint8Array.from(labels) };
}
