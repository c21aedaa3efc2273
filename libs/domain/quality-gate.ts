import { AnyModelMetrics } from './model-version';
import { QualityGatePolicy } from './prediction';

/** What the gate reads of a yes/no model (no `kind`: the shape every binary candidate has always had). */
export interface BinaryGateMetrics {
  kind?: 'binary';
  auc: number;
  /** Lift quality in percent (0 random, 100 perfect). */
  liftQuality: number;
}

/** A lifetime-value model: share of the holdout's real top customers it finds, and the past-value baseline's share. */
export interface ClvGateMetrics {
  kind: 'clv';
  hitRate: number;
  baselineHitRate: number;
}

/** A recommender: NDCG@10 on the time-based holdout, and the popularity baseline's. */
export interface RecommendationGateMetrics {
  kind: 'recommendation';
  ndcg: number;
  popularityNdcg: number;
}

export type GateMetrics = BinaryGateMetrics | ClvGateMetrics | RecommendationGateMetrics;

/** What the gate reads of a stored model's metrics. */
export function gateMetricsOf(m: AnyModelMetrics): GateMetrics {
  if (!('kind' in m)) return { auc: m.auc, liftQuality: m.liftQuality };
  if (m.kind === 'clv') return { kind: 'clv', hitRate: m.hitRate, baselineHitRate: m.baselineHitRate };
  return { kind: 'recommendation', ndcg: m.ours.ndcg, popularityNdcg: m.popularity.ndcg };
}

/** Only the fields the gate reads (a candidate's result carries more): what the gate activity is given. */
export function gateMetricsOnly(m: GateMetrics): GateMetrics {
  if (m.kind === 'clv') return { kind: 'clv', hitRate: m.hitRate, baselineHitRate: m.baselineHitRate };
  if (m.kind === 'recommendation') return { kind: 'recommendation', ndcg: m.ndcg, popularityNdcg: m.popularityNdcg };
  return { auc: m.auc, liftQuality: m.liftQuality };
}

export interface GateDecision {
  promote: boolean;
  /** Why, in words: every failed check, or what the candidate passed. */
  reasons: string[];
}

const f3 = (x: number) => x.toFixed(3);
const f1 = (x: number) => x.toFixed(1);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A candidate's quality in a few words (run details, results). */
export function qualityWords(m: GateMetrics): string {
  if (m.kind === 'clv') return `top-20% hit rate ${pct(m.hitRate)} (past-value baseline ${pct(m.baselineHitRate)})`;
  if (m.kind === 'recommendation') return `NDCG@10 ${f3(m.ndcg)} (popularity ${f3(m.popularityNdcg)})`;
  return `AUC ${f3(m.auc)}, lift quality ${f1(m.liftQuality)}%`;
}

/**
 * Promote a candidate only if it clears the absolute floors and is not worse than the active model
 * by more than the tolerances. Yes/no models: AUC and lift quality floors. Lifetime value and
 * recommendations are judged against their baseline (past value; popularity): the candidate must do
 * at least as well, and may trail the active model by at most `aucTolerance` (hit rate or NDCG, 0-1).
 * Pure: the retrain workflow calls it directly.
 */
export function qualityGate(candidate: GateMetrics, active: GateMetrics | null, policy: QualityGatePolicy): GateDecision {
  if (candidate.kind === 'clv') {
    return baselineGate(candidate.hitRate, candidate.baselineHitRate, active?.kind === 'clv' ? active.hitRate : null, policy.aucTolerance, {
      metric: 'top-20% hit rate',
      baseline: 'the past-value baseline',
      show: pct,
    });
  }
  if (candidate.kind === 'recommendation') {
    return baselineGate(candidate.ndcg, candidate.popularityNdcg, active?.kind === 'recommendation' ? active.ndcg : null, policy.aucTolerance, {
      metric: 'NDCG@10',
      baseline: 'popularity',
      show: f3,
    });
  }
  const activeBinary = active && (active.kind ?? 'binary') === 'binary' ? (active as BinaryGateMetrics) : null;
  const failed: string[] = [];
  if (!(candidate.auc >= policy.minAuc)) failed.push(`AUC ${f3(candidate.auc)} is below the floor ${f3(policy.minAuc)}`);
  if (!(candidate.liftQuality >= policy.minLiftQuality)) {
    failed.push(`lift quality ${f1(candidate.liftQuality)}% is below the floor ${f1(policy.minLiftQuality)}%`);
  }
  if (activeBinary) {
    if (candidate.auc < activeBinary.auc - policy.aucTolerance) {
      failed.push(`AUC ${f3(candidate.auc)} is worse than the active model's ${f3(activeBinary.auc)} by more than ${f3(policy.aucTolerance)}`);
    }
    if (candidate.liftQuality < activeBinary.liftQuality - policy.liftQualityTolerance) {
      failed.push(
        `lift quality ${f1(candidate.liftQuality)}% is worse than the active model's ${f1(activeBinary.liftQuality)}% by more than ${f1(policy.liftQualityTolerance)} points`,
      );
    }
  }
  if (failed.length > 0) return { promote: false, reasons: failed };
  const vs = activeBinary ? ` (active model: AUC ${f3(activeBinary.auc)}, lift quality ${f1(activeBinary.liftQuality)}%)` : ' (no active model yet)';
  return { promote: true, reasons: [`AUC ${f3(candidate.auc)} and lift quality ${f1(candidate.liftQuality)}% pass the gate${vs}`] };
}

function baselineGate(
  value: number,
  baseline: number,
  active: number | null,
  tolerance: number,
  words: { metric: string; baseline: string; show: (x: number) => string },
): GateDecision {
  const { metric, show } = words;
  const failed: string[] = [];
  if (!(value >= baseline)) failed.push(`${metric} ${show(value)} is below ${words.baseline}'s ${show(baseline)}`);
  if (active !== null && value < active - tolerance) {
    failed.push(`${metric} ${show(value)} is worse than the active model's ${show(active)} by more than ${f3(tolerance)}`);
  }
  if (failed.length > 0) return { promote: false, reasons: failed };
  const vs = active !== null ? `; active model ${show(active)}` : '; no active model yet';
  return { promote: true, reasons: [`${metric} ${show(value)} is at least ${words.baseline}'s ${show(baseline)}${vs}`] };
}
