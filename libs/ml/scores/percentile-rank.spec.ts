import { percentileCutPoints, percentileRank } from './index';

describe('percentileCutPoints', () => {
  it('takes the sorted probability at each percentile k = 0..100', () => {
    const probs = Array.from({ length: 200 }, (_, i) => (199 - i) / 200);
    const cuts = percentileCutPoints(probs);
    expect(cuts).toHaveLength(101);
    expect([cuts[0], cuts[1], cuts[50], cuts[99], cuts[100]]).toEqual([0, 2 / 200, 100 / 200, 198 / 200, 199 / 200]);
  });

  it('is all zeros for an empty set and the one value for a single user', () => {
    expect(percentileCutPoints([])).toEqual(new Array(101).fill(0));
    expect(percentileCutPoints([0.3])).toEqual(new Array(101).fill(0.3));
  });
});

describe('percentileRank', () => {
  const cuts = percentileCutPoints(Array.from({ length: 100 }, (_, i) => i / 100));

  it('is the highest percentile whose cut point lies strictly below the probability', () => {
    expect([0, 0.005, 0.01, 0.015, 0.5, 0.505, 0.99, 1].map((p) => percentileRank(cuts, p))).toEqual([0, 0, 0, 1, 49, 50, 98, 100]);
  });

  it('gives tied users one percentile', () => {
    const tied = percentileCutPoints([0.2, 0.2, 0.2, 0.2, 0.9]);
    expect(percentileRank(tied, 0.2)).toBe(0);
    expect(percentileRank(tied, 0.9)).toBe(79);
  });
});
