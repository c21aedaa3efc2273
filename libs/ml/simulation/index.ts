/**
 * Synthetic population with ground truth, for the demo, integration tests and benchmarks.
 *
 *   generateUsers({ seed, users, now, historyDays = 365, futureDays = 60 }, { from, to }?)
 *     streams SimulatedUser one at a time; user i depends only on (seed, i) (SplitMix64-seeded), so any
 *     slice equals the same users generated as part of the whole. simulatePopulation(config) = array.
 *   SimulatedUser: history (UserHistory, events < now), futureEvents (now <= ts < now + futureDays),
 *     email, profile (observable attributes plus habits), latent propensities, churnedAt,
 *     truth.churnProbability(days, cutoff = now) / truth.purchaseProbability(days, cutoff = now).
 *   simulateUser(config, i): user i alone. realisedOutcome(user, days, cutoff = now): the labels the
 *     truth predicts.
 *   Opt-in extras, each from a random stream of its own (every other field stays what the seed gave):
 *     config.products: purchases carry properties.productId / category from a catalogue with known
 *       tastes (user.products.probabilities() is the true next-purchase distribution);
 *     config.subscriptions: paid-plan users' subscription_start / _renew / _cancel events, and
 *       user.subscriptionTruth.cancelProbability(days, cutoff).
 *
 * The process, per user (all rates per local day of the user's time zone, constant within a day):
 * - attributes: plan, country (from the time zone), acquisition channel, age band; signup uniform over
 *   the history; a preferred local hour and preferred weekdays; a campaign pressure (emails a week).
 * - latent: engagement, purchase rate and churn hazard, log-linear in the attributes plus hidden noise;
 *   a per-user drift of activity with tenure (fading users also grow likelier to leave); a honeymoon of
 *   extra sessions and early churn risk in the first weeks.
 * - activity: sessions and purchases are Poisson per day, spread over the day by the user's rhythm around
 *   the preferred hour; purchase amounts lognormal. At the start of each day after signup the user leaves
 *   for good with the day's hazard; after that they make no events (emails keep being sent).
 * - email: campaigns on fixed weekdays at 10:00 local; opens (likelier for engaged users and when 10:00
 *   is near their hour) mostly land around the preferred hour, clicks follow opens; unsubscribing is rare,
 *   likelier for low engagement and high pressure, and stops the sends. Emails never feed back into
 *   activity, so the truth below stays exact.
 * - truth: churn = no session or purchase in [cutoff, cutoff + days). Given the latent state at the cutoff
 *   (gone or not, and the deterministic rate schedule), P(churn) and P(purchase) are computed exactly by
 *   walking the window's days (see ground-truth.ts), never from the sampled future.
 */
export { generateUsers, simulatePopulation } from './generate-users';
export { GroundTruth } from './ground-truth';
export { LatentPropensities } from './latent-propensities';
export { realisedOutcome } from './realised-outcome';
export type { RealisedOutcome } from './realised-outcome';
export { simulateUser } from './simulate-user';
export type { SimulatedUser } from './simulate-user';
export { DEFAULT_FUTURE_DAYS, DEFAULT_HISTORY_DAYS } from './simulation-config';
export type { SimulationConfig } from './simulation-config';
export { SIMULATED_TIMEZONES } from './user-profile';
export { ProductCatalogue, ProductTaste, TASTE_DIMENSIONS } from './product-catalogue';
export type { CatalogueConfig } from './product-catalogue';
export { SUBSCRIPTION_PERIOD_DAYS, SubscriptionTruth } from './subscription';
export type { SimulatedSubscription } from './subscription';
export type { AcquisitionChannel, AgeBand, Plan, UserProfile } from './user-profile';
