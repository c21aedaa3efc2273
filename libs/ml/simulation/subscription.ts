import { HistoryEvent } from '../../domain/event';
import { SplitMix64 } from '../random';
import { LatentPropensities } from './latent-propensities';
import { DAY_MS, LocalCalendar } from './local-calendar';
import { Plan, UserProfile } from './user-profile';

/**
 * Paid subscriptions of the simulated users: users on a paid plan (basic, pro) subscribe at signup
 * (`subscription_start`, amount = the monthly price) and are billed every SUBSCRIPTION_PERIOD_DAYS
 * (`subscription_renew`) until, at some renewal, they cancel instead (`subscription_cancel` at the
 * renewal instant: no renewal follows). At each renewal a user who is still active cancels with a
 * chance that grows with their churn hazard at that tenure; one who has left for good with a fixed,
 * higher chance (some forget to cancel). Each decision is one uniform of the user's own subscription
 * stream, so the chance of cancelling within any window is known exactly (SubscriptionTruth).
 */

export const SUBSCRIPTION_PERIOD_DAYS = 30;
const PRICE: Record<Plan, number> = { free: 0, basic: 9.99, pro: 24.99 };
const CANCEL_BASE = 0.03;
const CANCEL_PER_HAZARD = 0.6;
const CANCEL_WHEN_GONE = 0.5;
/** Offset of the per-user subscription streams (seeded by (seed + offset, user index)). */
export const SUBSCRIPTION_STREAM = 0x5b5c1b3en;

/** Chance to cancel at a renewal at this tenure (whole local days since signup), active or gone. */
function cancelChance(latent: LatentPropensities, tenureDays: number, gone: boolean): number {
  if (gone) return CANCEL_WHEN_GONE;
  return CANCEL_BASE + CANCEL_PER_HAZARD * (1 - Math.pow(1 - latent.churnHazard(tenureDays), SUBSCRIPTION_PERIOD_DAYS));
}

export interface SimulatedSubscription {
  startTs: number;
  /** When the user cancelled, Infinity if not before the end of the simulated time. */
  cancelTs: number;
  monthlyPrice: number;
}

/**
 * The subscription events of one user in [signup, endTs), and the subscription (null for free users).
 * `churnTs` is when the user left for good (Infinity if they did not).
 */
export function simulateSubscription(
  profile: UserProfile,
  latent: LatentPropensities,
  calendar: LocalCalendar,
  churnTs: number,
  endTs: number,
  rng: SplitMix64,
): { events: HistoryEvent[]; subscription: SimulatedSubscription | null } {
  const price = PRICE[profile.plan];
  if (price === 0) return { events: [], subscription: null };
  const start = profile.signupTs;
  const signupDay = calendar.dayOf(start);
  const events: HistoryEvent[] = [{ type: 'subscription_start', ts: start, amount: price }];
  let cancelTs = Infinity;
  for (let k = 1; ; k++) {
    const ts = start + k * SUBSCRIPTION_PERIOD_DAYS * DAY_MS;
    if (ts >= endTs) break;
    if (rng.nextDouble() < cancelChance(latent, calendar.dayOf(ts) - signupDay, churnTs <= ts)) {
      events.push({ type: 'subscription_cancel', ts });
      cancelTs = ts;
      break;
    }
    events.push({ type: 'subscription_renew', ts, amount: price });
  }
  return { events, subscription: { startTs: start, cancelTs, monthlyPrice: price } };
}

/**
 * P(the user cancels within [cutoff, cutoff + windowDays)) given what is true at the cutoff: whether
 * they have left for good, and the deterministic renewal dates and hazard schedule after it. Walks the
 * local days of the window: at each day start an active user may leave; at a renewal the cancel chance
 * depends on which of the two states the user is in. Null when no subscription is active at the cutoff.
 */
export class SubscriptionTruth {
  constructor(
    private readonly subscription: SimulatedSubscription | null,
    private readonly profile: UserProfile,
    private readonly latent: LatentPropensities,
    private readonly churnTs: number,
  ) {}

  /** Whether a subscription is running at the cutoff (started before it, not cancelled before it). */
  activeAt(cutoff: number): boolean {
    const s = this.subscription;
    return s !== null && s.startTs < cutoff && s.cancelTs >= cutoff;
  }

  cancelProbability(windowDays: number, cutoff: number): number | null {
    if (!(windowDays > 0)) throw new RangeError(`windowDays must be positive, got ${windowDays}`);
    const s = this.subscription;
    if (!s || !this.activeAt(cutoff)) return null;
    const period = SUBSCRIPTION_PERIOD_DAYS * DAY_MS;
    const end = cutoff + windowDays * DAY_MS;
    const calendar = LocalCalendar.of(this.profile.timezone);
    const signupDay = calendar.dayOf(this.profile.signupTs);
    let renewal = s.startTs + Math.ceil((cutoff - s.startTs) / period) * period;
    // P(no cancel so far and still active), P(no cancel so far and gone).
    let active = cutoff >= this.churnTs ? 0 : 1;
    let gone = 1 - active;
    for (let day = calendar.dayOf(cutoff); calendar.dayStart(day) < end; day++) {
      const dayStart = calendar.dayStart(day);
      // The day-start departure (the generator's churn clock) happens before anything later that day.
      if (dayStart > cutoff && day > signupDay) {
        const h = this.latent.churnHazard(day - signupDay);
        gone += active * h;
        active *= 1 - h;
      }
      const next = calendar.dayStart(day + 1);
      for (; renewal < Math.min(next, end); renewal += period) {
        const tenure = day - signupDay;
        active *= 1 - cancelChance(this.latent, tenure, false);
        gone *= 1 - cancelChance(this.latent, tenure, true);
      }
    }
    return 1 - active - gone;
  }
}
