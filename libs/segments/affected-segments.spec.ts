import { affectedSegments, directlyAffected } from './affected-segments';
import { StoredSegment } from './segment-graph';

const segments: StoredSegment[] = [
  { id: 'likely-churners', definition: { type: 'predictionScore', predictionId: 'p_churn', min: 70, max: 100 } },
  { id: 'buyers', definition: { type: 'eventCount', eventType: 'purchase', withinDays: 90, min: 2 } },
  { id: 'dormant', definition: { type: 'lastEvent', moreThanDaysAgo: 30, includeNever: true } },
  { id: 'french', definition: { type: 'attributeEquals', attribute: 'country', value: 'FR' } },
  { id: 'optins', definition: { type: 'subscription', channel: 'email', state: 'subscribed' } },
  {
    id: 'french-churners',
    definition: { type: 'and', conditions: [{ type: 'segment', segmentId: 'likely-churners' }, { type: 'segment', segmentId: 'french' }, { type: 'controlGroup', negate: true }] },
  },
  { id: 'rescue', definition: { type: 'or', conditions: [{ type: 'segment', segmentId: 'french-churners' }, { type: 'segment', segmentId: 'dormant' }] } },
];

describe('affectedSegments', () => {
  it('follows a rescore through the segments reading the changed ones, in evaluation order', () => {
    expect(affectedSegments(segments, { kind: 'prediction', predictionId: 'p_churn' })).toEqual(['likely-churners', 'french-churners', 'rescue']);
    expect(affectedSegments(segments, { kind: 'prediction', predictionId: 'p_other' })).toEqual([]);
  });

  it('maps ingested events to segments reading that type or any type', () => {
    expect(affectedSegments(segments, { kind: 'events', eventTypes: ['purchase'] })).toEqual(['buyers', 'dormant', 'rescue']);
    expect(affectedSegments(segments, { kind: 'events', eventTypes: ['email_open'] })).toEqual(['dormant', 'rescue']);
    expect(affectedSegments(segments, { kind: 'events', eventTypes: [] })).toEqual([]);
  });

  it('maps profile changes by attribute and subscription, or all profile readers', () => {
    expect(affectedSegments(segments, { kind: 'profile', attributes: ['country'] })).toEqual(['french', 'french-churners', 'rescue']);
    expect(affectedSegments(segments, { kind: 'profile', subscription: true })).toEqual(['optins']);
    expect(affectedSegments(segments, { kind: 'profile' })).toEqual(['french', 'french-churners', 'optins', 'rescue']);
  });

  it('knows which segments move with the clock, the control group or other memberships', () => {
    expect(affectedSegments(segments, { kind: 'clock' })).toEqual(['buyers', 'dormant', 'rescue']);
    expect(affectedSegments(segments, { kind: 'controlGroup' })).toEqual(['french-churners', 'rescue']);
    expect(affectedSegments(segments, { kind: 'segments', segmentIds: ['french'] })).toEqual(['french-churners', 'rescue']);
  });

  it('directlyAffected leaves out the readers (a commit that changes members signals them)', () => {
    expect(directlyAffected(segments, { kind: 'events', eventTypes: ['purchase'] })).toEqual(['buyers', 'dormant']);
    expect(directlyAffected(segments, { kind: 'profile' })).toEqual(['french', 'optins']);
  });
});
