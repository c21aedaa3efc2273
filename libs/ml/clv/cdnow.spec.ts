import { CDNOW_CALIBRATION_END_DAY, CDNOW_HOLDOUT_WEEKS, calibrationPurchases, loadCdnow, parseCdnow } from './cdnow';

describe('CDNOW sample under the paper conventions', () => {
  const cohort = loadCdnow();

  it('has 2,357 customers, 946 of them repeat buyers in calibration, 1,882 holdout purchase days', () => {
    expect(cohort.id.length).toBe(2357);
    expect(cohort.id[0]).toBe(1);
    expect(cohort.id[2356]).toBe(2357);
    expect(cohort.frequency.filter((x) => x > 0).length).toBe(946);
    expect(cohort.holdoutPurchases.reduce((s, h) => s + h, 0)).toBe(1882);
    expect(cohort.holdoutPurchases.filter((h) => h > 0).length).toBe(684);
    expect(CDNOW_HOLDOUT_WEEKS).toBe(39);
  });

  it('summarises customer 1 as lifetimes does (x=2, t_x=30.43, T=38.86, mean repeat spend 22.35)', () => {
    // 1997-01-01 $29.33, 01-18 $29.73, 08-02 $14.96 in calibration; 12-12 in the holdout.
    expect(cohort.frequency[0]).toBe(2);
    expect(cohort.recency[0]).toBeCloseTo(213 / 7, 12);
    expect(cohort.T[0]).toBeCloseTo(272 / 7, 12);
    expect(cohort.monetary[0]).toBeCloseTo((29.73 + 14.96) / 2, 12);
    expect(cohort.holdoutPurchases[0]).toBe(1);
    expect(Array.from(cohort.purchases[0].days)).toEqual([0, 17, 213, 345]);
    expect(Array.from(calibrationPurchases(cohort.purchases[0]).days)).toEqual([0, 17, 213]);
  });

  it('merges rows of one customer on one day into one purchase', () => {
    const text = [
      ' 00004 0001 19970101  2   29.33\r',
      ' 00004 0001 19970101  1   10.00\r',
      ' 00004 0001 19970930  1   5.00\r',
      ' 00004 0001 19970930  3   7.00\r',
      ' 00004 0001 19971001  1   1.00\r',
      '',
    ].join('\n');
    const one = parseCdnow(text);
    expect(Array.from(one.purchases[0].days)).toEqual([0, CDNOW_CALIBRATION_END_DAY, CDNOW_CALIBRATION_END_DAY + 1]);
    expect(Array.from(one.purchases[0].amounts)).toEqual([39.33, 12, 1]);
    expect(Array.from(one.purchases[0].cds)).toEqual([3, 4, 1]);
    expect(one.frequency[0]).toBe(1);
    expect(one.monetary[0]).toBe(12);
    expect(one.recency[0]).toBe(one.T[0]);
    expect(one.holdoutPurchases[0]).toBe(1);
  });

  it('keeps calibration summaries consistent with the raw purchases', () => {
    for (let i = 0; i < cohort.id.length; i++) {
      const cal = calibrationPurchases(cohort.purchases[i]);
      expect(cal.days.length).toBe(cohort.frequency[i] + 1);
      expect(cohort.recency[i]).toBeLessThanOrEqual(cohort.T[i]);
      expect(cal.days[0]).toBeLessThanOrEqual(83); // first purchases fall in 1997-01-01 … 03-25
    }
  });

  it('names the line of a malformed row', () => {
    expect(() => parseCdnow(' 00004 0001 19970101  2\r\n')).toThrow(/line 1: expected 5 columns/);
    expect(() => parseCdnow(' 00004 0001 1997-01-01  2  3.00\r\n')).toThrow(/line 1: bad date/);
  });
});
