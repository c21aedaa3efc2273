import { SegmentNode } from '../domain/segment-definition';
import { SegmentCatalogue } from './definition-references';
import { SEGMENT_EXAMPLES } from './segment-examples';
import { validateSegmentDefinition } from './validate-segment-definition';

const reads = (...ids: string[]): SegmentNode => ({ type: 'and', conditions: ids.map((segmentId) => ({ type: 'segment' as const, segmentId })) });
const catalogue: SegmentCatalogue = {
  predictions: [
    { id: 'p_0123456789ab', status: 'active' },
    { id: 'p_preview', status: 'preview' },
    { id: 'p_archived', status: 'active', archived: true },
    { id: 'p_churn', status: 'active', type: 'churn' },
    { id: 'p_clv', status: 'active', type: 'clv' },
  ],
  segments: [
    { id: 's_recent_complaints', definition: { type: 'attributeExists', attribute: 'complaint' } },
    { id: 's_a', definition: reads('s_b') },
    { id: 's_b', definition: reads('s_c') },
    { id: 's_c', definition: { type: 'controlGroup' } },
  ],
};
const score = (predictionId: string): SegmentNode => ({ type: 'predictionScore', predictionId, min: 50, max: 100 });

describe('validateSegmentDefinition', () => {
  it('accepts a valid definition and returns it with what it reads', () => {
    const r = validateSegmentDefinition(SEGMENT_EXAMPLES.winBack, catalogue);
    expect(r).toMatchObject({ ok: true, definition: SEGMENT_EXAMPLES.winBack, dependencies: { segments: ['s_recent_complaints'], controlGroup: true } });
  });

  it('names fields from the body root, or "(body)" for the definition itself', () => {
    expect(validateSegmentDefinition({ $where: 'x' }, catalogue, { at: 'definition' })).toEqual({
      ok: false,
      errors: [{ field: 'definition.$where', reason: 'operators are not accepted ($where): use the documented condition types' }],
    });
    expect(validateSegmentDefinition('all users', catalogue)).toEqual({ ok: false, errors: [{ field: '(body)', reason: expect.stringContaining('Expected object') }] });
  });

  it('refuses predictions that are unknown, in preview or archived, saying why', () => {
    const r = validateSegmentDefinition({ type: 'or', conditions: [score('p_none'), score('p_preview'), score('p_archived'), score('p_0123456789ab')] }, catalogue, { at: 'definition' });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'definition.conditions.0.predictionId', reason: 'no prediction p_none' },
        { field: 'definition.conditions.1.predictionId', reason: 'prediction p_preview is in preview: a preview prediction feeds no segment; make it active first' },
        { field: 'definition.conditions.2.predictionId', reason: 'prediction p_archived is archived: it is no longer rescored' },
      ],
    });
  });

  it('refuses a model-output condition on a prediction of another type, when the catalogue gives types', () => {
    const def: SegmentNode = { type: 'and', conditions: [{ type: 'clvTier', predictionId: 'p_clv', tiers: ['high'] }, { type: 'clvTier', predictionId: 'p_churn', tiers: ['high'] }, { type: 'topRecommendation', predictionId: 'p_clv', productId: 'x' }] };
    expect(validateSegmentDefinition(def, catalogue)).toEqual({
      ok: false,
      errors: [
        { field: 'conditions.1.predictionId', reason: 'prediction p_churn is a churn prediction: clvTier reads a clv prediction' },
        { field: 'conditions.2.predictionId', reason: 'prediction p_clv is a clv prediction: topRecommendation reads a recommendation prediction' },
      ],
    });
  });

  it('refuses unknown segments and reading itself', () => {
    expect(validateSegmentDefinition(reads('s_nope'), catalogue)).toEqual({ ok: false, errors: [{ field: 'conditions.0.segmentId', reason: 'no segment s_nope' }] });
    expect(validateSegmentDefinition(reads('s_c'), catalogue, { segmentId: 's_c' })).toEqual({
      ok: false,
      errors: [{ field: 'conditions.0.segmentId', reason: 'a segment cannot contain itself (s_c → s_c)' }],
    });
  });

  it('refuses a cycle through other segments, naming the path', () => {
    // s_a reads s_b reads s_c: s_c may not start reading s_a.
    expect(validateSegmentDefinition(reads('s_recent_complaints', 's_a'), catalogue, { segmentId: 's_c' })).toEqual({
      ok: false,
      errors: [{ field: 'conditions.1.segmentId', reason: 'membership cycle: s_c → s_a → s_b → s_c' }],
    });
    // A new segment cannot be in a cycle (nothing reads it yet) and may read the whole chain.
    expect(validateSegmentDefinition(reads('s_a'), catalogue).ok).toBe(true);
    // Replacing s_b's definition drops its old reads: s_c may then read s_b... unless s_b reads s_c.
    expect(validateSegmentDefinition(reads('s_recent_complaints'), catalogue, { segmentId: 's_b' }).ok).toBe(true);
  });

  it('bounds the length of membership chains', () => {
    const chain = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, definition: i === 11 ? { type: 'controlGroup' as const } : reads(`s${i + 1}`) }));
    const c: SegmentCatalogue = { predictions: [], segments: chain };
    expect(validateSegmentDefinition(reads('s3'), c).ok).toBe(true);
    expect(validateSegmentDefinition(reads('s2'), c)).toEqual({
      ok: false,
      errors: [{ field: 'conditions.0.segmentId', reason: 'membership chain too long: (this segment) → s2 → s3 → s4 → s5 → s6 → s7 → s8 → s9 → s10 → s11 (at most 10 segments)' }],
    });
  });

  it('reports a cycle already stored among other segments instead of looping', () => {
    const c: SegmentCatalogue = { predictions: [], segments: [{ id: 'x', definition: reads('y') }, { id: 'y', definition: reads('x') }] };
    expect(validateSegmentDefinition(reads('x'), c)).toEqual({
      ok: false,
      errors: [{ field: 'conditions.0.segmentId', reason: 'segment x cannot be read: segments read each other in a cycle through x' }],
    });
  });
});
