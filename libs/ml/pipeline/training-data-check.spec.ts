import { PredictionDefinition } from '../../domain/prediction-definition';
import { checkTrainingData, TrainingDataContext } from './training-data-check';

const CUTOFF = Date.UTC(2026, 0, 15);
const ctx = (definition: PredictionDefinition = { type: 'churn', windowDays: 30 }): TrainingDataContext => ({
  predictionId: 'p_0123456789ab',
  definition,
  cutoff: CUTOFF,
  audienceUsers: 1234,
});
const WHERE = 'for prediction p_0123456789ab at cutoff 2026-01-15 (1234 users in the audience)';

/** n rows, the first `positives` labelled 1; feature 0 varies unless `constant`, feature 1 is constant. */
function table(n: number, positives: number, constant = false) {
  const X = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) X[i] = constant ? 1 : i % 7;
  X.fill(NaN, n);
  const y = new Uint8Array(n);
  y.fill(1, 0, positives);
  return { X, y, n, featureNames: ['recency', 'plan'] };
}

describe('checkTrainingData', () => {
  it('accepts learnable data and names its constant features', () => {
    expect(checkTrainingData(table(300, 100), ctx())).toEqual({ ok: true, positives: 100, features: 2, constantFeatures: ['plan'] });
  });

  it('refuses too few rows', () => {
    expect(checkTrainingData(table(0, 0), ctx())).toEqual({
      ok: false,
      reason: `too few users to train ${WHERE}: found 0 eligible users, needs at least 200`,
    });
    expect(checkTrainingData(table(150, 60), ctx(), { minRows: 100, minPositives: 50 }).ok).toBe(true);
  });

  it('refuses one class, in the words of the prediction type', () => {
    expect(checkTrainingData(table(300, 0), ctx())).toEqual({
      ok: false,
      reason: `one class only ${WHERE}: none of the 300 eligible users churned within 30 days; a model needs both outcomes`,
    });
    expect(checkTrainingData(table(300, 300), ctx({ type: 'purchase', windowDays: 14 }))).toMatchObject({
      reason: expect.stringContaining('all of the 300 eligible users purchased within 14 days;'),
    });
    expect(checkTrainingData(table(300, 0), ctx({ type: 'engagement', windowDays: 7 }))).toMatchObject({
      reason: expect.stringContaining('none of the 300 eligible users responded (engagement);'),
    });
  });

  it('refuses too few of the minority class, positive or negative', () => {
    expect(checkTrainingData(table(300, 49), ctx())).toEqual({
      ok: false,
      reason: `too few positive examples ${WHERE}: found 49 of 300 eligible users, needs at least 50`,
    });
    expect(checkTrainingData(table(300, 260), ctx())).toEqual({
      ok: false,
      reason: `too few negative examples ${WHERE}: found 40 of 300 eligible users, needs at least 50`,
    });
  });

  it('refuses a table where every feature is constant (missing everywhere counts as constant)', () => {
    expect(checkTrainingData(table(300, 100, true), ctx())).toEqual({
      ok: false,
      reason: `every feature is constant ${WHERE}: the 300 users look identical, nothing to learn from`,
    });
  });
});
