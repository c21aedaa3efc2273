import { HistoryEvent, UserHistory } from '../../domain/event';
import { PredictionDefinition } from '../../domain/prediction-definition';
import { DAY_MS } from '../features/time';
import { UNKNOWN_CATEGORY_CODE } from '../features/category-dictionary';
import { SplitMix64 } from '../random/splitmix64';
import { buildFeatureMatrix } from './feature-matrix';
import { predictionLabels } from './prediction-labels';
import { buildScoringSet, buildTrainingSet, trainingCutoff } from './training-set';

const CUTOFF = 1000 * DAY_MS;
const TYPES = ['purchase', 'session', 'session', 'email_sent', 'email_open', 'email_click', 'unsubscribe', 'page_view'];
const DEFINITIONS: PredictionDefinition[] = [
  { type: 'churn', windowDays: 30 },
  { type: 'churn', windowDays: 60, qualifyingEventTypes: ['email_open'] },
  { type: 'purchase', windowDays: 14 },
  { type: 'engagement', windowDays: 30 },
  { type: 'unsubscribe', windowDays: 30 },
];

function randomEvent(rng: SplitMix64, fromDay: number, toDay: number): HistoryEvent {
  const type = TYPES[rng.nextInt(TYPES.length)];
  // Whole days sometimes, so events land exactly on the cutoff and on window edges.
  const day = fromDay + (rng.nextDouble() < 0.2 ? rng.nextInt(toDay - fromDay) : rng.nextDouble() * (toDay - fromDay));
  const ts = day * DAY_MS;
  return type === 'purchase' ? { type, ts, amount: Math.round(rng.nextDouble() * 100) } : { type, ts };
}

function sortedByTs(events: HistoryEvent[]): HistoryEvent[] {
  return events.sort((a, b) => a.ts - b.ts);
}

/** Users with dense activity around the cutoff, so every window and label rule is exercised. */
function randomHistories(rng: SplitMix64, count: number): UserHistory[] {
  return Array.from({ length: count }, (_, u) => ({
    userId: `u${u}`,
    createdAt: rng.nextDouble() < 0.5 ? (500 + rng.nextInt(700)) * DAY_MS : undefined,
    attributes: { plan: ['free', 'pro', 'team'][rng.nextInt(3)], age: 18 + rng.nextInt(60) },
    events: sortedByTs(Array.from({ length: rng.nextInt(60) }, () => randomEvent(rng, 600, 1100))),
  }));
}

function withExtraEvents(rng: SplitMix64, h: UserHistory, fromDay: number, toDay: number): UserHistory {
  const extra = Array.from({ length: 1 + rng.nextInt(20) }, () => randomEvent(rng, fromDay, toDay));
  return { ...h, events: sortedByTs([...h.events, ...extra]) };
}

describe('no leakage across the cutoff (property, seeded)', () => {
  const cutoffDay = CUTOFF / DAY_MS;

  it('events at or after the cutoff never change any feature value', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = new SplitMix64(seed);
      const histories = randomHistories(rng, 40);
      const future = histories.map((h) => withExtraEvents(rng, h, cutoffDay, cutoffDay + 200));
      const schema = buildTrainingSet(histories, { type: 'purchase', windowDays: 14 }, CUTOFF).schema;
      const before = buildFeatureMatrix(histories, CUTOFF, schema).X;
      const after = buildFeatureMatrix(future, CUTOFF, schema).X;
      // Bitwise, with NaN equal to NaN.
      expect(Buffer.from(after.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    }
  });

  it.each(DEFINITIONS.map((d) => [`${d.type} ${d.windowDays}d`, d] as const))(
    'events before the cutoff never change a label (%s)',
    (_, def) => {
      let compared = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const rng = new SplitMix64(seed);
        const histories = randomHistories(rng, 40);
        const past = histories.map((h) => withExtraEvents(rng, h, cutoffDay - 400, cutoffDay - 1e-6));
        const labelOf = (users: UserHistory[]) => {
          const { eligible, labels } = predictionLabels(users, def, CUTOFF);
          return new Map(Array.from(eligible, (i, k) => [i, labels[k]]));
        };
        const original = labelOf(histories);
        const withPast = labelOf(past);
        // Extra history can only make a user eligible (active, or existing); a labelled user keeps its label.
        for (const [i, label] of original) {
          expect(withPast.get(i)).toBe(label);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(100);
    },
  );
});

describe('buildTrainingSet', () => {
  const day = (d: number) => d * DAY_MS;
  const histories: UserHistory[] = [
    { userId: 'stays', attributes: { plan: 'pro' }, events: [{ type: 'session', ts: day(990) }, { type: 'session', ts: day(1005) }] },
    { userId: 'leaves', attributes: { plan: 'free' }, events: [{ type: 'purchase', ts: day(995), amount: 5 }] },
    { userId: 'dormant', attributes: { plan: 'free' }, events: [{ type: 'session', ts: day(900) }] },
    { userId: 'newcomer', attributes: { plan: 'team' }, events: [{ type: 'session', ts: day(1010) }] },
  ];
  const churn: PredictionDefinition = { type: 'churn', windowDays: 30 };

  it('pairs features at the cutoff with labels after it, for eligible users only', () => {
    const set = buildTrainingSet(histories, churn, CUTOFF);
    expect(set.userIds).toEqual(['stays', 'leaves']);
    expect(Array.from(set.y)).toEqual([0, 1]);
    expect(set.n).toBe(2);
    expect(set.X).toEqual(buildFeatureMatrix(histories.slice(0, 2), CUTOFF, set.schema).X);
    // The dictionary comes from the training users alone: 'team' belongs to a user who was not eligible.
    expect(set.schema.features.find((f) => f.name === 'attr_plan')).toMatchObject({ categories: ['free', 'pro'] });
  });

  it('scores the current audience with the stored schema', () => {
    const { schema } = buildTrainingSet(histories, churn, CUTOFF);
    const now = day(1020);
    const scoring = buildScoringSet(histories, churn, now, JSON.parse(JSON.stringify(schema)));
    // 'leaves' purchased on day 995, within 30 days of now; 'dormant' did not.
    expect(scoring.userIds).toEqual(['stays', 'leaves', 'newcomer']);
    const plan = schema.features.findIndex((f) => f.name === 'attr_plan');
    expect(Array.from(scoring.X.subarray(plan * scoring.n, (plan + 1) * scoring.n))).toEqual([2, 1, UNKNOWN_CATEGORY_CODE]);
  });

  it('trains at the latest cutoff whose labels are complete', () => {
    expect(trainingCutoff(churn, day(1030))).toBe(CUTOFF);
    expect(trainingCutoff({ type: 'unsubscribe', windowDays: 30 }, day(1037))).toBe(CUTOFF);
  });
});
