import type { CapacityRule } from '../domain/typology';
import { localDate, nextLocalTime } from './local-time';
import type { LedgerChange } from './user-ledger';

/**
 * Units of one capacity pool on one local day handed to deciders: spent on sends or held by a
 * decider process for its next ones (see CapacityAllowance), never more than the pool's limit.
 */
export interface CapacityLedgerState {
  used: number;
}

/** A grant adds 1/AHEAD_SHARE of what is left for the decisions to come, at most MAX_AHEAD: none in a pool with fewer than AHEAD_SHARE units left, so a small pool is spent exactly. */
const AHEAD_SHARE = 256;
const MAX_AHEAD = 64;

/** The ledger key of a rule's pool on the day `now` falls in (in the rule's time zone). */
export function capacityKey(rule: CapacityRule, now: number): string {
  return `cap/${rule.pool ?? rule.channel}/${localDate(rule.timezone, now)}`;
}

/** Start of the rule's next day: where excess is deferred to. */
export function nextCapacityDay(rule: CapacityRule, now: number): number {
  return nextLocalTime(rule.timezone, now, 0);
}

/**
 * Grants a decider the units its waiting decisions need (`demand`), and a few ahead so that its next
 * decisions need no round trip: a share of what is left, so the units processes hold unspent stay a
 * small part of the pool, and none once fewer than AHEAD_SHARE are left (the last units go one by
 * one, to whoever asks). The result is the number granted: 0 when the pool is spent.
 */
export function grantCapacity(current: CapacityLedgerState | undefined, rule: CapacityRule, demand: number): LedgerChange<CapacityLedgerState, number> {
  const used = current?.used ?? 0;
  const left = rule.maxPerDay - used;
  if (left <= 0) return { result: 0 };
  const units = Math.min(left, demand + Math.min(MAX_AHEAD, Math.floor(left / AHEAD_SHARE)));
  return { state: { used: used + units }, result: units };
}

export function releaseCapacity(current: CapacityLedgerState | undefined): LedgerChange<CapacityLedgerState, boolean> {
  if (!current || current.used <= 0) return { result: false };
  return { state: { used: current.used - 1 }, result: true };
}
