import { FeatureContext, FeatureDefinition } from './feature-definition';
import { SummaryWindowDays } from './history-summary';
import { SUBSCRIPTION_CANCEL, SUBSCRIPTION_DEFAULT_PERIOD_DAYS, SUBSCRIPTION_RENEW, SUBSCRIPTION_START } from './subscription-events';
import { DAY_MS } from './time';

/** The behavioural features every model gets; attribute features are added per tenant by the schema. */

const ACTIVITY_TYPES = ['purchase', 'session', 'email_sent', 'email_open', 'email_click'] as const;
const COUNT_WINDOWS: readonly SummaryWindowDays[] = [7, 30, 90, 365];
const GAP_TYPES = ['purchase', 'session'] as const;
const TREND_TYPES = ['purchase', 'session', 'email_open'] as const;
type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** What an event of each type is called in a reason (singular, plural). */
const NOUNS: Record<ActivityType, [string, string]> = {
  purchase: ['purchase', 'purchases'],
  session: ['session', 'sessions'],
  email_sent: ['email received', 'emails received'],
  email_open: ['email opened', 'emails opened'],
  email_click: ['email clicked', 'emails clicked'],
};

function numeric(name: string, description: string, compute: (ctx: FeatureContext) => number, phrase: (v: number) => string): FeatureDefinition {
  return { name, description, kind: 'numeric', compute, phrase };
}

function daysBefore(ctx: FeatureContext, ts: number): number {
  return (ctx.cutoff - ts) / DAY_MS;
}

/** Laplace-smoothed so a user with one send is not rated 0% or 100%. */
function smoothedRate(hits: number, trials: number): number {
  return (hits + 1) / (trials + 2);
}

/** "1 day", "34 days" (whole days, rounded). */
function days(v: number): string {
  const d = Math.round(v);
  return `${d} ${d === 1 ? 'day' : 'days'}`;
}

function count(v: number, [one, many]: [string, string]): string {
  return `${v} ${v === 1 ? one : many}`;
}

