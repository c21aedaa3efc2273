import { HistoryEvent } from '../../domain/event';
import { SplitMix64 } from '../random';
import { LatentPropensities } from './latent-propensities';
import { LocalCalendar } from './local-calendar';
import { bernoulli, exponential, normal } from './sampling';
import { UserProfile } from './user-profile';

// Campaigns go out on fixed local weekdays (0 = Sunday) at 10:00 local, dispatched over a quarter hour
// (a user keeps their place in the batch).
const CAMPAIGN_WEEKDAYS: Record<number, readonly number[]> = { 1: [2], 2: [2, 5], 3: [1, 3, 5], 5: [1, 2, 3, 4, 5] };
const SEND_HOUR = 10;
const SEND_SPREAD_HOURS = 0.25;
// Most people open when they usually are around (their preferred hour), some straight away, some days later.
const IMMEDIATE_OPEN_SHARE = 0.15;
const IMMEDIATE_OPEN_MEAN_MS = 20 * 60_000;
const OPEN_HOUR_SD = 0.6;
const OPEN_LATER_DAY_PROBABILITY = 0.3;
const CLICK_DELAY_MS = 5_000;
const CLICK_MEAN_EXTRA_MS = 90_000;
const UNSUBSCRIBE_DELAY_MS = 30_000;
const UNOPENED_UNSUBSCRIBE_MEAN_MS = 3 * 3_600_000;
const REFERENCE_SENDS_PER_WEEK = 2;
const PRESSURE_EXPONENT = 1.5;

/**
 * The email side of one user's life: campaign sends from signup until `endTs` or an unsubscribe (sends go on
 * after the user churns: the marketer does not know), and the opens, clicks and unsubscribe the user makes
 * while still active. Emails never feed back into activity, so they carry signal without touching the truth.
 * Events may come out of order (late opens); the caller sorts.
 */
export function campaignEmails(
  profile: UserProfile,
  latent: LatentPropensities,
  calendar: LocalCalendar,
  churnTs: number,
  endTs: number,
  rng: SplitMix64,
): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const sendDays = CAMPAIGN_WEEKDAYS[profile.sendsPerWeek];
  const hourGap = Math.abs(SEND_HOUR - profile.preferredHour);
  const circularGap = Math.min(hourGap, 24 - hourGap);
  // Emails landing near the user's own hour get opened more: the lever send-time optimisation pulls.
  const openProbability = latent.openPropensity * (0.7 + 0.3 * Math.exp(-(circularGap * circularGap) / 8));
  const unsubscribeProbability =
    latent.unsubscribePropensity * (profile.sendsPerWeek / REFERENCE_SENDS_PER_WEEK) ** PRESSURE_EXPONENT;
  const atLocalHour = (day: number, hour: number): number => {
    const start = calendar.dayStart(day);
    return Math.floor(start + (hour / 24) * (calendar.dayStart(day + 1) - start));
  };
  const sendHour = SEND_HOUR + SEND_SPREAD_HOURS * rng.nextDouble();
  // A constant chance per email makes the email that triggers the unsubscribe geometric: one draw.
  const unsubscribeAt = Math.floor(Math.log(1 - rng.nextDouble()) / Math.log1p(-unsubscribeProbability));
  let unsubscribeTs = Infinity;
  let sent = 0;
  const lastDay = calendar.dayOf(endTs - 1);
  for (let day = calendar.dayOf(profile.signupTs); day <= lastDay; day++) {
    if (!sendDays.includes(LocalCalendar.weekday(day))) continue;
    const sentTs = atLocalHour(day, sendHour);
    if (sentTs < profile.signupTs) continue;
    if (sentTs >= endTs || sentTs >= unsubscribeTs) break;
    events.push({ type: 'email_sent', ts: sentTs });
    sent++;
    if (sentTs >= churnTs) continue;

    let openTs = Infinity;
    if (bernoulli(rng, openProbability)) {
      if (bernoulli(rng, IMMEDIATE_OPEN_SHARE)) openTs = sentTs + Math.floor(exponential(rng, IMMEDIATE_OPEN_MEAN_MS));
      else {
        const hour = profile.preferredHour + 0.5 + OPEN_HOUR_SD * normal(rng);
        let openDay = day;
        if (atLocalHour(openDay, hour) <= sentTs) openDay++;
        while (bernoulli(rng, OPEN_LATER_DAY_PROBABILITY)) openDay++;
        openTs = atLocalHour(openDay, hour);
      }
      if (openTs < churnTs) {
        events.push({ type: 'email_open', ts: openTs });
        if (bernoulli(rng, latent.clickPropensity)) {
          const clickTs = openTs + CLICK_DELAY_MS + Math.floor(exponential(rng, CLICK_MEAN_EXTRA_MS));
          if (clickTs < churnTs) events.push({ type: 'email_click', ts: clickTs });
        }
      } else openTs = Infinity;
    }
    if (sent - 1 === unsubscribeAt) {
      const seenTs = openTs < Infinity ? openTs : sentTs + Math.floor(exponential(rng, UNOPENED_UNSUBSCRIBE_MEAN_MS));
      const ts = seenTs + UNSUBSCRIBE_DELAY_MS;
      if (ts < churnTs) {
        events.push({ type: 'unsubscribe', ts });
        unsubscribeTs = ts;
      }
    }
  }
  return events;
}
