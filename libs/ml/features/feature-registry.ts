import { FeatureContext, FeatureDefinition } from './feature-definition';
import { SummaryWindowDays } from './history-summary';
import { DAY_MS } from './time';

/** The behavioural features every model gets; attribute features are added per tenant by the schema. */

const ACTIVITY_TYPES = ['purchase', 'session', 'email_sent', 'email_open', 'email_click'] as const;
const COUNT_WINDOWS: readonly SummaryWindowDays[] = [7, 30, 90, 365];
const GAP_TYPES = ['purchase', 'session'] as const;
const TREND_TYPES = ['purchase', 'session', 'email_open'] as const;

function numeric(name: string, description: string, compute: (ctx: FeatureContext) => number): FeatureDefinition {
  return { name, description, kind: 'numeric', compute };
}

function daysBefore(ctx: FeatureContext, ts: number): number {
  return (ctx.cutoff - ts) / DAY_MS;
}

/** Laplace-smoothed so a user with one send is not rated 0% or 100%. */
function smoothedRate(hits: number, trials: number): number {
  return (hits + 1) / (trials + 2);
}

export const FEATURE_REGISTRY: readonly FeatureDefinition[] = [
  numeric('tenure_days', 'Days since the profile was created, or since the first event if earlier', (c) => {
    const start = Math.min(c.createdAt ?? Infinity, c.events.length > 0 ? c.events[0].ts : Infinity);
    return start === Infinity ? NaN : daysBefore(c, start);
  }),
  numeric('days_since_last_event', 'Days since the last event of any type', (c) => daysBefore(c, c.summary.lastTs)),
  numeric('event_count', 'Events of any type before the cutoff', (c) => c.events.length),
  ...ACTIVITY_TYPES.map((type) =>
    numeric(`days_since_last_${type}`, `Days since the last ${type}`, (c) => daysBefore(c, c.summary.type(type).lastTs)),
  ),
  ...ACTIVITY_TYPES.flatMap((type) =>
    COUNT_WINDOWS.map((days) =>
      numeric(`${type}_count_${days}d`, `Number of ${type} events in the last ${days} days`, (c) =>
        c.summary.type(type).countWithin(days),
      ),
    ),
  ),
  ...COUNT_WINDOWS.map((days) =>
    numeric(`purchase_amount_${days}d`, `Total purchase amount in the last ${days} days`, (c) =>
      c.summary.type('purchase').amountWithin(days),
    ),
  ),
  ...GAP_TYPES.flatMap((type) => [
    numeric(`${type}_gap_mean_days`, `Mean days between consecutive ${type} events`, (c) => c.summary.type(type).gapMeanDays),
    numeric(`${type}_gap_std_days`, `Standard deviation of days between consecutive ${type} events`, (c) =>
      c.summary.type(type).gapStdDays,
    ),
  ]),
  numeric('email_open_rate_90d', 'Opens per send over the last 90 days, (opens + 1) / (sends + 2)', (c) =>
    smoothedRate(c.summary.type('email_open').countWithin(90), c.summary.type('email_sent').countWithin(90)),
  ),
  numeric('email_click_rate_90d', 'Clicks per send over the last 90 days, (clicks + 1) / (sends + 2)', (c) =>
    smoothedRate(c.summary.type('email_click').countWithin(90), c.summary.type('email_sent').countWithin(90)),
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
    ),
  ),
];
