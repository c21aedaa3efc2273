import { HistoryEvent } from '../domain/event';
import { summarizeEvents } from './event-summary';

const DAY = 86_400_000;
const now = Date.UTC(2025, 5, 1);
const ago = (days: number) => now - days * DAY;

describe('summarizeEvents', () => {
  const events: HistoryEvent[] = [
    { type: 'purchase', ts: ago(100), amount: 50 },
    { type: 'session', ts: ago(40) },
    { type: 'purchase', ts: ago(20), amount: 30 },
    { type: 'purchase', ts: ago(2), amount: 20 },
    { type: 'session', ts: ago(1) },
    { type: 'session', ts: now + DAY }, // after now: ignored
  ];

  it('counts and sums per type and for all types in each window, with the last time', () => {
    const s = summarizeEvents(events, now, [90, 7, 30, 7]);
    expect(s.windowsDays).toEqual([7, 30, 90]);
    expect(s.byType.purchase).toEqual({ lastTs: ago(2), counts: [1, 2, 2], sums: [20, 50, 50] });
    expect(s.byType.session).toEqual({ lastTs: ago(1), counts: [1, 1, 2], sums: [0, 0, 0] });
    expect(s.any).toEqual({ lastTs: ago(1), counts: [2, 3, 4], sums: [20, 50, 50] });
  });

  it('gives the same summary whatever the order of the events', () => {
    expect(summarizeEvents([...events].reverse(), now, [7, 30, 90])).toEqual(summarizeEvents(events, now, [7, 30, 90]));
  });

  it('includes an event exactly at a window start and at now', () => {
    const s = summarizeEvents([{ type: 'x', ts: ago(30) }, { type: 'x', ts: now }], now, [30]);
    expect(s.byType.x.counts).toEqual([2]);
  });

  it('keeps the last time even without windows, and nothing for a user without events', () => {
    expect(summarizeEvents(events, now, []).byType.purchase).toEqual({ lastTs: ago(2), counts: [], sums: [] });
    expect(summarizeEvents([], now, [7])).toEqual({ windowsDays: [7], byType: {}, any: { lastTs: null, counts: [0], sums: [0] } });
  });

  it('is safe for event types named like Object members', () => {
    const s = summarizeEvents([{ type: 'constructor', ts: ago(1) }], now, [7]);
    expect(s.byType.constructor).toEqual({ lastTs: ago(1), counts: [1], sums: [0] });
    expect(Object.keys(s.byType)).toEqual(['constructor']);
  });
});
