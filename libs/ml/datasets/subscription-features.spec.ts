import { UserHistory } from '../../domain/event';
import { PredictionDefinition } from '../../domain/prediction-definition';
import { DAY_MS } from '../features/time';
import { buildScoringSet, buildTrainingSet } from './training-set';

const day = (d: number) => d * DAY_MS;

describe('subscription churn training sets', () => {
  const users: UserHistory[] = [
    {
      userId: 'a',
      attributes: {},
      events: [
        { type: 'subscription_start', ts: day(10), amount: 10 },
        { type: 'subscription_renew', ts: day(40), amount: 10 },
        { type: 'subscription_renew', ts: day(70), amount: 10 },
        { type: 'session', ts: day(75) },
        { type: 'subscription_renew', ts: day(100), amount: 10 },
      ],
    },
    { userId: 'b', attributes: {}, events: [{ type: 'subscription_start', ts: day(60), amount: 25 }] },
    { userId: 'c', attributes: {}, events: [{ type: 'session', ts: day(70) }] },
  ];
  const def: PredictionDefinition = { type: 'subscription_churn', windowDays: 20 };

  it('takes subscribers only, with the subscription features next to the behavioural ones', () => {
    const set = buildTrainingSet(users, def, day(80));
    expect(set.userIds).toEqual(['a', 'b']);
    expect(Array.from(set.y)).toEqual([0, 1]);
    const names = set.schema.features.map((f) => f.name);
    const at = (name: string, i: number) => set.X[names.indexOf(name) * set.n + i];
    expect(at('days_since_subscription_start', 0)).toBe(70);
    expect(at('subscription_renewals', 0)).toBe(2);
    expect(at('days_to_next_renewal', 0)).toBe(20);
    expect(at('days_to_next_renewal', 1)).toBe(10);
    expect(at('subscription_billed_365d', 0)).toBe(30);
    expect(at('subscription_cancels', 1)).toBe(0);
    const scoring = buildScoringSet(users, def, day(105), set.schema);
    expect(scoring.userIds).toEqual(['a']);
  });

  it('keeps the columns of every other prediction type as they were', () => {
    const churn = buildTrainingSet(users, { type: 'churn', windowDays: 20 }, day(80));
    expect(churn.schema.features.some((f) => f.name.includes('subscription'))).toBe(false);
  });
});
