import { weekHourCounts } from './week-hour-counts';

const at = (iso: string) => Date.parse(iso);

describe('weekHourCounts', () => {
  it('counts opens and clicks by local weekday and hour, clicks weighing double', () => {
    const counts = weekHourCounts({
      timezone: 'America/New_York',
      events: [
        { type: 'email_open', ts: at('2024-01-08T14:10:00Z') }, // Monday 09:10 local
        { type: 'email_click', ts: at('2024-01-08T14:12:00Z') },
        { type: 'purchase', ts: at('2024-01-08T15:00:00Z'), amount: 20 },
        { type: 'email_open', ts: at('2024-01-10T01:30:00Z') }, // Tuesday 20:30 local
      ],
    });
    expect(Array.from(counts.cells)).toEqual([1 * 24 + 9, 2 * 24 + 20]);
    expect(Array.from(counts.events)).toEqual([2, 1]);
    expect(Array.from(counts.weights)).toEqual([3, 1]);
  });

  it('takes custom weights and ignores event types named like object members', () => {
    const events = [
      { type: 'constructor', ts: at('2024-01-07T10:00:00Z') },
      { type: 'app_open', ts: at('2024-01-07T11:00:00Z') },
    ];
    expect(Array.from(weekHourCounts({ events }).cells)).toEqual([]);
    const counts = weekHourCounts({ events }, { app_open: 0.5 });
    expect(Array.from(counts.cells)).toEqual([11]);
    expect(Array.from(counts.weights)).toEqual([0.5]);
  });
});
