import type { CatalogueConfig } from './product-catalogue';

/** What population to simulate; every user depends only on (seed, index), never on the others. */
export interface SimulationConfig {
  seed: number;
  /** Population size: user indices are 0..users-1, and ids are zero-padded to its width (at least 6 digits). */
  users: number;
  /** End of history, epoch ms: history holds events before it, future events start at it. */
  now: number;
  /** Signups are spread uniformly over this many days before `now`. */
  historyDays?: number;
  /** Length of the sampled future after `now`, which realised labels are read from. */
  futureDays?: number;
  /**
   * Products: when given, purchase events carry properties.productId and properties.category from a
   * catalogue with known tastes (see product-catalogue.ts). Off by default; either way every other
   * field is what the same seed always generated (these come from streams of their own).
   */
  products?: CatalogueConfig;
  /** Paid-plan users subscribe at signup and renew monthly (see subscription.ts). Off by default. */
  subscriptions?: boolean;
}

export type ResolvedSimulationConfig = Required<Omit<SimulationConfig, 'products'>> & Pick<SimulationConfig, 'products'>;

export const DEFAULT_HISTORY_DAYS = 365;
export const DEFAULT_FUTURE_DAYS = 60;

export function resolveSimulationConfig(config: SimulationConfig): ResolvedSimulationConfig {
  const resolved = { historyDays: DEFAULT_HISTORY_DAYS, futureDays: DEFAULT_FUTURE_DAYS, subscriptions: false, ...config };
  const { seed, users, now, historyDays, futureDays } = resolved;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`simulation: seed must be a safe integer, got ${seed}`);
  if (!Number.isSafeInteger(users) || users < 0) throw new RangeError(`simulation: users must be a non-negative integer, got ${users}`);
  // Whole milliseconds keep "before now" and "at or after now" exact for the integer event timestamps.
  if (!Number.isSafeInteger(now)) throw new RangeError(`simulation: now must be epoch milliseconds, got ${now}`);
  if (!(historyDays > 0)) throw new RangeError(`simulation: historyDays must be positive, got ${historyDays}`);
  if (!(futureDays >= 0)) throw new RangeError(`simulation: futureDays must be non-negative, got ${futureDays}`);
  return resolved;
}
