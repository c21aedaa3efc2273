import { HistoryEvent, UserHistory } from '../../domain/event';
import { SplitMix64 } from '../random';
import { DailyRhythm } from './daily-rhythm';
import { campaignEmails } from './email-campaign';
import { GroundTruth } from './ground-truth';
import { LatentPropensities } from './latent-propensities';
import { DAY_MS, LocalCalendar } from './local-calendar';
import { PRODUCT_STREAM, ProductCatalogue, ProductTaste } from './product-catalogue';
import { bernoulli, exponential, normal, poisson } from './sampling';
import { SimulationConfig, resolveSimulationConfig } from './simulation-config';
import { SUBSCRIPTION_STREAM, SubscriptionTruth, simulateSubscription } from './subscription';
import { UserProfile, drawUserProfile } from './user-profile';

const AMOUNT_LOG_SD = 0.55;

/** One simulated user: what the product would store, what happens next, and what is really going on. */
export interface SimulatedUser {
  index: number;
  email: string;
  /** Profile and the events strictly before `now` (userId `u000001` for index 0). */
  history: UserHistory;
  /** Events in [now, horizonEnd), sorted by ts. */
  futureEvents: HistoryEvent[];
  now: number;
  /** End of the sampled future: now + futureDays. */
  horizonEnd: number;
  profile: UserProfile;
  latent: LatentPropensities;
  /** Start of the local day on which the user left for good, null if still active at horizonEnd. */
  churnedAt: number | null;
  truth: GroundTruth;
  /** With config.products: the user's taste, whose probabilities() rank products by what they buy next. */
  products: ProductTaste | null;
  /** With config.subscriptions: P(cancel within a window) of a running subscription (null without one). */
  subscriptionTruth: SubscriptionTruth | null;
}

/** Users are numbered from 1 in ids and emails; the width keeps lexicographic order numeric. */
function idWidth(users: number): number {
  return Math.max(6, String(users).length);
}

/** User `index` of the population described by `config`. */
export function simulateUser(options: SimulationConfig, index: number): SimulatedUser {
  const config = resolveSimulationConfig(options);
  if (!Number.isSafeInteger(index) || index < 0 || index >= config.users)
    throw new RangeError(`simulation: user index ${index} outside [0, ${config.users})`);
  const { now } = config;
  // Each user has its own stream, seeded by a SplitMix64 hash of (seed, index): any slice is reproducible alone.
  const rng = new SplitMix64(new SplitMix64(config.seed, index).nextBigUint64());
  const profile = drawUserProfile(rng, now, config.historyDays);
  const latent = LatentPropensities.draw(profile, rng);
  const calendar = LocalCalendar.of(profile.timezone);
  const rhythm = DailyRhythm.around(profile.preferredHour);
  const horizonEnd = now + config.futureDays * DAY_MS;

  const events: HistoryEvent[] = [];
  let churnTs = Infinity;
  const signupDay = calendar.dayOf(profile.signupTs);
  const lastDay = calendar.dayOf(horizonEnd - 1);
  // Whole days are sampled and clipped to [signup, horizonEnd): a clipped Poisson process is still one.
  const inRange = (ts: number): boolean => ts >= profile.signupTs && ts < horizonEnd;
  // Leaving at the start of day k with probability q_k is the first day at which the cumulative
  // -log(1 - q_k) passes one exponential draw: the same law as a coin each day, with one draw in all.
  let churnClock = exponential(rng, 1);
  for (let day = signupDay; day <= lastDay; day++) {
    const tenure = day - signupDay;
    const start = calendar.dayStart(day);
    if (tenure > 0 && (churnClock += Math.log1p(-latent.churnHazard(tenure))) <= 0) {
      churnTs = start;
      break;
    }
    const length = calendar.dayStart(day + 1) - start;
    // One Poisson draw for all activity, each event then a purchase with its share of the rate: the same
    // two independent Poisson processes, at half the cost on the many quiet days.
    const purchaseRate = latent.purchaseRate(tenure);
    const activityRate = latent.sessionRate(tenure, LocalCalendar.weekday(day)) + purchaseRate;
    for (let n = poisson(rng, activityRate); n > 0; n--) {
      const ts = Math.floor(start + rhythm.fractionAt(rng.nextDouble()) * length);
      if (bernoulli(rng, purchaseRate / activityRate)) {
        const amount = Math.max(0.01, Math.round(latent.medianAmount * Math.exp(AMOUNT_LOG_SD * normal(rng)) * 100) / 100);
        if (inRange(ts)) events.push({ type: 'purchase', ts, amount });
      } else if (inRange(ts)) events.push({ type: 'session', ts });
    }
  }
  for (const e of campaignEmails(profile, latent, calendar, churnTs, horizonEnd, rng)) if (e.ts < horizonEnd) events.push(e);
  // Products and subscriptions draw from streams of their own, after everything above: the events and
  // fields without them stay exactly what the seed always gave.
  let subscriptionTruth: SubscriptionTruth | null = null;
  if (config.subscriptions) {
    const own = new SplitMix64(new SplitMix64(BigInt(config.seed) + SUBSCRIPTION_STREAM, index).nextBigUint64());
    const { events: billing, subscription } = simulateSubscription(profile, latent, calendar, churnTs, horizonEnd, own);
    events.push(...billing);
    subscriptionTruth = new SubscriptionTruth(subscription, profile, latent, churnTs);
  }
  events.sort((a, b) => a.ts - b.ts);
  let products: ProductTaste | null = null;
  if (config.products) {
    const catalogue = ProductCatalogue.of(config.seed, config.products);
    const own = new SplitMix64(new SplitMix64(BigInt(config.seed) + PRODUCT_STREAM, index).nextBigUint64());
    products = catalogue.drawTaste(own);
    for (const e of events) {
      if (e.type !== 'purchase') continue;
      const j = products.draw(own);
      e.properties = { productId: catalogue.productId(j), category: catalogue.categoryName(catalogue.categoryOf[j]) };
    }
  }

  let split = 0;
  while (split < events.length && events[split].ts < now) split++;
  const futureEvents = events.splice(split);
  const number = String(index + 1).padStart(idWidth(config.users), '0');
  return {
    index,
    email: `user${number}@example.test`,
    history: {
      userId: `u${number}`,
      timezone: profile.timezone,
      createdAt: profile.signupTs,
      attributes: { plan: profile.plan, country: profile.country, channel: profile.channel, ageBand: profile.ageBand },
      events,
    },
    futureEvents,
    now,
    horizonEnd,
    profile,
    latent,
    churnedAt: churnTs === Infinity ? null : churnTs,
    truth: new GroundTruth(profile, latent, churnTs, now),
    products,
    subscriptionTruth,
  };
}
