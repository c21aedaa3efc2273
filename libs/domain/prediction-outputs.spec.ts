import { storeRecommendations, storedRecommendations } from './prediction-outputs';

describe('stored recommendations', () => {
  const items = [
    { p: 'p01', c: 'shoes', s: 0.42 },
    { p: 'p02', c: null, s: 0.1 },
  ];

  it('are stored as text and read back as the same list, in order', () => {
    const stored = storeRecommendations(items);
    expect(typeof stored).toBe('string');
    expect(storedRecommendations(stored)).toEqual(items);
  });

  it('are read from a score set written before the text form (the array itself)', () => {
    expect(storedRecommendations(items)).toEqual(items);
  });
});
