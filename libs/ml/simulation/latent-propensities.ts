import { SplitMix64 } from '../random';
import { normal } from './sampling';
import { AcquisitionChannel, AgeBand, Plan, UserProfile } from './user-profile';

// Effects on log engagement, log purchase rate and log churn hazard. Attributes explain part of each;
// per-user noise the model never sees explains the rest, so propensities are learnable but not perfectly.
const ENGAGEMENT_BY_PLAN: Record<Plan, number> = { free: 0, basic: 0.15, pro: 0.35 };
const ENGAGEMENT_BY_CHANNEL: Record<AcquisitionChannel, number> = {
  organic: 0.1,
  paid_search: 0,
  social: -0.25,
  referral: 0.25,
  affiliate: -0.1,
};
const ENGAGEMENT_BY_AGE: Record<AgeBand, number> = { '18-24': -0.1, '25-34': 0.05, '35-44': 0.05, '45-54': 0, '55+': -0.1 };
const PURCHASE_BY_PLAN: Record<Plan, number> = { free: 0, basic: 0.3, pro: 0.6 };
const PURCHASE_BY_COUNTRY: Record<string, number> = { US: 0.15, GB: 0.1, AU: 0.1, DE: 0.05, JP: 0.05, IN: -0.35, BR: -0.2, MX: -0.2 };
const CHURN_BY_PLAN: Record<Plan, number> = { free: 0.2, basic: 0, pro: -0.3 };
const CHURN_BY_CHANNEL: Record<AcquisitionChannel, number> = {
  organic: 0,
  paid_search: 0.1,
  social: 0.25,
  referral: -0.2,
  affiliate: 0.15,
};
const AMOUNT_BY_PLAN: Record<Plan, number> = { free: 25, basic: 45, pro: 80 };
const AMOUNT_BY_COUNTRY: Record<string, number> = { IN: 0.5, BR: 0.6, MX: 0.6 };

const SESSIONS_PER_DAY = 0.15;
const PURCHASES_PER_DAY = 0.008;
const CHURN_HAZARD_PER_DAY = 0.005;
// New users explore (extra sessions) and leave more readily, both fading over their first weeks.
const HONEYMOON_BOOST = 1.5;
const HONEYMOON_DAYS = 10;
const EARLY_CHURN_BOOST = 1;
const EARLY_CHURN_DAYS = 21;
// Long-run drift of activity; fading users also become likelier to leave, which makes trends predictive.
const TREND_MEAN_PER_DAY = -0.003;
const TREND_SD_PER_DAY = 0.003;
const TREND_LOG_MIN = -3;
const TREND_LOG_MAX = 0.7;
const CHURN_PER_LOG_TREND = -1;
const MAX_DAILY_HAZARD = 0.5;
const PREFERRED_WEEKDAY_WEIGHT = 1.6;
const OTHER_WEEKDAY_WEIGHT = 0.5;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * A user's hidden propensities and how they evolve with tenure. Rates are per local day and constant
 * within one, and the churn hazard is the chance to leave at the start of a day: the generator samples
 * from exactly these numbers and the ground truth integrates them, which is what makes the truth exact.
 */
