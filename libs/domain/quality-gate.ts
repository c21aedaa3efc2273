import { QualityGatePolicy } from './prediction';

export interface GateMetrics {
  auc: number;
  /** Lift quality in percent (0 random, 100 perfect). */
  liftQuality: number;
}

export interface GateDecision {
  promote: boolean;
  /** Why, in words: every failed check, or what the candidate passed. */
  reasons: string[];
}

const f3 = (x: number) => x.toFixed(3);
const f1 = (x: number) => x.toFixed(1);

/**
 * Promote a candidate only if it clears the absolute floors and is not worse than the active model
 * by more than the tolerances. Pure: the retrain workflow calls it directly.
 */
export function qualityGate(candidate: GateMetrics, active: GateMetrics | null, policy: QualityGatePolicy): GateDecision {
  const failed: string[] = [];
  if (!(candidate.auc >= policy.minAuc)) failed.push(`AUC ${f3(candidate.auc)} is below the floor ${f3(policy.minAuc)}`);
  if (!(candidate.liftQuality >= policy.minLiftQuality)) {
    failed.push(`lift quality ${f1(candidate.liftQuality)}% is below the floor ${f1(policy.minLiftQuality)}%`);
  }
  if (active) {
    if (candidate.auc < active.auc - policy.aucTolerance) {
      failed.push(`AUC ${f3(candidate.auc)} is worse than the active model's ${f3(active.auc)} by more than ${f3(policy.aucTolerance)}`);
    }
    if (candidate.liftQuality < active.liftQuality - policy.liftQualityTolerance) {
      failed.push(
        `lift quality ${f1(candidate.liftQuality)}% is worse than the active model's ${f1(active.liftQuality)}% by more than ${f1(policy.liftQualityTolerance)} points`,
      );
    }
  }
  if (failed.length > 0) return { promote: false, reasons: failed };
  const vs = active ? ` (active model: AUC ${f3(active.auc)}, lift quality ${f1(active.liftQuality)}%)` : ' (no active model yet)';
  return { promote: true, reasons: [`AUC ${f3(candidate.auc)} and lift quality ${f1(candidate.liftQuality)}% pass the gate${vs}`] };
}
