import { percentileInSorted, percentileRanks, sortedReference } from './index';

describe('percentileRanks', () => {
  it('is the percent of the population scoring strictly lower; ties share a percentile', () => {
    expect(Array.from(percentileRanks([30, 10, 20, 20, 40]))).toEqual([60, 0, 20, 20, 80]);
  });

  it('rejects non-finite values', () => {
    expect(() => percentileRanks([1, NaN])).toThrow('value at index 1 is NaN');
  });
});

describe('percentileInSorted', () => {
  const reference = sortedReference([30, 10, 20, 20, 40]);

  it('scores new values against a stored reference, consistently with percentileRanks', () => {
    expect([5, 10, 15, 20, 35, 40, 99].map((v) => percentileInSorted(reference, v))).toEqual([0, 0, 20, 20, 80, 80, 100]);
  });

  it('rejects an empty reference', () => {
    expect(() => percentileInSorted([], 1)).toThrow('empty reference');
  });
});