export class LatentPropensities {
  static draw(profile: UserProfile, rng: SplitMix64): LatentPropensities {
    const logEngagement =
      ENGAGEMENT_BY_PLAN[profile.plan] + ENGAGEMENT_BY_CHANNEL[profile.channel] + ENGAGEMENT_BY_AGE[profile.ageBand] + 0.85 * normal(rng);
    const logPurchase =
      PURCHASE_BY_PLAN[profile.plan] + (PURCHASE_BY_COUNTRY[profile.country] ?? 0) + 0.5 * logEngagement + 0.5 * normal(rng);
    const logChurn = CHURN_BY_PLAN[profile.plan] + CHURN_BY_CHANNEL[profile.channel] - 0.4 * logEngagement + 0.25 * normal(rng);
    const weekdayWeights = new Float64Array(7).fill(OTHER_WEEKDAY_WEIGHT);
    for (const d of profile.preferredWeekdays) weekdayWeights[d] = PREFERRED_WEEKDAY_WEIGHT;
    const weekdayMean = weekdayWeights.reduce((a, b) => a + b, 0) / 7;
    return new LatentPropensities({
      engagement: Math.exp(logEngagement),
      sessionsPerDay: SESSIONS_PER_DAY * Math.exp(logEngagement),
      purchasesPerDay: PURCHASES_PER_DAY * Math.exp(logPurchase),
      churnHazardPerDay: CHURN_HAZARD_PER_DAY * Math.exp(logChurn),
      trendPerDay: TREND_MEAN_PER_DAY + TREND_SD_PER_DAY * normal(rng),
      openPropensity: sigmoid(-1.2 + 0.9 * logEngagement + 0.5 * normal(rng)),
      clickPropensity: sigmoid(-1.8 + 0.5 * logEngagement + 0.4 * normal(rng)),
      // Low engagement makes each email more of a nuisance.
      unsubscribePropensity: Math.min(0.05, 0.0008 * Math.exp(-0.8 * logEngagement)),
      medianAmount: AMOUNT_BY_PLAN[profile.plan] * (AMOUNT_BY_COUNTRY[profile.country] ?? 1) * Math.exp(0.25 * normal(rng)),
      weekdayWeights: weekdayWeights.map((w) => w / weekdayMean),
    });
  }

  /** Overall activity multiplier (median about 1); sessions and email responsiveness scale with it. */
  readonly engagement: number;
  /** Base session rate per day, before weekday, honeymoon and trend. */
  readonly sessionsPerDay: number;
  /** Base purchase rate per day, before trend. */
  readonly purchasesPerDay: number;
  /** Base daily churn probability, before the early-tenure boost and trend. */
  readonly churnHazardPerDay: number;
  /** Drift of log activity per day of tenure. */
  readonly trendPerDay: number;
  /** Chance to open an email sent at the preferred hour. */
  readonly openPropensity: number;
  /** Chance to click an opened email. */
  readonly clickPropensity: number;
  /** Chance to unsubscribe per email at a pressure of 2 a week. */
  readonly unsubscribePropensity: number;
  /** Median purchase amount (amounts are lognormal around it). */
  readonly medianAmount: number;
  private readonly weekdayWeights: Float64Array;

  private constructor(fields: Omit<LatentPropensities, 'sessionRate' | 'purchaseRate' | 'churnHazard'> & { weekdayWeights: Float64Array }) {
    this.engagement = fields.engagement;
    this.sessionsPerDay = fields.sessionsPerDay;
    this.purchasesPerDay = fields.purchasesPerDay;
    this.churnHazardPerDay = fields.churnHazardPerDay;
    this.trendPerDay = fields.trendPerDay;
    this.openPropensity = fields.openPropensity;
    this.clickPropensity = fields.clickPropensity;
    this.unsubscribePropensity = fields.unsubscribePropensity;
    this.medianAmount = fields.medianAmount;
    this.weekdayWeights = fields.weekdayWeights;
  }

  /** Expected sessions on a local day at this tenure (whole days since the signup day) and weekday. */
  sessionRate(tenureDays: number, weekday: number): number {
    const honeymoon = 1 + HONEYMOON_BOOST * Math.exp(-tenureDays / HONEYMOON_DAYS);
    return this.sessionsPerDay * this.weekdayWeights[weekday] * honeymoon * Math.exp(this.logTrend(tenureDays));
  }

  /** Expected purchases on a local day at this tenure. */
  purchaseRate(tenureDays: number): number {
    return this.purchasesPerDay * Math.exp(this.logTrend(tenureDays));
  }

  /** Chance that a user still active leaves for good at the start of the local day at this tenure. */
  churnHazard(tenureDays: number): number {
    const early = 1 + EARLY_CHURN_BOOST * Math.exp(-tenureDays / EARLY_CHURN_DAYS);
    return Math.min(MAX_DAILY_HAZARD, this.churnHazardPerDay * early * Math.exp(CHURN_PER_LOG_TREND * this.logTrend(tenureDays)));
  }

  private logTrend(tenureDays: number): number {
    return Math.min(TREND_LOG_MAX, Math.max(TREND_LOG_MIN, this.trendPerDay * tenureDays));
  }
}
