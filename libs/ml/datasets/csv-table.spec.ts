import { loadCsvTable, parseCsvTable } from './csv-table';
import { sharedDataPath } from './shared-data';

describe('csv table loader', () => {
  it('codes factors, parses numbers, maps missing to NaN and yes/no labels', () => {
    const t = parseCsvTable('"plan","n","note","churn"\r\n"b",1.5,"x, y","Yes"\r\n"a",,"NA","no"\r\n"b",NA,"",no\r\n', { label: 'churn' });
    expect(t.n).toBe(3);
    expect(t.featureNames).toEqual(['plan', 'n', 'note']);
    expect(t.categoricalFeatures).toEqual([0, 2]);
    expect(t.levels).toEqual([['a', 'b'], null, ['x, y']]);
    expect(Array.from(t.x)).toEqual([1, 0, 1, 1.5, NaN, NaN, 0, NaN, NaN]);
    expect(Array.from(t.y)).toEqual([1, 0, 0]);
  });

  it('rejects a label that is not yes/no', () => {
    expect(() => parseCsvTable('a,y\n1,maybe\n', { label: 'y' })).toThrow(/not yes\/no/);
  });

  it('loads the shared churn tables', () => {
    const mlc = loadCsvTable(sharedDataPath('mlc_churn.csv'), { label: 'churn' });
    expect([mlc.n, mlc.p]).toEqual([5000, 19]);
    expect(mlc.categoricalFeatures.map((j) => mlc.featureNames[j])).toEqual(['state', 'area_code', 'international_plan', 'voice_mail_plan']);
    expect(mlc.levels[0]).toHaveLength(51);
    expect(mlc.y.reduce((a, b) => a + b, 0)).toBe(707);
    const wa = loadCsvTable(sharedDataPath('wa_churn.csv'), { label: 'churn' });
    expect([wa.n, wa.p]).toEqual([7043, 19]);
    const tc = wa.featureNames.indexOf('total_charges');
    expect(Array.from(wa.x.subarray(tc * wa.n, (tc + 1) * wa.n)).filter(Number.isNaN)).toHaveLength(11);
    expect(wa.y.reduce((a, b) => a + b, 0)).toBe(1869);
  });
});
