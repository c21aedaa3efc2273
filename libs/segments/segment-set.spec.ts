import { SegmentSubject } from '../domain/segment-subject';
import { compileSegmentSet } from './segment-set';
import { StoredSegment } from './segment-graph';

const segments: StoredSegment[] = [
  { id: 'rescue', definition: { type: 'or', conditions: [{ type: 'segment', segmentId: 'churners' }, { type: 'segment', segmentId: 'complainers' }] } },
  { id: 'churners', definition: { type: 'predictionScore', predictionId: 'p1', min: 70, max: 100 } },
  { id: 'calm', definition: { type: 'segment', segmentId: 'rescue', negate: true } },
];
const user = (score: number, segments?: string[]): SegmentSubject => ({ userId: 'u', now: 0, scores: { p1: { score, probability: score / 100, category: 'High' } }, segments });

describe('compileSegmentSet', () => {
  const set = compileSegmentSet(segments);

  it('evaluates in dependency order, feeding fresh memberships forward', () => {
    expect(set.order).toEqual(['churners', 'rescue', 'calm']);
    expect(set.membersOf(user(80, []))).toEqual(['churners', 'rescue']);
    expect(set.membersOf(user(10, []))).toEqual(['calm']);
  });

  it('takes memberships outside the set from the subject, ignoring stale ones inside it', () => {
    expect(set.membersOf(user(10, ['complainers', 'churners']))).toEqual(['rescue']);
  });

  it('reports what the whole set reads, memberships outside the set only', () => {
    expect(set.dependencies).toMatchObject({ predictions: [{ predictionId: 'p1', reads: ['score'] }], segments: ['complainers'], subjectParts: ['scores', 'segments'] });
    expect(compileSegmentSet(segments.slice(1, 2)).dependencies.subjectParts).toEqual(['scores']);
    expect(compileSegmentSet([segments[1], { id: 'x', definition: { type: 'segment', segmentId: 'churners' } }]).dependencies.subjectParts).toEqual(['scores']);
  });

  it('needs the subject memberships only when the set reads segments outside it', () => {
    expect(() => set.membersOf(user(10))).toThrow('the subject of user u has no segment memberships, and the set reads complainers');
    expect(compileSegmentSet(segments.slice(1, 2)).membersOf(user(90))).toEqual(['churners']);
  });

  it('refuses a cycle inside the set', () => {
    expect(() =>
      compileSegmentSet([
        { id: 'a', definition: { type: 'segment', segmentId: 'b' } },
        { id: 'b', definition: { type: 'segment', segmentId: 'a' } },
      ]),
    ).toThrow('segments read each other in a cycle: a → b → a');
  });
});
