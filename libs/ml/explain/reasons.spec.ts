import { UserHistory } from '../../domain/event';
import { buildFeatureMatrix } from '../datasets/feature-matrix';
import { FeatureSchema, fitFeatureSchema } from '../features/feature-schema';
import { ALL_FEATURES } from '../features/feature-registry';
import { DAY_MS } from '../features/time';
import { GbdtModel, LINEAR_MODEL_VERSION, MODEL_FORMAT } from '../gbdt/model-format';
import { resolveParams } from '../gbdt/params';
import { describeReasons, reasonFeatures } from './reasons';
import { topContributions } from './top-contributions';
import { compileExplainer, explainRows } from './tree-shap';

const CUTOFF = 500 * DAY_MS;
const users: UserHistory[] = [
  {
    userId: 'a',
    attributes: { plan: 'pro' },
    events: [
      { type: 'purchase', ts: 400 * DAY_MS, amount: 30 },
      { type: 'session', ts: 466 * DAY_MS },
    ],
  },
  { userId: 'b', attributes: { plan: 'free' }, events: [{ type: 'session', ts: 499 * DAY_MS }] },
  { userId: 'c', attributes: {}, events: [] },
];

/** A linear-only model over the registry's columns: contributions are known exactly. */
function linearModel(schema: FeatureSchema, coefs: Record<string, number>): GbdtModel {
  const names = schema.features.map((f) => f.name);
  return {
    format: MODEL_FORMAT,
    version: LINEAR_MODEL_VERSION,
    objective: 'binary:logistic',
    numFeatures: names.length,
    featureNames: names,
    categoricalFeatures: [],
    baseMargin: 0,
    params: resolveParams(),
    bestIteration: 0,
    trees: [{ feature: [], threshold: [], defaultLeft: [], categories: [], left: [], right: [], gain: [], cover: [], leafValue: [0] }],
    linear: {
      intercept: -1,
      numeric: Object.entries(coefs).map(([name, coef]) => ({
        feature: names.indexOf(name), low: -1e9, high: 1e9, fill: 0, center: 0, scale: 1, coef, missingCoef: 0.5, mean: 0,
      })),
      categorical: [],
    },
  };
}

describe('reasons', () => {
  const schema = fitFeatureSchema(users);
  const { X, n } = buildFeatureMatrix(users, CUTOFF, schema);
  const model = linearModel(schema, { days_since_last_session: 0.01, purchase_count_365d: -0.3, event_count: 0.001 });
  const explainer = compileExplainer(model);

  it('keeps each row\'s largest contributions by magnitude, as explainRows computes them', () => {
    const top = topContributions(explainer, X, n, 2);
    const all = explainRows(explainer, X, n);
    const p = model.numFeatures;
    const names = schema.features.map((f) => f.name);
    // User a: 34 days without a session (+0.34), one purchase (−0.3), two events (+0.002).
    expect(Array.from(top.feature.subarray(0, 2), (j) => names[j])).toEqual(['days_since_last_session', 'purchase_count_365d']);
    expect(top.contribution[0]).toBeCloseTo(0.34, 12);
    expect(top.contribution[0]).toBe(all[names.indexOf('days_since_last_session')]);
    // User c never had a session: missing adds 0.5, nothing else but the tiny event count (0).
    expect(Array.from(top.feature.subarray(4, 6), (j) => (j < 0 ? null : names[j]))).toEqual(['days_since_last_session', null]);
    expect(all.length).toBe(n * p);
  });

  it('words each reason from the feature registry', () => {
    const top = topContributions(explainer, X, n, 3);
    const features = reasonFeatures(schema);
    expect(describeReasons(top, 0, X, features).map((r) => r.text)).toEqual([
      'no session for 34 days: +0.34',
      '1 purchase in the last 365 days: -0.30',
      '2 events in all: +0.00',
    ]);
    const [never] = describeReasons(top, 2, X, features);
    expect(never).toEqual({ feature: 'days_since_last_session', value: null, contribution: 0.5, text: 'no session yet: +0.50' });
  });

  it('names attribute values from the stored dictionary', () => {
    const plan = schema.features.findIndex((f) => f.name === 'attr_plan');
    const [feature] = reasonFeatures(schema).slice(plan, plan + 1);
    const code = X[plan * n + 0];
    expect(feature.phrase!(code)).toBe('plan "pro"');
    expect(feature.phrase!(0)).toBe('plan another value');
    expect(feature.phrase!(NaN)).toBe('no plan');
  });

  it('words the subscription features of a subscription churn model too', () => {
    const subscribed: UserHistory[] = [{ userId: 's', attributes: {}, events: [{ type: 'subscription_start', ts: 400 * DAY_MS, amount: 9 }] }];
    const subSchema = fitFeatureSchema(subscribed, ALL_FEATURES);
    const features = reasonFeatures(subSchema);
    expect(features.map((f) => f.name)).toContain('days_since_subscription_start');
  });
});
