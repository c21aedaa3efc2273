import type { Channel, QuietHoursRule } from '../domain/typology';
import { localTimeOfDay, nextLocalTime, timeOfDayMs } from './local-time';

export function quietHoursApply(rule: QuietHoursRule, channel: Channel): boolean {
  return !rule.channels || rule.channels.includes(channel);
}

/** Whether local time `ts` falls inside the window [start, end), which may wrap midnight. */
export function isQuiet(rule: QuietHoursRule, timezone: string | undefined, ts: number): boolean {
  const start = timeOfDayMs(rule.start);
  const end = timeOfDayMs(rule.end);
  const t = localTimeOfDay(timezone ?? rule.defaultTimezone, ts);
  return start < end ? t >= start && t < end : t >= start || t < end;
}

/**
 * When the quiet window that `ts` falls in ends, in the user's time zone (the rule's default zone
 * without one), or null when `ts` is not quiet. Never drops: the message waits for the end.
 */
export function quietHoursEnd(rule: QuietHoursRule, timezone: string | undefined, ts: number): number | null {
  if (!isQuiet(rule, timezone, ts)) return null;
  return nextLocalTime(timezone ?? rule.defaultTimezone, ts, timeOfDayMs(rule.end));
}

/** The first moment at or after `ts` outside every applicable quiet window (rules may overlap). */
export function afterQuietHours(rules: readonly QuietHoursRule[], channel: Channel, timezone: string | undefined, ts: number): number {
  let t = ts;
  // Each pass moves past one window; overlapping windows chain, and a loop guard keeps a
  // pathological set (windows covering the whole day) from spinning.
  for (let pass = 0; pass <= rules.length; pass++) {
    let moved = false;
    for (const rule of rules) {
      if (!quietHoursApply(rule, channel)) continue;
      const end = quietHoursEnd(rule, timezone, t);
      if (end !== null) {
        t = end;
        moved = true;
      }
    }
    if (!moved) return t;
  }
  return t;
}
