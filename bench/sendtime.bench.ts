/**
 * bench:sendtime — how often the recommended send hour is within ±1 h of a user's true preferred
 * hour, on the simulated population (libs/ml/simulation: each user has a known preferred local
 * hour; opens cluster around it), for users with 1–4 and with 5+ engagement events (opens and
 * clicks), next to Braze's rule measured in the same run: the user's most-engaged local hour with
 * at least 5 events, else the population's most-engaged hour. Usage:
 *   node dist/bench/sendtime.bench.js [users] [seed]      (default 20000 users, seed 1)
 */
import { HOURS_PER_DAY, fitSendTimePrior, hourOf, storedSendTimeProfile, weekHourCounts } from '../libs/ml/send-time';
import { generateUsers } from '../libs/ml/simulation';

const NOW = Date.UTC(2026, 0, 1);
const HISTORY_DAYS = 180;
const BRAZE_MIN_EVENTS = 5;
const ENGAGEMENT = new Set(['email_open', 'email_click']);

const argmax = (values: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
};
const withinAnHour = (a: number, b: number) => Math.min((a - b + 24) % 24, (b - a + 24) % 24) <= 1;

function main(): void {
  const users = Number(process.argv[2] ?? 20_000);
  const seed = Number(process.argv[3] ?? 1);
  const started = Date.now();
  const population = [...generateUsers({ seed, users, now: NOW, historyDays: HISTORY_DAYS })].map((u) => {
    const engagement = u.history.events.filter((e) => ENGAGEMENT.has(e.type));
    // Braze counts engagement events by the user's local hour, each event alike.
    const byHour = new Float64Array(HOURS_PER_DAY);
    const counts = weekHourCounts({ timezone: u.history.timezone, events: engagement }, { email_open: 1, email_click: 1 });
    counts.cells.forEach((cell, k) => (byHour[hourOf(cell)] += counts.events[k]));
    return { truth: u.profile.preferredHour, timezone: u.history.timezone, engagement, byHour, events: engagement.length };
  });
  const generated = Date.now();

  const prior = fitSendTimePrior(population.map((u) => weekHourCounts({ timezone: u.timezone, events: u.engagement })));
  const populationByHour = new Float64Array(HOURS_PER_DAY);
  for (const u of population) u.byHour.forEach((c, h) => (populationByHour[h] += c));
  const populationHour = argmax(populationByHour);

  const groups = [
    { name: '1–4 events', members: population.filter((u) => u.events >= 1 && u.events < 5) },
    { name: '5+ events', members: population.filter((u) => u.events >= 5) },
    { name: '0 events (both: population)', members: population.filter((u) => u.events === 0) },
  ];
  const rows = groups.map(({ name, members }) => {
    let ours = 0;
    let braze = 0;
    for (const u of members) {
      const recommended = storedSendTimeProfile(prior, { timezone: u.timezone, events: u.engagement }, NOW).bestHour;
      const brazeHour = u.events >= BRAZE_MIN_EVENTS ? argmax(u.byHour) : populationHour;
      if (withinAnHour(recommended, u.truth)) ours++;
      if (withinAnHour(brazeHour, u.truth)) braze++;
    }
    const share = (n: number) => (members.length ? n / members.length : 0);
    return {
      group: name,
      users: members.length,
      'ours (±1 h)': share(ours).toFixed(3),
      'Braze rule (±1 h)': share(braze).toFixed(3),
      'ours - Braze': (share(ours) - share(braze)).toFixed(3),
      better: members.length && name.startsWith('0') ? 'n/a' : share(ours) > share(braze) ? 'yes' : 'NO',
    };
  });
  console.log(`bench:sendtime — ${users} simulated users (seed ${seed}, ${HISTORY_DAYS} days of history), population best hour ${populationHour}:00`);
  console.table(rows);
  console.log(`generation ${((generated - started) / 1000).toFixed(1)} s, profiles ${((Date.now() - generated) / 1000).toFixed(1)} s (${prior.users} users with engagement fitted the prior)`);
  if (rows.slice(0, 2).some((r) => r.better !== 'yes')) process.exitCode = 1;
}

main();
