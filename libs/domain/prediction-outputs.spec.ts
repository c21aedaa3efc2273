import { fromJsonText, toJsonText } from './prediction-outputs';

describe("a kind's own output stored as JSON text", () => {
  const items = [
    { p: 'p01', c: 'shoes', s: 0.42 },
    { p: 'p02', c: null, s: 0.1 },
  ];

  it('is stored as text and read back as the same value', () => {
    const stored = toJsonText(items);
    expect(typeof stored).toBe('string');
    expect(fromJsonText(stored)).toEqual(items);
    expect(fromJsonText(toJsonText([3, null, -0.08]))).toEqual([3, null, -0.08]);
  });

  it('is read from a score set written before the text form (the value itself)', () => {
    expect(fromJsonText(items)).toBe(items);
  });
});
