import type { UserHistory } from '../../domain/event';
import type { StoredSendTimeProfile } from '../../domain/send-time-profile';
import type { SendTimePrior } from './population-prior';
import { sendTimeProfile } from './send-time-profile';
import { WEEK_HOURS } from './timezone-hour';
import { DEFAULT_ENGAGEMENT_WEIGHTS, weekHourCounts } from './week-hour-counts';

/**
 * Turns one user's engagement events into the profile stored on the user: the posterior week
 * profile under the population prior (fitted once per run with fitSendTimePrior), so users with
 * few events lean on the population and weekdays differ only where the events say so.
 */
export function storedSendTimeProfile(
  prior: SendTimePrior,
  user: Pick<UserHistory, 'timezone' | 'events'>,
  computedAt: number,
  engagementWeights: Readonly<Record<string, number>> = DEFAULT_ENGAGEMENT_WEIGHTS,
): StoredSendTimeProfile {
  const profile = sendTimeProfile(prior, weekHourCounts(user, engagementWeights));
  let max = 0;
  for (let c = 0; c < WEEK_HOURS; c++) max = Math.max(max, profile.distribution[c]);
  const bytes = Buffer.alloc(WEEK_HOURS);
  for (let c = 0; c < WEEK_HOURS; c++) bytes[c] = max > 0 ? Math.round((255 * profile.distribution[c]) / max) : 0;
  return {
    weekHours: bytes.toString('base64'),
    bestHour: profile.bestHour,
    bestHourByWeekday: Array.from(profile.bestHourByWeekday),
    confidence: Math.round(profile.confidence * 1000) / 1000,
    events: profile.events,
    computedAt,
  };
}

/** The 168 week-cell weights (0-255) of a stored profile. */
export function storedWeekHours(profile: Pick<StoredSendTimeProfile, 'weekHours'>): Uint8Array {
  const bytes = Buffer.from(profile.weekHours, 'base64');
  if (bytes.length !== WEEK_HOURS) throw new RangeError(`send-time profile: ${bytes.length} week cells, expected ${WEEK_HOURS}`);
  return new Uint8Array(bytes);
}
