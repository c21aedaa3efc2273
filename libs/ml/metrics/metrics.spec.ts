import { brierScore, calibrationTable, liftQuality, liftQualityGrade, logLoss, prAuc, quantileCuts, rocAuc, thresholdTable } from './index';

// Shared tiny holdout: sorted by score, labels read 1, 0, 1, 0 from the top.
const LABELS = [0, 0, 1, 1];
const SCORES = [0.1, 0.4, 0.35, 0.8];

describe('rocAuc', () => {
  it('counts correctly ordered positive/negative pairs', () => {
    // Pairs (pos, neg): (0.35,0.1) win, (0.35,0.4) lose, (0.8,*) win twice -> 3/4.
    expect(rocAuc(LABELS, SCORES)).toBeCloseTo(0.75, 12);
  });

  it('counts tied pairs as one half', () => {
    // pos 0.5 vs neg 0.5 tie (1/2), pos 0.5 vs neg 0.2 win, pos 0.9 wins both -> 3.5/4.
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.9, 0.2])).toBeCloseTo(0.875, 12);
    expect(rocAuc([1, 0, 1, 0], [3, 3, 3, 3])).toBe(0.5);
  });

  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc([0, 1, 0, 1], [1, 2, 1, 2])).toBe(1);
    expect(rocAuc([0, 1, 0, 1], [2, 1, 2, 1])).toBe(0);
  });

  it('accepts typed arrays', () => {
    expect(rocAuc(Uint8Array.from(LABELS), Float32Array.from(SCORES))).toBeCloseTo(0.75, 12);
  });

  it('rejects single-class, mismatched and invalid inputs clearly', () => {
    expect(() => rocAuc([1, 1, 1], [0.1, 0.2, 0.3])).toThrow('rocAuc: all 3 labels are positive; needs at least one negative');
    expect(() => rocAuc([0, 0], [0.1, 0.2])).toThrow('all 2 labels are negative');
    expect(() => rocAuc([0, 1], [0.1])).toThrow('2 labels but 1 predictions');
    expect(() => rocAuc([0, 2], [0.1, 0.2])).toThrow('label at index 1 is 2');
    expect(() => rocAuc([0, 1], [0.1, NaN])).toThrow('prediction at index 1 is NaN');
    expect(() => rocAuc([], [])).toThrow('rocAuc: no examples');
  });
});

describe('prAuc (average precision)', () => {
  it('sums recall steps times precision', () => {
    // Top 1: P=1, R=1/2; top 3: P=2/3, R=1 -> 1/2*1 + 1/2*2/3 = 5/6.
    expect(prAuc(LABELS, SCORES)).toBeCloseTo(5 / 6, 12);
  });

  it('treats a tie as one step', () => {
    // Group {0.9: 1, 0}: P=1/2, R=1/2; then {0.1: 1}: P=2/3, R=1 -> 1/4 + 1/3.
    expect(prAuc([1, 0, 1], [0.9, 0.9, 0.1])).toBeCloseTo(7 / 12, 12);
  });

  it('is 1 when every example is positive and throws with none', () => {
    expect(prAuc([1, 1], [0.2, 0.7])).toBe(1);
    expect(() => prAuc([0, 0], [0.2, 0.7])).toThrow('prAuc: all 2 labels are negative; needs at least one positive');
  });
});

describe('logLoss', () => {
  it('is the mean negative log-likelihood', () => {
    expect(logLoss([1, 0], [0.9, 0.1])).toBeCloseTo(-Math.log(0.9), 12);
    expect(logLoss([1, 0, 1], [0.5, 0.5, 0.5])).toBeCloseTo(Math.log(2), 12);
  });

  it('clips certain mistakes to a finite loss', () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 6);
    expect(logLoss([1, 0], [1, 0])).toBeCloseTo(-Math.log(1 - 1e-15), 12);
  });

  it('works on a single-class holdout and rejects non-probabilities', () => {
    expect(logLoss([1, 1], [0.5, 0.5])).toBeCloseTo(Math.log(2), 12);
    expect(() => logLoss([1], [1.5])).toThrow('probability at index 0 is 1.5');
  });
});

describe('brierScore', () => {
  it('is the mean squared error of the probabilities', () => {
    // (0.1^2 + 0.4^2 + 0.65^2 + 0.2^2) / 4
    expect(brierScore(LABELS, SCORES)).toBeCloseTo((0.01 + 0.16 + 0.4225 + 0.04) / 4, 12);
  });
});

