import { scoreCategory } from './index';

describe('scoreCategory', () => {
  it('uses Low < 50 <= Medium < 75 <= High by default', () => {
    expect([0, 49, 50, 74, 75, 100].map((s) => scoreCategory(s))).toEqual(['Low', 'Low', 'Medium', 'Medium', 'High', 'High']);
  });

  it('accepts custom cut points and rejects inconsistent ones', () => {
    expect(scoreCategory(30, { medium: 20, high: 40 })).toBe('Medium');
    expect(() => scoreCategory(30, { medium: 60, high: 40 })).toThrow('0 <= medium <= high <= 100');
  });
});
