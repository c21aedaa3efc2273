import { DEFAULT_QUALITY_GATE } from './prediction';
import { qualityGate } from './quality-gate';

describe('qualityGate', () => {
  const policy = DEFAULT_QUALITY_GATE; // floors AUC 0.6, lift 10%; tolerances 0.02 AUC, 5 points

  it('promotes a first model that clears the floors', () => {
    expect(qualityGate({ auc: 0.8, liftQuality: 45 }, null, policy)).toEqual({
      promote: true,
      reasons: ['AUC 0.800 and lift quality 45.0% pass the gate (no active model yet)'],
    });
  });

  it('rejects below a floor, naming each failed check', () => {
    const d = qualityGate({ auc: 0.55, liftQuality: 8 }, null, policy);
    expect(d.promote).toBe(false);
    expect(d.reasons).toEqual(['AUC 0.550 is below the floor 0.600', 'lift quality 8.0% is below the floor 10.0%']);
  });

  it('tolerates a small regression but not a large one', () => {
    const active = { auc: 0.8, liftQuality: 50 };
    expect(qualityGate({ auc: 0.785, liftQuality: 46 }, active, policy).promote).toBe(true);
    const worse = qualityGate({ auc: 0.7, liftQuality: 30 }, active, policy);
    expect(worse.promote).toBe(false);
    expect(worse.reasons).toEqual([
      "AUC 0.700 is worse than the active model's 0.800 by more than 0.020",
      "lift quality 30.0% is worse than the active model's 50.0% by more than 5.0 points",
    ]);
  });

  it('never promotes NaN metrics', () => {
    expect(qualityGate({ auc: NaN, liftQuality: NaN }, null, policy).promote).toBe(false);
  });

  it('judges lifetime value against the past-value baseline and the active model', () => {
    expect(qualityGate({ kind: 'clv', hitRate: 0.5, baselineHitRate: 0.4 }, null, policy)).toEqual({
      promote: true,
      reasons: ['top-20% hit rate 50.0% is at least the past-value baseline\'s 40.0%; no active model yet'],
    });
    expect(qualityGate({ kind: 'clv', hitRate: 0.35, baselineHitRate: 0.4 }, null, policy).reasons).toEqual([
      "top-20% hit rate 35.0% is below the past-value baseline's 40.0%",
    ]);
    const worse = qualityGate({ kind: 'clv', hitRate: 0.45, baselineHitRate: 0.4 }, { kind: 'clv', hitRate: 0.5, baselineHitRate: 0.4 }, policy);
    expect(worse).toEqual({ promote: false, reasons: ["top-20% hit rate 45.0% is worse than the active model's 50.0% by more than 0.020"] });
  });

  it('judges recommendations by NDCG@10 against popularity', () => {
    expect(qualityGate({ kind: 'recommendation', ndcg: 0.12, popularityNdcg: 0.08 }, { kind: 'recommendation', ndcg: 0.13, popularityNdcg: 0.08 }, policy).promote).toBe(true);
    expect(qualityGate({ kind: 'recommendation', ndcg: 0.07, popularityNdcg: 0.08 }, null, policy)).toEqual({
      promote: false,
      reasons: ["NDCG@10 0.070 is below popularity's 0.080"],
    });
  });
});
