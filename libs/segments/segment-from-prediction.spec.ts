import { segmentDefinitionSchema } from './segment-definition.schema';
import { segmentFromPrediction, segmentFromPredictionSchema } from './segment-from-prediction';

const build = (input: unknown, name?: string) => segmentFromPrediction(segmentFromPredictionSchema.parse(input), name);
const p = 'p_0123456789ab';

describe('segmentFromPrediction', () => {
  it('turns a score range (a histogram bar, the audience slider cut) into a segment', () => {
    expect(build({ predictionId: p, score: { min: 70, max: 100 } }, 'Churn')).toEqual({
      name: 'Churn: score 70-100',
      definition: { type: 'and', conditions: [{ type: 'predictionScore', predictionId: p, min: 70, max: 100 }] },
    });
  });

  it('turns categories into a segment, in category order', () => {
    expect(build({ predictionId: p, category: ['High', 'Medium'] })).toEqual({
      name: `${p}: Medium or High`,
      definition: { type: 'and', conditions: [{ type: 'predictionCategory', predictionId: p, categories: ['Medium', 'High'] }] },
    });
    expect(build({ predictionId: p, category: 'High', name: 'Hot leads' }).name).toBe('Hot leads');
  });

  it('turns a percentile band into a segment, named like the analytics view', () => {
    expect(build({ predictionId: p, percentile: { min: 90, max: 100 } }, 'Purchase')).toEqual({
      name: 'Purchase: top 10%',
      definition: { type: 'and', conditions: [{ type: 'predictionPercentile', predictionId: p, min: 90, max: 100 }] },
    });
    expect(build({ predictionId: p, percentile: { min: 0, max: 20 } }, 'Purchase').name).toBe('Purchase: bottom 20%');
    expect(build({ predictionId: p, percentile: { min: 40, max: 60 } }, 'Purchase').name).toBe('Purchase: percentile 40-60');
  });

  it('builds definitions the definition schema accepts', () => {
    for (const input of [{ score: { min: 0, max: 0 } }, { category: 'Low' }, { percentile: { min: 99.5, max: 100 } }]) {
      const { definition } = build({ predictionId: p, ...input });
      expect(segmentDefinitionSchema.parse(definition)).toEqual(definition);
    }
  });

  it('refuses anything but exactly one band, naming the field', () => {
    const issues = (input: unknown) => {
      const r = segmentFromPredictionSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message }));
    };
    expect(issues({ predictionId: p })).toEqual([{ field: '', reason: 'give exactly one of score, category, percentile (got none)' }]);
    expect(issues({ predictionId: p, category: 'High', score: { min: 1, max: 2 } })).toEqual([{ field: '', reason: 'give exactly one of score, category, percentile (got score, category)' }]);
    expect(issues({ predictionId: p, score: { min: 80, max: 70 } })).toEqual([{ field: 'score.min', reason: 'min must not exceed max' }]);
    expect(issues({ predictionId: p, score: { min: 80, max: 100, $gt: 1 } })[0].field).toBe('score');
    expect(issues({ predictionId: '$where', category: 'High' })[0].field).toBe('predictionId');
  });
});
