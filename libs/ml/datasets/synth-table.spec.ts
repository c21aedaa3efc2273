import * as fs from 'fs';
import { sharedDataPath } from './shared-data';
import { makeSynthTableExact, makeSynthTable } from './synth-table';

describe('synthetic table port of make_synth.py', () => {
  const lines = fs.readFileSync(sharedDataPath('synth', 'synth_head_1000.csv'), 'utf8').trim().split('\n');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));

  it('reproduces the first 1,000 rows (features and label exactly, probability to the CSV precision)', () => {
    const t = makeSynthTableExact({ rows: 1000 });
    expect(rows).toHaveLength(1000);
    let probMaxRel = 0;
    for (let i = 0; i < 1000; i++) {
      for (let j = 0; j < 40; j++) {
        // %.17g round-trips a double, so features must match exactly.
        if (t.x[j * 1000 + i] !== rows[i][j]) throw new Error(`row ${i} feature ${j}: ${t.x[j * 1000 + i]} != ${rows[i][j]}`);
      }
      expect(t.y[i]).toBe(rows[i][40]);
      probMaxRel = Math.max(probMaxRel, Math.abs(t.prob[i] - rows[i][41]) / rows[i][41]);
    }
    // exp() may differ by an ulp between libms.
    expect(probMaxRel).toBeLessThan(1e-15);
    expect(t.y.reduce((a, b) => a + b, 0)).toBeGreaterThan(400);
  });

  it('starts at any row (counter-style), and float32 features are the rounded float64 ones', () => {
    const all = makeSynthTableExact({ rows: 30 });
    const tail = makeSynthTable({ rows: 10, start: 20 });
    for (let i = 0; i < 10; i++) {
      expect(tail.y[i]).toBe(all.y[20 + i]);
      expect(tail.prob[i]).toBe(all.prob[20 + i]);
      for (let j = 0; j < 40; j++) expect(tail.x[j * 10 + i]).toBe(Math.fround(all.x[j * 30 + 20 + i]));
    }
  });
});
