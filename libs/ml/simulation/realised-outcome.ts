import { DAY_MS } from './local-calendar';
import { SimulatedUser } from './simulate-user';

/** What actually happened in a window, the labels the ground-truth probabilities predict. */
export interface RealisedOutcome {
  /** No session or purchase in the window. */
  churned: boolean;
  purchased: boolean;
}

/** Outcome in [cutoff, cutoff + windowDays); the window must lie within the simulated time. */
export function realisedOutcome(user: SimulatedUser, windowDays: number, cutoff = user.now): RealisedOutcome {
  const end = cutoff + windowDays * DAY_MS;
  if (!(windowDays > 0) || end > user.horizonEnd)
    throw new RangeError(`simulation: window of ${windowDays} days from ${cutoff} goes past the simulated future (${user.horizonEnd})`);
  let churned = true;
  let purchased = false;
  // History before the cutoff is irrelevant; skip it when the cutoff is now.
  const events = cutoff >= user.now ? user.futureEvents : user.history.events.concat(user.futureEvents);
  for (const e of events) {
    if (e.ts < cutoff) continue;
    if (e.ts >= end) break;
    if (e.type === 'session' || e.type === 'purchase') churned = false;
    if (e.type === 'purchase') purchased = true;
  }
  return { churned, purchased };
}
