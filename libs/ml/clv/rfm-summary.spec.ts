import { DAY_MS, WEEK_MS, rfmSummary, rfmSummaryOfEvents } from './rfm-summary';

const day = (d: number, hour = 0) => Date.UTC(2024, 0, 1) + d * DAY_MS + hour * 3_600_000;

describe('rfmSummary', () => {
  it('counts purchase days after the first, in the requested unit', () => {
    const s = rfmSummary([day(0, 9), day(0, 18), day(7, 12), day(21, 8)], [10, 5, 20, 40], day(28, 23), {
      unitMs: WEEK_MS,
    });
    expect(s).toEqual({ frequency: 2, recency: 3, T: 4, monetary: 30 });
  });

  it('ignores purchases after the cutoff and returns null without a purchase by then', () => {
    const times = [day(10), day(12), day(30)];
    expect(rfmSummary(times, [1, 2, 3], day(20), { unitMs: DAY_MS })).toEqual({
      frequency: 1,
      recency: 2,
      T: 10,
      monetary: 2,
    });
    expect(rfmSummary(times, [1, 2, 3], day(5), { unitMs: DAY_MS })).toBeNull();
  });

  it('groups by periods shifted by an offset, e.g. local days', () => {
    // 23:30 UTC and 00:30 UTC the next day are the same day at UTC-2.
    const times = [day(0, 23.5), day(1, 0.5)];
    expect(rfmSummary(times, [1, 1], day(3), { unitMs: DAY_MS })!.frequency).toBe(1);
    expect(rfmSummary(times, [1, 1], day(3), { unitMs: DAY_MS, offsetMs: -2 * 3_600_000 })!.frequency).toBe(0);
  });

  it('rejects unordered times and misaligned amounts', () => {
    expect(() => rfmSummary([day(2), day(1)], [1, 1], day(3), { unitMs: DAY_MS })).toThrow(/ascending/);
    expect(() => rfmSummary([day(1)], [], day(3), { unitMs: DAY_MS })).toThrow(/amounts/);
  });
});

describe('rfmSummaryOfEvents', () => {
  it('uses only purchase events of a history', () => {
    const events = [
      { type: 'email_open', ts: day(0) },
      { type: 'purchase', ts: day(1), amount: 12 },
      { type: 'session', ts: day(2) },
      { type: 'purchase', ts: day(8), amount: 30 },
    ];
    expect(rfmSummaryOfEvents(events, day(15), { unitMs: WEEK_MS })).toEqual({
      frequency: 1,
      recency: 1,
      T: 2,
      monetary: 30,
    });
  });
});
