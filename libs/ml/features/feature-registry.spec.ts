import { HistoryEvent, UserHistory } from '../../domain/event';
import { buildFeatureMatrix } from '../datasets/feature-matrix';
import { FEATURE_REGISTRY } from './feature-registry';
import { fitFeatureSchema } from './feature-schema';
import { DAY_MS } from './time';

const CUTOFF = 400 * DAY_MS;

function event(type: string, day: number, amount?: number): HistoryEvent {
  return amount === undefined ? { type, ts: day * DAY_MS } : { type, ts: day * DAY_MS, amount };
}

/** Every registry feature of one user at CUTOFF, by name. */
function featuresOf(history: Partial<UserHistory>): Record<string, number> {
  const user: UserHistory = { userId: 'u', attributes: {}, events: [], ...history };
  const schema = fitFeatureSchema([]);
  const { X } = buildFeatureMatrix([user], CUTOFF, schema);
  return Object.fromEntries(schema.features.map((f, j) => [f.name, X[j]]));
}

const EVENTS = [
  event('purchase', 10, 100),
  event('purchase', 300, 5),
  event('email_sent', 350),
  event('purchase', 380, 20),
  event('email_sent', 390),
  event('email_open', 391),
  event('session', 395),
  event('session', 398),
  event('purchase', 399, 10),
  event('session', 399.5),
  // At and after the cutoff: invisible to features.
  event('purchase', 400, 1000),
  event('session', 401),
];

describe('feature registry', () => {
  it('has unique lower_snake names and a description for every feature', () => {
    const names = FEATURE_REGISTRY.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of FEATURE_REGISTRY) {
      expect(f.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(f.description.length).toBeGreaterThan(0);
    }
  });

  it('counts and sums events in half-open windows ending at the cutoff', () => {
    const f = featuresOf({ events: EVENTS });
    // Window starts: 7d -> day 393, 30d -> 370, 90d -> 310, 365d -> 35.
    expect([7, 30, 90, 365].map((d) => f[`purchase_count_${d}d`])).toEqual([1, 2, 2, 3]);
    expect([7, 30, 90, 365].map((d) => f[`purchase_amount_${d}d`])).toEqual([10, 30, 30, 35]);
    expect([7, 30, 90, 365].map((d) => f[`session_count_${d}d`])).toEqual([3, 3, 3, 3]);
    expect([7, 30, 90, 365].map((d) => f[`email_sent_count_${d}d`])).toEqual([0, 1, 2, 2]);
    expect(f.event_count).toBe(10);
  });

  it('measures recency and tenure in days before the cutoff', () => {
    const f = featuresOf({ events: EVENTS });
    expect(f.days_since_last_purchase).toBe(1);
    expect(f.days_since_last_session).toBe(0.5);
    expect(f.days_since_last_event).toBe(0.5);
    expect(f.days_since_last_email_click).toBeNaN();
    expect(f.tenure_days).toBe(390);
    expect(featuresOf({ events: EVENTS, createdAt: 5 * DAY_MS }).tenure_days).toBe(395);
    // A creation date after the cutoff is not known at the cutoff.
    expect(featuresOf({ events: EVENTS, createdAt: 450 * DAY_MS }).tenure_days).toBe(390);
    expect(featuresOf({ createdAt: 100 * DAY_MS }).tenure_days).toBe(300);
  });

  it('summarises gaps between purchases and between sessions', () => {
    const f = featuresOf({ events: EVENTS });
    const gaps = [290, 80, 19];
    const mean = (290 + 80 + 19) / 3;
    const std = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / 3);
    expect(f.purchase_gap_mean_days).toBeCloseTo(mean, 4);
    expect(f.purchase_gap_std_days).toBeCloseTo(std, 4);
    expect(f.session_gap_mean_days).toBeCloseTo(2.25, 6);
    expect(f.session_gap_std_days).toBeCloseTo(0.75, 6);
  });

  it('computes smoothed email rates and 30-vs-previous-90-day trends', () => {
    const f = featuresOf({ events: EVENTS });
    expect(f.email_open_rate_90d).toBe((1 + 1) / (2 + 2));
    expect(f.email_click_rate_90d).toBe((0 + 1) / (2 + 2));
    // Purchases: 2 in the last 30 days, 1 in the 90 before (day 300) -> (2 + 1) / (1/3 + 1).
    expect(f.purchase_trend_30d_vs_prev_90d).toBeCloseTo(2.25, 6);
  });

  it('reports counts as 0 and undefined statistics as missing for a user with no events', () => {
    const f = featuresOf({});
    expect(f.purchase_count_30d).toBe(0);
    expect(f.purchase_amount_365d).toBe(0);
    expect(f.days_since_last_event).toBeNaN();
    expect(f.tenure_days).toBeNaN();
    expect(f.purchase_gap_mean_days).toBeNaN();
    expect(f.email_open_rate_90d).toBe(0.5);
    expect(f.session_trend_30d_vs_prev_90d).toBe(1);
  });
});
