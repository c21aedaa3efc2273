import { fitSendTimePrior } from './population-prior';
import { sendTimeProfile } from './send-time-profile';
import { storedSendTimeProfile, storedWeekHours } from './stored-profile';
import { weekHourCounts } from './week-hour-counts';

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2024, 0, 1);

describe('storedSendTimeProfile', () => {
  it('stores the posterior week profile compactly, best hours per weekday where the events support them', () => {
    // Mondays at 07:xx, other weekdays at 21:xx (Tokyo time), many weeks.
    const events = [];
    for (let week = 0; week < 12; week++) {
      for (let d = 0; d < 7; d++) {
        const localHour = d === 0 ? 7 : 21;
        events.push({ type: 'email_open', ts: MONDAY + (week * 7 + d) * 24 * HOUR + localHour * HOUR + 20 * 60_000 - 9 * HOUR });
      }
    }
    const user = { timezone: 'Asia/Tokyo', events };
    const prior = fitSendTimePrior([weekHourCounts(user)]);
    const stored = storedSendTimeProfile(prior, user, 42);
    const profile = sendTimeProfile(prior, weekHourCounts(user));
    expect(stored.bestHour).toBe(21);
    expect(stored.bestHourByWeekday).toEqual([21, 7, 21, 21, 21, 21, 21]); // weekday 1 = Monday
    expect(stored.bestHourByWeekday).toEqual(Array.from(profile.bestHourByWeekday));
    expect(stored.events).toBe(84);
    expect(stored.computedAt).toBe(42);
    expect(stored.weekHours.length).toBe(224); // 168 bytes in base64
    const cells = storedWeekHours(stored);
    expect(Math.max(...cells)).toBe(255);
    expect(cells[1 * 24 + 7]).toBeGreaterThan(cells[1 * 24 + 12]);
  });

  it('falls back to the population’s profile without events', () => {
    const stored = storedSendTimeProfile(fitSendTimePrior([]), { events: [] }, 0);
    expect(stored.confidence).toBe(0);
    expect(stored.events).toBe(0);
    expect(storedWeekHours(stored).every((c) => c === 255)).toBe(true);
  });
});
