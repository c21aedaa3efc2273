import { DailyRhythm } from './daily-rhythm';
import { LatentPropensities } from './latent-propensities';
import { DAY_MS, LocalCalendar } from './local-calendar';
import { UserProfile } from './user-profile';

/**
 * Exact outcome probabilities of one simulated user, given their latent state at a cutoff: whether they have
 * churned by then, and their (deterministic) rate schedule after it. Computed by walking the local days of
 * the window: within a day the rates are constant and spread by the user's daily rhythm, so each piece's
 * chance of no event is exp(-rate * share of the day in the piece), and at each day start the user may
 * leave for good with the day's hazard. Nothing here looks at sampled events.
 */
export class GroundTruth {
  private readonly rhythm: DailyRhythm;
  private readonly calendar: LocalCalendar;
  private readonly signupDay: number;

  constructor(
    private readonly profile: UserProfile,
    private readonly latent: LatentPropensities,
    /** When the user churned (start of a local day), Infinity if not within the simulated time. */
    private readonly churnTs: number,
    private readonly defaultCutoff: number,
  ) {
    this.rhythm = DailyRhythm.around(profile.preferredHour);
    this.calendar = LocalCalendar.of(profile.timezone);
    this.signupDay = this.calendar.dayOf(profile.signupTs);
  }

  /** P(no session or purchase in [cutoff, cutoff + windowDays)). */
  churnProbability(windowDays: number, cutoff = this.defaultCutoff): number {
    return this.noEventProbability(windowDays, cutoff, (tenure, weekday) =>
      this.latent.sessionRate(tenure, weekday) + this.latent.purchaseRate(tenure),
    );
  }

  /** P(at least one purchase in [cutoff, cutoff + windowDays)). */
  purchaseProbability(windowDays: number, cutoff = this.defaultCutoff): number {
    return 1 - this.noEventProbability(windowDays, cutoff, (tenure) => this.latent.purchaseRate(tenure));
  }

  private noEventProbability(windowDays: number, cutoff: number, rate: (tenure: number, weekday: number) => number): number {
    if (!(windowDays > 0)) throw new RangeError(`windowDays must be positive, got ${windowDays}`);
    if (cutoff >= this.churnTs) return 1;
    const end = cutoff + windowDays * DAY_MS;
    // Before signup nothing can happen (nor can the user leave).
    const from = Math.max(cutoff, this.profile.signupTs);
    if (from >= end) return 1;
    let quietAndActive = 1; // P(still active at this point, no event since the cutoff)
    let quietAndGone = 0; // P(left before any event)
    for (let day = this.calendar.dayOf(from); ; day++) {
      const start = this.calendar.dayStart(day);
      const next = this.calendar.dayStart(day + 1);
      const length = next - start;
      const share =
        this.rhythm.shareBefore((Math.min(next, end) - start) / length) - this.rhythm.shareBefore((Math.max(start, from) - start) / length);
      quietAndActive *= Math.exp(-rate(day - this.signupDay, LocalCalendar.weekday(day)) * share);
      if (next >= end) break;
      const hazard = this.latent.churnHazard(day + 1 - this.signupDay);
      quietAndGone += quietAndActive * hazard;
      quietAndActive *= 1 - hazard;
    }
    return quietAndGone + quietAndActive;
  }
}
