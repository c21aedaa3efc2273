import { metricMeter } from '@temporalio/activity';

/**
 * Our counters on the worker's /metrics (the SDK's Prometheus exporter, WORKER_METRICS_PORT), beside
 * the SDK's own and tagged like them (namespace, task queue, activity type). Only inside an activity;
 * no-ops when metrics are off.
 */
export function countScoresWritten(scores: number): void {
  if (scores > 0) metricMeter.createCounter('propensity_scores_written', 'scores', 'Scores written to score sets (a retry rewriting a score not counted)').add(scores);
}

export function countEventsImported(events: number): void {
  if (events > 0) metricMeter.createCounter('propensity_events_imported', 'events', 'Events stored by imports (events already stored not counted)').add(events);
}
