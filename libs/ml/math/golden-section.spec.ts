import { goldenSectionMinimize } from './golden-section';

describe('goldenSectionMinimize', () => {
  it('finds an interior minimum to the tolerance', () => {
    const { x, value } = goldenSectionMinimize((t) => (t - 1.234) ** 2 + 3, -10, 10, 1e-7);
    expect(x).toBeCloseTo(1.234, 6); // a quadratic is flat to double precision within ~1e-8
    expect(value).toBeCloseTo(3, 12);
  });

  it('approaches a minimum at an end of the interval', () => {
    expect(goldenSectionMinimize((t) => t, 2, 5, 1e-6).x).toBeCloseTo(2, 5);
    expect(goldenSectionMinimize((t) => -t, 2, 5, 1e-6).x).toBeCloseTo(5, 5);
  });

  it('rejects an empty interval', () => {
    expect(() => goldenSectionMinimize((t) => t, 1, 1)).toThrow(RangeError);
  });
});
