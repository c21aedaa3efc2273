import type { StoredSendTimeProfile } from '../domain/send-time-profile';
import type { Channel, QuietHoursRule } from '../domain/typology';
import { storedWeekHours } from '../ml/send-time/stored-profile';
import { TimezoneHours } from '../ml/send-time/timezone-hour';
import { HOUR_MS, localTimeOfDay } from './local-time';
import { afterQuietHours, isQuiet, quietHoursApply } from './quiet-hours';

export interface NextBestMomentOptions {
  /** How far ahead to look, in hours (default 24). */
  withinHours?: number;
  quietHours?: readonly QuietHoursRule[];
  channel?: Channel;
}

/**
 * The user's next best moment within W hours after `after`: the start of the local hour (or
 * `after` itself, within the current hour) whose week cell the profile rates highest, skipping
 * quiet hours; the earliest on ties. Without a profile, or when every hour in reach is quiet, it
 * is the first moment the quiet hours allow.
 */
export function nextBestMoment(
  profile: Pick<StoredSendTimeProfile, 'weekHours'> | null,
  timezone: string | undefined,
  after: number,
  options: NextBestMomentOptions = {},
): number {
  const zone = timezone ?? 'UTC';
  const channel = options.channel ?? 'email';
  const quiet = (options.quietHours ?? []).filter((r) => quietHoursApply(r, channel));
  const allowed = (t: number) => !quiet.some((r) => isQuiet(r, timezone, t));
  const firstAllowed = afterQuietHours(quiet, channel, timezone, after);
  if (!profile) return firstAllowed;
  const weights = storedWeekHours(profile);
  const hours = TimezoneHours.of(zone);
  const end = after + (options.withinHours ?? 24) * HOUR_MS;
  let best = -1;
  let bestAt = firstAllowed;
  // Candidates: `after`, each local hour start up to the end, and the moments quiet windows end
  // (an hour may open mid-way, as a window ending at 07:30 does).
  const candidates = [after];
  for (let t = after + HOUR_MS - (localTimeOfDay(zone, after) % HOUR_MS); t < end; t += HOUR_MS - (localTimeOfDay(zone, t) % HOUR_MS)) candidates.push(t);
  for (const c of [...candidates]) {
    const open = afterQuietHours(quiet, channel, timezone, c);
    if (open !== c && open < end) candidates.push(open);
  }
  candidates.sort((a, b) => a - b);
  for (const t of candidates) {
    if (!allowed(t)) continue;
    const w = weights[hours.weekHour(t)];
    if (w > best) [best, bestAt] = [w, t];
  }
  return bestAt;
}
