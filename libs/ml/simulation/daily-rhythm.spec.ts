import { DailyRhythm } from './daily-rhythm';

describe('DailyRhythm', () => {
  it('fractionAt inverts shareBefore', () => {
    const rhythm = DailyRhythm.around(20);
    for (let u = 0; u < 1; u += 0.013) expect(rhythm.shareBefore(rhythm.fractionAt(u))).toBeCloseTo(u, 12);
    expect(rhythm.shareBefore(0)).toBe(0);
    expect(rhythm.shareBefore(1)).toBe(1);
  });

  it('puts most activity around the preferred hour, wrapping past midnight', () => {
    const share = (rhythm: DailyRhythm, fromHour: number, toHour: number): number =>
      rhythm.shareBefore(toHour / 24) - rhythm.shareBefore(fromHour / 24);
    expect(share(DailyRhythm.around(8), 6, 11)).toBeGreaterThan(0.6);
    const nearMidnight = DailyRhythm.around(23);
    expect(share(nearMidnight, 21, 24) + share(nearMidnight, 0, 2)).toBeGreaterThan(0.55);
  });
});
