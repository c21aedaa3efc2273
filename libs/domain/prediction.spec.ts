import { clvDefinition, createPredictionSchema, definitionBodySchema, recommendationDefinition, toPredictionDefinition } from './prediction';

const issues = (body: unknown) => createPredictionSchema.safeParse(body).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

describe('prediction definitions, one schema per type', () => {
  it('fills each type\'s defaults', () => {
    expect(createPredictionSchema.parse({ name: 'v', type: 'clv', definition: {} }).definition).toEqual({ horizonDays: 365, highShare: 0.2, mediumShare: 0.3 });
    expect(createPredictionSchema.parse({ name: 'r', type: 'recommendation', definition: { topN: 5 } }).definition).toEqual({
      topN: 5,
      excludePurchased: true,
      exclude: [],
      holdoutDays: 30,
    });
    expect(createPredictionSchema.parse({ name: 's', type: 'subscription_churn', definition: { windowDays: 30 } }).definition).toEqual({ windowDays: 30 });
  });

  it('names the field a type does not take or bounds', () => {
    expect(issues({ name: 'v', type: 'clv', definition: { windowDays: 30 } })).toEqual([['definition', "Unrecognized key(s) in object: 'windowDays'"]]);
    expect(issues({ name: 'v', type: 'clv', definition: { highShare: 0.6, mediumShare: 0.5 } })).toEqual([['definition.mediumShare', 'highShare + mediumShare must be at most 1']]);
    expect(issues({ name: 'r', type: 'recommendation', definition: { topN: 0 } })).toEqual([['definition.topN', 'at least 1 product']]);
    expect(issues({ name: 'c', type: 'churn', definition: {} })).toEqual([['definition.windowDays', 'Required']]);
    expect(issues({ name: 'e', type: 'engagement', definition: { windowDays: 7, purchaseEventType: 'order' } })).toEqual([
      ['definition.purchaseEventType', 'only purchase, clv and recommendation predictions take purchaseEventType (this one is engagement)'],
    ]);
  });

  it('checks an edited definition against the stored type', () => {
    expect(definitionBodySchema('recommendation').safeParse({ definition: { topN: 60 } }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['definition.topN', 'at most 50 products'],
    ]);
    expect(definitionBodySchema('clv').parse({ definition: { horizonDays: 90 } })).toEqual({ definition: { horizonDays: 90, highShare: 0.2, mediumShare: 0.3 } });
  });

  it('gives each kind its own definition, never a yes/no one to a value or recommendation model', () => {
    expect(clvDefinition({ type: 'clv', definition: { horizonDays: 200 } as never })).toEqual({ horizonDays: 200, highShare: 0.2, mediumShare: 0.3 });
    expect(recommendationDefinition({ type: 'recommendation', definition: {} as never }).topN).toBe(10);
    expect(() => toPredictionDefinition({ type: 'clv', definition: { horizonDays: 365, highShare: 0.2, mediumShare: 0.3 } })).toThrow('clv predictions have no yes/no definition');
    expect(toPredictionDefinition({ type: 'churn', definition: { windowDays: 30 } })).toEqual({ type: 'churn', windowDays: 30 });
  });
});
