import { UserHistory } from '../../domain/event';
import { buildFeatureMatrix } from '../datasets/feature-matrix';
import { buildCategoryDictionary, UNKNOWN_CATEGORY_CODE } from './category-dictionary';
import { FEATURE_REGISTRY } from './feature-registry';
import { fitFeatureSchema, resolveFeatures } from './feature-schema';

function user(userId: string, attributes: UserHistory['attributes']): UserHistory {
  return { userId, attributes, events: [] };
}

const TRAINING = [
  user('a', { plan: 'pro', age: 31, vip: true }),
  user('b', { plan: 'free', age: 40, vip: false }),
  user('c', { plan: 'free', age: null }),
];

describe('buildCategoryDictionary', () => {
  it('orders by frequency, then value, and caps the size', () => {
    const counts = new Map([
      ['b', 2],
      ['c', 5],
      ['a', 2],
    ]);
    expect(buildCategoryDictionary(counts)).toEqual(['c', 'a', 'b']);
    expect(buildCategoryDictionary(counts, 2)).toEqual(['c', 'a']);
  });
});

describe('feature schema', () => {
  const schema = fitFeatureSchema(TRAINING);

  it('lists registry features, then one feature per attribute in key order', () => {
    const attributes = schema.features.slice(FEATURE_REGISTRY.length);
    expect(attributes).toEqual([
      { name: 'attr_age', kind: 'numeric', attribute: 'age' },
      { name: 'attr_plan', kind: 'categorical', attribute: 'plan', categories: ['free', 'pro'] },
      { name: 'attr_vip', kind: 'numeric', attribute: 'vip' },
    ]);
  });

  it('encodes attributes with the training dictionary; unseen values get the reserved code', () => {
    const scoring = [
      user('d', { plan: 'pro', age: 22, vip: true }),
      user('e', { plan: 'enterprise', vip: false }),
      user('f', { plan: null, age: '35' }),
    ];
    const { X, n } = buildFeatureMatrix(scoring, 0, JSON.parse(JSON.stringify(schema)));
    const column = (name: string) => {
      const j = schema.features.findIndex((f) => f.name === name);
      return Array.from(X.subarray(j * n, (j + 1) * n));
    };
    expect(column('attr_plan')).toEqual([2, UNKNOWN_CATEGORY_CODE, NaN]);
    expect(column('attr_age')).toEqual([22, NaN, 35]);
    expect(column('attr_vip')).toEqual([1, 0, NaN]);
  });

  it('fails clearly when a stored schema names a feature the code no longer has', () => {
    expect(() => resolveFeatures({ features: [{ name: 'retired_feature', kind: 'numeric' }] })).toThrow(
      'feature schema: "retired_feature" is not in the feature registry',
    );
    expect(() => resolveFeatures({ features: [{ name: 'tenure_days', kind: 'categorical' }] })).toThrow(
      '"tenure_days" is categorical in the schema but numeric in the registry',
    );
  });
});