/** At most two decimals: 12, 12.5, 0.25. */
function amount(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export const FEATURE_REGISTRY: readonly FeatureDefinition[] = [
  numeric(
    'tenure_days',
    'Days since the profile was created, or since the first event if earlier',
    (c) => {
      const start = Math.min(c.createdAt ?? Infinity, c.events.length > 0 ? c.events[0].ts : Infinity);
      return start === Infinity ? NaN : daysBefore(c, start);
    },
    (v) => (Number.isNaN(v) ? 'no known start date' : `customer for ${days(v)}`),
  ),
  numeric(
    'days_since_last_event',
    'Days since the last event of any type',
    (c) => daysBefore(c, c.summary.lastTs),
    (v) => (Number.isNaN(v) ? 'no activity yet' : `no activity for ${days(v)}`),
  ),
  numeric('event_count', 'Events of any type before the cutoff', (c) => c.events.length, (v) => `${v} ${v === 1 ? 'event' : 'events'} in all`),
  ...ACTIVITY_TYPES.map((type) =>
    numeric(
      `days_since_last_${type}`,
      `Days since the last ${type}`,
      (c) => daysBefore(c, c.summary.type(type).lastTs),
      (v) => (Number.isNaN(v) ? `no ${NOUNS[type][0]} yet` : `no ${NOUNS[type][0]} for ${days(v)}`),
    ),
  ),
  ...ACTIVITY_TYPES.flatMap((type) =>
    COUNT_WINDOWS.map((window) =>
      numeric(
        `${type}_count_${window}d`,
        `Number of ${type} events in the last ${window} days`,
        (c) => c.summary.type(type).countWithin(window),
        (v) => `${count(v, NOUNS[type])} in the last ${window} days`,
      ),
    ),
  ),
  ...COUNT_WINDOWS.map((window) =>
    numeric(
      `purchase_amount_${window}d`,
      `Total purchase amount in the last ${window} days`,
      (c) => c.summary.type('purchase').amountWithin(window),
      (v) => `${amount(v)} spent in the last ${window} days`,
    ),
  ),
  ...GAP_TYPES.flatMap((type) => [
    numeric(
      `${type}_gap_mean_days`,
      `Mean days between consecutive ${type} events`,
      (c) => c.summary.type(type).gapMeanDays,
      (v) => (Number.isNaN(v) ? `fewer than two ${NOUNS[type][1]}` : `${days(v)} between ${NOUNS[type][1]} on average`),
    ),
    numeric(
      `${type}_gap_std_days`,
      `Standard deviation of days between consecutive ${type} events`,
      (c) => c.summary.type(type).gapStdDays,
      (v) => (Number.isNaN(v) ? `too few ${NOUNS[type][1]} to judge their rhythm` : `gaps between ${NOUNS[type][1]} vary by ${days(v)}`),
    ),
  ]),
  numeric(
    'email_open_rate_90d',
    'Opens per send over the last 90 days, (opens + 1) / (sends + 2)',
    (c) => smoothedRate(c.summary.type('email_open').countWithin(90), c.summary.type('email_sent').countWithin(90)),
    (v) => `opens about ${Math.round(v * 100)}% of emails (last 90 days)`,
  ),
  numeric(
    'email_click_rate_90d',
    'Clicks per send over the last 90 days, (clicks + 1) / (sends + 2)',
    (c) => smoothedRate(c.summary.type('email_click').countWithin(90), c.summary.type('email_sent').countWithin(90)),
    (v) => `clicks about ${Math.round(v * 100)}% of emails (last 90 days)`,
  ),
  ...TREND_TYPES.map((type) =>
    numeric(
      `${type}_trend_30d_vs_prev_90d`,
      `${type} count in the last 30 days over the count expected from the 90 days before them, add-one smoothed (1 = steady)`,
      (c) => {
        const s = c.summary.type(type);
        const last30 = s.countWithin(30);
        const previous90 = s.countWithin(120) - last30;
        return (last30 + 1) / (previous90 / 3 + 1);
      },
      (v) => `${NOUNS[type][1]} at ${amount(v)}x their usual pace (last 30 days)`,
    ),
  ),
];

const BILLINGS = [SUBSCRIPTION_START, SUBSCRIPTION_RENEW] as const;

/** Last billing (start or renewal) before the cutoff, NaN without one. */
function lastBilling(c: FeatureContext): number {
  const [start, renew] = BILLINGS.map((t) => c.summary.type(t).lastTs);
  return Number.isNaN(renew) ? start : Number.isNaN(start) ? renew : Math.max(start, renew);
}

/**
 * Features of subscription churn predictions only (subscription_start / _renew / _cancel events, see
 * subscription-events.ts), so the columns of every other model stay as they were.
 */
export const SUBSCRIPTION_FEATURES: readonly FeatureDefinition[] = [
  numeric(
    'days_since_subscription_start',
    'Days since the last subscription start',
    (c) => daysBefore(c, c.summary.type(SUBSCRIPTION_START).lastTs),
    (v) => (Number.isNaN(v) ? 'never subscribed' : `subscribed ${days(v)} ago`),
  ),
  numeric(
    'subscription_renewals',
    'Subscription renewals so far',
    (c) => c.summary.type(SUBSCRIPTION_RENEW).count,
    (v) => `${v} ${v === 1 ? 'renewal' : 'renewals'} so far`,
  ),
  numeric(
    'days_to_next_renewal',
    'Days until the next renewal falls due (last billing plus the mean gap between renewals, else 30 days)',
    (c) => {
      const gap = c.summary.type(SUBSCRIPTION_RENEW).gapMeanDays;
      return (Number.isNaN(gap) ? SUBSCRIPTION_DEFAULT_PERIOD_DAYS : gap) - daysBefore(c, lastBilling(c));
    },
    (v) => (Number.isNaN(v) ? 'no renewal due' : v >= 0 ? `renewal due in ${days(v)}` : `renewal ${days(-v)} overdue`),
  ),
  numeric(
    'subscription_cancels',
    'Subscriptions cancelled before',
    (c) => c.summary.type(SUBSCRIPTION_CANCEL).count,
    (v) => `${v} earlier ${v === 1 ? 'cancellation' : 'cancellations'}`,
  ),
  numeric(
    'subscription_billed_365d',
    'Amount billed for subscriptions in the last 365 days',
    (c) => BILLINGS.reduce((s, t) => s + c.summary.type(t).amountWithin(365), 0),
    (v) => `${amount(v)} billed in the last 365 days`,
  ),
];

/** Every feature a stored schema may name. */
export const ALL_FEATURES: readonly FeatureDefinition[] = [...FEATURE_REGISTRY, ...SUBSCRIPTION_FEATURES];
