import { workflowIds } from './workflow-ids';

describe('workflowIds', () => {
  it('scopes every ID by the prefix the same way', () => {
    const ids = workflowIds('t-x1');
    expect(ids.importEvents('abc')).toBe('t-x1/import/abc');
    expect(ids.rescore('p_1', 3)).toBe('t-x1/rescore/p_1/v3');
    expect(ids.schedule('retrain', 'p_1')).toBe('t-x1/retrain:p_1');
    expect(ids.scheduledRun('rescore', 'p_1')).toBe('t-x1/rescore/p_1');
    const plain = workflowIds('');
    expect([plain.importEvents('abc'), plain.rescore('p_1', 3), plain.schedule('rescore', 'p_1')]).toEqual(['import/abc', 'rescore/p_1/v3', 'rescore:p_1']);
  });

  it('reads back only schedule IDs of its own scope', () => {
    expect(workflowIds('t-x1').parseSchedule('t-x1/rescore:p_1')).toEqual({ kind: 'rescore', predictionId: 'p_1' });
    expect(workflowIds('t-x1').parseSchedule('t-x2/rescore:p_1')).toBeNull();
    expect(workflowIds('t-x1').parseSchedule('rescore:p_1')).toBeNull();
    expect(workflowIds('').parseSchedule('retrain:p_1')).toEqual({ kind: 'retrain', predictionId: 'p_1' });
    expect(workflowIds('').parseSchedule('t-x1/retrain:p_1')).toBeNull();
    expect(workflowIds('').parseSchedule('segment:s_1')).toBeNull();
  });
});
