import { likelihoodScore } from './index';

describe('likelihoodScore', () => {
  it('is the rounded probability in percent', () => {
    expect([0, 0.004, 0.005, 0.5, 0.744, 0.999, 1].map(likelihoodScore)).toEqual([0, 0, 1, 50, 74, 100, 100]);
  });

  it('rejects values that are not probabilities', () => {
    expect(() => likelihoodScore(1.2)).toThrow('likelihoodScore: probability must be in [0, 1], got 1.2');
    expect(() => likelihoodScore(NaN)).toThrow('got NaN');
  });
});
