import { SegmentNode } from '../domain/segment-definition';
import { dependencies, mergeDependencies } from './dependencies';
import { EVERY_CONDITION_TYPE } from './segment-examples';

describe('dependencies', () => {
  it('lists everything a definition reads, sorted and distinct', () => {
    expect(dependencies({ type: 'or', conditions: [{ type: 'and', conditions: EVERY_CONDITION_TYPE }, EVERY_CONDITION_TYPE[0]] })).toEqual({
      predictions: [
        { predictionId: 'p_000000000001', reads: ['score', 'category'] },
        { predictionId: 'p_000000000002', reads: ['percentile'] },
        { predictionId: 'p_000000000003', reads: ['clv'] },
        { predictionId: 'p_000000000004', reads: ['recommendations'] },
      ],
      segments: ['s_vip'],
      eventTypes: ['purchase', 'session'],
      anyEventType: false,
      eventWindowsDays: [30, 90],
      attributes: ['age', 'country', 'phone', 'plan', 'signupDate'],
      subscription: true,
      controlGroup: true,
      timeDependent: true,
      subjectParts: ['profile', 'events', 'scores', 'segments', 'controlGroup'],
    });
  });

  it('says a score-only segment needs scores alone and never goes stale with the clock', () => {
    const d = dependencies({ type: 'predictionScore', predictionId: 'p1', min: 70, max: 100 });
    expect(d.subjectParts).toEqual(['scores']);
    expect(d.timeDependent).toBe(false);
    expect(d.eventWindowsDays).toEqual([]);
  });

  it('marks conditions without an event type as reading every type', () => {
    const d = dependencies({ type: 'lastEvent', moreThanDaysAgo: 30, includeNever: true });
    expect(d).toMatchObject({ eventTypes: [], anyEventType: true, eventWindowsDays: [], timeDependent: true, subjectParts: ['events'] });
  });

  it('is time dependent for relative dates only', () => {
    const range = (from: string | { daysAgo: number }): SegmentNode => ({ type: 'attributeDateRange', attribute: 'd', from });
    expect(dependencies(range('2024-01-01')).timeDependent).toBe(false);
    expect(dependencies(range({ daysAgo: 3 })).timeDependent).toBe(true);
  });

  it('merges several definitions (the windows one event summary must hold)', () => {
    const d = mergeDependencies([
      { type: 'eventCount', eventType: 'purchase', withinDays: 90, min: 2 },
      { type: 'eventSum', withinDays: 7, min: 1 },
      { type: 'eventCount', eventType: 'purchase', withinDays: 90, max: 0 },
    ]);
    expect(d).toMatchObject({ eventTypes: ['purchase'], anyEventType: true, eventWindowsDays: [7, 90] });
  });

  it('says model-output segments read scores alone', () => {
    const d = dependencies({ type: 'and', conditions: [{ type: 'clvTier', predictionId: 'c', tiers: ['high'] }, { type: 'topRecommendation', predictionId: 'r', productId: 'x' }] });
    expect(d).toMatchObject({ predictions: [{ predictionId: 'c', reads: ['clv'] }, { predictionId: 'r', reads: ['recommendations'] }], subjectParts: ['scores'], timeDependent: false });
  });
});