describe('calibrationTable', () => {
  it('bins by predicted probability and reports empty bins as null', () => {
    const table = calibrationTable([0, 1, 1, 0, 1], [0.1, 0.15, 0.7, 0.75, 1], 4);
    expect(table).toEqual([
      { bin: 0, lower: 0, upper: 0.25, count: 2, meanPredicted: 0.125, observedRate: 0.5 },
      { bin: 1, lower: 0.25, upper: 0.5, count: 0, meanPredicted: null, observedRate: null },
      { bin: 2, lower: 0.5, upper: 0.75, count: 1, meanPredicted: 0.7, observedRate: 1 },
      // 1.0 belongs to the last bin.
      { bin: 3, lower: 0.75, upper: 1, count: 2, meanPredicted: 0.875, observedRate: 0.5 },
    ]);
  });

  it('defaults to 10 bins and rejects a bad bin count', () => {
    expect(calibrationTable([0], [0.5])).toHaveLength(10);
    expect(() => calibrationTable([0], [0.5], 0)).toThrow('bins must be a positive integer');
  });
});

describe('liftQuality', () => {
  it('places the gains-curve area between random and perfect', () => {
    // Gains points (0,0) (1/4,1/2) (1/2,1/2) (3/4,1) (1,1): area 5/8; random 1/2; perfect 1 - (1/2)/2 = 3/4.
    expect(liftQuality(LABELS, SCORES)).toEqual({ percent: 50, grade: 'Good' });
  });

  it('is 100 for a perfect ranking, 0 when all scores tie, -100 when reversed', () => {
    expect(liftQuality([1, 0, 0, 0], [0.9, 0.1, 0.2, 0.3]).percent).toBeCloseTo(100, 10);
    expect(liftQuality([1, 0, 0, 0], [0.5, 0.5, 0.5, 0.5])).toEqual({ percent: 0, grade: 'Poor' });
    expect(liftQuality([1, 0, 0, 0], [0.1, 0.9, 0.8, 0.7]).percent).toBeCloseTo(-100, 10);
  });

  it('interpolates across ties', () => {
    // Sorted groups: {0.9: 1}, {0.5: 1, 0, 0}, {0.1: 0}; n=5, P=2.
    // Area = 1/5*(0+1/2)/2 + 3/5*(1/2+1)/2 + 1/5*1 = 0.05 + 0.45 + 0.2 = 0.7; perfect = 0.8.
    expect(liftQuality([1, 1, 0, 0, 0], [0.9, 0.5, 0.5, 0.5, 0.1]).percent).toBeCloseTo(66.6666666667, 8);
  });

  it('needs both classes', () => {
    expect(() => liftQuality([1, 1], [0.1, 0.2])).toThrow('liftQuality: all 2 labels are positive');
  });

  it.each([
    [-5, 'Poor'],
    [19.99, 'Poor'],
    [20, 'Fair'],
    [39.9, 'Fair'],
    [40, 'Good'],
    [60, 'Excellent'],
    [100, 'Excellent'],
  ] as const)('grades %d as %s', (percent, grade) => {
    expect(liftQualityGrade(percent)).toBe(grade);
  });
});

describe('thresholdTable', () => {
  const labels = [1, 0, 1, 0, 0, 1];
  const scores = [90, 80, 80, 40, 10, 5];

  it('reports audience, precision, recall and false-positive rate at each cut', () => {
    expect(thresholdTable(labels, scores, [0, 50, 80, 81, 95])).toEqual([
      { cut: 0, audienceCount: 6, audienceShare: 1, precision: 0.5, recall: 1, falsePositiveRate: 1 },
      { cut: 50, audienceCount: 3, audienceShare: 0.5, precision: 2 / 3, recall: 2 / 3, falsePositiveRate: 1 / 3 },
      // The cut is inclusive, so both tied 80s enter together.
      { cut: 80, audienceCount: 3, audienceShare: 0.5, precision: 2 / 3, recall: 2 / 3, falsePositiveRate: 1 / 3 },
      { cut: 81, audienceCount: 1, audienceShare: 1 / 6, precision: 1, recall: 1 / 3, falsePositiveRate: 0 },
      { cut: 95, audienceCount: 0, audienceShare: 0, precision: null, recall: 0, falsePositiveRate: 0 },
    ]);
  });

  it('defaults to every integer score 0..100', () => {
    const table = thresholdTable(labels, scores);
    expect(table.map((r) => r.cut)).toEqual(Array.from({ length: 101 }, (_, s) => s));
    expect(table[6].audienceCount).toBe(5);
  });

  it('needs both classes', () => {
    expect(() => thresholdTable([0, 0], [1, 2])).toThrow('thresholdTable: all 2 labels are negative');
  });
});

describe('quantileCuts', () => {
  it('cuts at score quantiles and drops duplicates from ties', () => {
    expect(quantileCuts([40, 10, 30, 20], 4)).toEqual([10, 20, 30, 40]);
    expect(quantileCuts([5, 5, 5, 9], 4)).toEqual([5, 9]);
  });
});
