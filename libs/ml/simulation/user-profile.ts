import { SplitMix64 } from '../random';
import { DAY_MS } from './local-calendar';
import { Categorical } from './sampling';

export type Plan = 'free' | 'basic' | 'pro';
export type AcquisitionChannel = 'organic' | 'paid_search' | 'social' | 'referral' | 'affiliate';
export type AgeBand = '18-24' | '25-34' | '35-44' | '45-54' | '55+';

/** Time zones of the simulated audience with the country each implies and its share of users. */
export const SIMULATED_TIMEZONES: readonly { timezone: string; country: string; share: number }[] = [
  { timezone: 'America/New_York', country: 'US', share: 0.18 },
  { timezone: 'America/Chicago', country: 'US', share: 0.06 },
  { timezone: 'America/Los_Angeles', country: 'US', share: 0.1 },
  { timezone: 'America/Mexico_City', country: 'MX', share: 0.05 },
  { timezone: 'America/Sao_Paulo', country: 'BR', share: 0.08 },
  { timezone: 'Europe/London', country: 'GB', share: 0.1 },
  { timezone: 'Europe/Paris', country: 'FR', share: 0.1 },
  { timezone: 'Europe/Berlin', country: 'DE', share: 0.08 },
  { timezone: 'Asia/Kolkata', country: 'IN', share: 0.1 },
  { timezone: 'Asia/Tokyo', country: 'JP', share: 0.08 },
  { timezone: 'Australia/Sydney', country: 'AU', share: 0.07 },
];

/** What a user is and how they live, fixed for the whole simulation; all but the habits are observable. */
export interface UserProfile {
  timezone: string;
  country: string;
  plan: Plan;
  channel: AcquisitionChannel;
  ageBand: AgeBand;
  signupTs: number;
  /** Local hour (0-23) around which sessions cluster and emails get opened. */
  preferredHour: number;
  /** Local weekdays (0 = Sunday) with more activity. */
  preferredWeekdays: number[];
  /** Marketing pressure: campaign emails a week this user receives. */
  sendsPerWeek: number;
}

const ZONES = new Categorical(SIMULATED_TIMEZONES.map((z) => [z, z.share] as const));
const PLANS = new Categorical<Plan>([['free', 0.6], ['basic', 0.28], ['pro', 0.12]]);
const CHANNELS = new Categorical<AcquisitionChannel>([
  ['organic', 0.35],
  ['paid_search', 0.2],
  ['social', 0.2],
  ['referral', 0.15],
  ['affiliate', 0.1],
]);
const AGE_BANDS = new Categorical<AgeBand>([['18-24', 0.18], ['25-34', 0.32], ['35-44', 0.24], ['45-54', 0.15], ['55+', 0.11]]);
// Morning, lunch and evening peaks, few night owls.
const HOURS = new Categorical(
  [0.2, 0.1, 0.05, 0.05, 0.05, 0.2, 0.6, 1.2, 1.4, 1, 0.7, 0.7, 1, 0.9, 0.6, 0.6, 0.7, 0.9, 1.2, 1.5, 1.6, 1.4, 0.9, 0.5].map(
    (w, h) => [h, w] as const,
  ),
);
const SENDS_PER_WEEK = new Categorical([[1, 0.25], [2, 0.45], [3, 0.2], [5, 0.1]] as const);

export function drawUserProfile(rng: SplitMix64, now: number, historyDays: number): UserProfile {
  const zone = ZONES.draw(rng);
  const plan = PLANS.draw(rng);
  const channel = CHANNELS.draw(rng);
  const ageBand = AGE_BANDS.draw(rng);
  const signupTs = now - historyDays * DAY_MS + Math.floor(rng.nextDouble() * historyDays * DAY_MS);
  const preferredHour = HOURS.draw(rng);
  const preferredWeekdays: number[] = [];
  for (let d = 0; d < 7; d++) if (rng.nextDouble() < (d === 0 || d === 6 ? 0.45 : 0.55)) preferredWeekdays.push(d);
  // Everyone has at least one day of the week that stands out.
  if (preferredWeekdays.length === 0) preferredWeekdays.push(rng.nextInt(7));
  return {
    timezone: zone.timezone,
    country: zone.country,
    plan,
    channel,
    ageBand,
    signupTs,
    preferredHour,
    preferredWeekdays,
    sendsPerWeek: SENDS_PER_WEEK.draw(rng),
  };
}
