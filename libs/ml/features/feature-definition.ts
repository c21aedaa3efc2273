import { HistoryEvent, UserHistory } from '../../domain/event';
import { HistorySummary } from './history-summary';

export type FeatureKind = 'numeric' | 'categorical';

/** What a feature may see: only the past of one user at one cutoff. */
export interface FeatureContext {
  cutoff: number;
  /** Events with ts < cutoff only. */
  events: readonly HistoryEvent[];
  /** One-pass aggregates of `events`. */
  summary: HistorySummary;
  attributes: UserHistory['attributes'];
  /** Absent when unknown or not before the cutoff (a profile created later does not exist yet). */
  createdAt?: number;
}

export interface FeatureDefinition {
  name: string;
  description: string;
  kind: FeatureKind;
  /** NaN for missing; categorical features return an integer code. */
  compute(ctx: FeatureContext): number;
  /**
   * The value in words a campaign manager reads, e.g. "no session for 34 days" (reasons for a score);
   * without it a reason reads "<description>: <value>".
   */
  phrase?(value: number): string;
}
