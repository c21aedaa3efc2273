import { simulatePopulation } from './generate-users';

const population = simulatePopulation({ seed: 99, users: 3_000, now: Date.UTC(2025, 3, 2, 8, 0) });
const formatters = new Map<string, Intl.DateTimeFormat>();

function localHour(ts: number, timezone: string): number {
  let f = formatters.get(timezone);
  if (!f) formatters.set(timezone, (f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' })));
  const [h, m] = f.format(ts).split(':').map(Number);
  return h + m / 60;
}

/** Distance in hours around the clock. */
function hoursApart(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return Math.min(d, 24 - d);
}

describe('campaign emails', () => {
  const emails = population.flatMap((u) =>
    u.history.events.concat(u.futureEvents).flatMap((e) => (e.type.startsWith('email_') ? [{ u, e }] : [])),
  );

  it('go out at 10:00-10:15 local time', () => {
    const sends = emails.filter(({ e }) => e.type === 'email_sent');
    expect(sends.length).toBeGreaterThan(50_000);
    const offSchedule = sends.filter(({ u, e }) => {
      const h = localHour(e.ts, u.profile.timezone);
      return h < 10 || h > 10.25;
    });
    expect(offSchedule).toEqual([]);
  });

  it('are mostly opened within 2 hours of the preferred local hour', () => {
    const opens = emails.filter(({ e }) => e.type === 'email_open');
    const near = (toHour: (ts: number, timezone: string) => number) =>
      opens.filter(({ u, e }) => hoursApart(toHour(e.ts, u.profile.timezone), u.profile.preferredHour + 0.5) <= 2).length /
      opens.length;
    const local = near(localHour);
    // The same clock read in UTC scatters: the clustering is in each user's own time zone.
    const utc = near((ts) => localHour(ts, 'UTC'));
    console.log(`${opens.length} opens: ${(100 * local).toFixed(1)}% within 2h of the preferred local hour (${(100 * utc).toFixed(1)}% in UTC)`);
    expect(local).toBeGreaterThan(0.8);
    expect(utc).toBeLessThan(0.5);
  });

  it('get more opens and clicks from more engaged users', () => {
    const byEngagement = [...population].sort((a, b) => a.latent.engagement - b.latent.engagement);
    const rate = (users: typeof population, type: string) => {
      const count = (t: string) => users.reduce((n, u) => n + u.history.events.filter((e) => e.type === t && (u.churnedAt ?? Infinity) > e.ts).length, 0);
      return count(type) / count('email_sent');
    };
    const low = byEngagement.slice(0, 1000);
    const high = byEngagement.slice(-1000);
    expect(rate(high, 'email_open')).toBeGreaterThan(2 * rate(low, 'email_open'));
    expect(rate(high, 'email_click')).toBeGreaterThan(2 * rate(low, 'email_click'));
  });
});
