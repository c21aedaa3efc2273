import { z } from 'zod';
import type {
  Channel,
  Decision,
  FatigueRule,
  FilteringRule,
  QuietHoursRule,
  Typology,
  TypologyMessage,
  TypologyUser,
} from '../domain/typology';
import { afterQuietHours, quietHoursApply } from './quiet-hours';

/** What the rules that need stored data were told about this user (loaded by the shell). */
export interface UserFacts {
  /** Excluded segments (of the typology's filtering rules) the user belongs to. */
  segments: ReadonlySet<string>;
  /** Suppression lists (of the typology's filtering rules) that hold the user or their address. */
  suppressionLists: ReadonlySet<string>;
  /** Likelihood score (0-100) per prediction id from its active score set; absent: not scored. */
  scores: ReadonlyMap<string, number>;
}

const emailAddress = z.string().email();
const E164 = /^\+[1-9]\d{6,14}$/;

/** Whether a channel's address is present and well-formed. Webhooks are addressed by the message. */
export function hasValidAddress(user: TypologyUser, channel: Channel): boolean {
  if (channel === 'webhook') return true;
  const address = user.addresses?.[channel]?.trim();
  if (!address) return false;
  if (channel === 'email') return emailAddress.safeParse(address).success;
  if (channel === 'sms') return E164.test(address);
  return address.length <= 4096;
}

type Suppress = Extract<Decision, { outcome: 'suppress' }>;
type Defer = Extract<Decision, { outcome: 'defer' }>;

export function evaluateFiltering(rule: FilteringRule, message: TypologyMessage, user: TypologyUser, facts: UserFacts): Suppress | null {
  const suppress = (reason: string): Suppress => ({ outcome: 'suppress', rule: rule.name, ruleType: 'filtering', reason });
  if (rule.requireValidAddress && !hasValidAddress(user, message.channel)) {
    return suppress(user.addresses?.[message.channel] ? `invalid ${message.channel} address` : `no ${message.channel} address`);
  }
  // Transactional messages go to unsubscribed users and excluded segments (a receipt, a password reset).
  if (message.exempt) return null;
  if (rule.excludeUnsubscribed && user.subscriptions?.[message.channel] === 'unsubscribed') {
    return suppress(`unsubscribed from ${message.channel}`);
  }
  const list = rule.suppressionLists.find((l) => facts.suppressionLists.has(l));
  if (list) return suppress(`on suppression list ${list}`);
  const segment = rule.excludeSegments.find((s) => facts.segments.has(s));
  if (segment) return suppress(`member of excluded segment ${segment}`);
  return null;
}

export function evaluateFatigue(rule: FatigueRule, message: TypologyMessage, facts: UserFacts): Suppress | null {
  if (message.exempt || message.priority >= rule.bypassPriority) return null;
  const score = facts.scores.get(rule.predictionId);
  if (score === undefined) return null;
  const tired = rule.signal === 'unsubscribe_risk' ? score >= rule.threshold : score <= rule.threshold;
  if (!tired) return null;
  const what = rule.signal === 'unsubscribe_risk' ? 'unsubscribe risk' : 'engagement score';
  const side = rule.signal === 'unsubscribe_risk' ? '>=' : '<=';
  return { outcome: 'suppress', rule: rule.name, ruleType: 'fatigue', reason: `${what} ${score} ${side} ${rule.threshold} (prediction ${rule.predictionId})` };
}

export function evaluateQuietHours(rules: readonly QuietHoursRule[], message: TypologyMessage, user: TypologyUser, now: number): Defer | null {
  if (message.exempt) return null;
  const applicable = rules.filter((r) => quietHoursApply(r, message.channel));
  const until = afterQuietHours(applicable, message.channel, user.timezone, now);
  if (until === now) return null;
  // The window that holds `now` names the deferral.
  const rule = applicable.find((r) => afterQuietHours([r], message.channel, user.timezone, now) !== now) ?? applicable[0];
  const zone = user.timezone ?? rule.defaultTimezone;
  return { outcome: 'defer', until, rule: rule.name, ruleType: 'quiet_hours', reason: `quiet hours ${rule.start}-${rule.end} in ${zone}` };
}

/**
 * The rules that need no reservation, in the order that makes the answer most useful: a message
 * that may never go (filtering, fatigue) is suppressed before one that must wait (quiet hours) is
 * deferred. Null: nothing stops the message before the caps.
 */
export function evaluateStaticRules(typology: Typology, message: TypologyMessage, user: TypologyUser, facts: UserFacts, now: number): Decision | null {
  for (const rule of typology.rules) {
    if (rule.type !== 'filtering') continue;
    const verdict = evaluateFiltering(rule, message, user, facts);
    if (verdict) return verdict;
  }
  for (const rule of typology.rules) {
    if (rule.type !== 'fatigue') continue;
    const verdict = evaluateFatigue(rule, message, facts);
    if (verdict) return verdict;
  }
  return evaluateQuietHours(typology.rules.filter((r): r is QuietHoursRule => r.type === 'quiet_hours'), message, user, now);
}
