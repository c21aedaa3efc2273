import type { CapacityRule } from '../domain/typology';
import { localDate, nextLocalTime } from './local-time';
import type { LedgerChange } from './user-ledger';

/** Messages counted against one capacity pool on one local day. */
export interface CapacityLedgerState {
  used: number;
}

/** The ledger key of a rule's pool on the day `now` falls in (in the rule's time zone). */
export function capacityKey(rule: CapacityRule, now: number): string {
  return `cap/${rule.pool ?? rule.channel}/${localDate(rule.timezone, now)}`;
}

/** Start of the rule's next day: where excess is deferred to. */
export function nextCapacityDay(rule: CapacityRule, now: number): number {
  return nextLocalTime(rule.timezone, now, 0);
}

export function reserveCapacity(current: CapacityLedgerState | undefined, rule: CapacityRule): LedgerChange<CapacityLedgerState, boolean> {
  const used = current?.used ?? 0;
  if (used + 1 > rule.maxPerDay) return { result: false };
  return { state: { used: used + 1 }, result: true };
}

export function releaseCapacity(current: CapacityLedgerState | undefined): LedgerChange<CapacityLedgerState, boolean> {
  if (!current || current.used <= 0) return { result: false };
  return { state: { used: current.used - 1 }, result: true };
}
