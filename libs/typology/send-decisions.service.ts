import { Inject, Injectable } from '@nestjs/common';
import type { StoredSendTimeProfile } from '../domain/send-time-profile';
import { DecideSendInput, NextSendMomentInput, decideSendInputSchema, nextSendMomentInputSchema } from '../domain/send-decision';
import { ConfirmResult, Decision, QuietHoursRule, ReservationRef, TypologyUser, typologySchema } from '../domain/typology';
import { SendTimeProfilesRepository } from '../persistence/send-time-profiles.repository';
import { TypologiesRepository } from '../persistence/typologies.repository';
import { UserRecordsRepository } from '../persistence/user-records/user-records.repository';
import { nextBestMoment } from './next-best-moment';
import { TypologyDecider, UnknownTypologyError } from './typology-decider';
import { toTypologyUser } from './typology-user';

export class UnknownUserError extends Error {
  constructor(readonly userId: string) {
    super(`no user with id ${userId}`);
  }
}

export interface NextSendMoment {
  userId: string;
  /** Epoch ms. */
  at: number;
  timezone: string | null;
  profile: StoredSendTimeProfile | null;
}

/**
 * What journeys (activities) and the decisions API call: the decider with the user's profile read
 * from the user store, and the next best moment from the stored send-time profile. Input is
 * validated here too, so both shells refuse the same things.
 */
@Injectable()
export class SendDecisions {
  constructor(
    @Inject(TypologyDecider) private readonly decider: TypologyDecider,
    @Inject(UserRecordsRepository) private readonly users: UserRecordsRepository,
    @Inject(TypologiesRepository) private readonly typologies: TypologiesRepository,
    @Inject(SendTimeProfilesRepository) private readonly profiles: SendTimeProfilesRepository,
  ) {}

  async decide(raw: DecideSendInput): Promise<Decision> {
    const input = decideSendInputSchema.parse(raw);
    const user = await this.user(input.userId);
    return this.decider.decide(input.message, user, input.at ?? Date.now());
  }

  confirm(reservation: ReservationRef, at = Date.now()): Promise<ConfirmResult> {
    return this.decider.confirm(reservation, at);
  }

  release(reservation: ReservationRef, at = Date.now(), reason?: string): Promise<void> {
    return this.decider.release(reservation, at, reason);
  }

  async nextSendMoment(raw: NextSendMomentInput): Promise<NextSendMoment> {
    const input = nextSendMomentInputSchema.parse(raw);
    const [user, profile, quietHours] = await Promise.all([this.user(input.userId), this.profiles.find(input.userId), this.quietHours(input.typologyId)]);
    const after = input.after ?? Date.now();
    const at = nextBestMoment(profile, user.timezone, after, { withinHours: input.withinHours, quietHours, channel: input.channel });
    return { userId: user.id, at, timezone: user.timezone ?? null, profile };
  }

  private async user(userId: string): Promise<TypologyUser> {
    const timeline = await this.users.read(userId);
    if (!timeline) throw new UnknownUserError(userId);
    return toTypologyUser(timeline);
  }

  private async quietHours(typologyId: string | undefined): Promise<QuietHoursRule[]> {
    if (!typologyId) return [];
    const stored = await this.typologies.findById(typologyId);
    if (!stored) throw new UnknownTypologyError(typologyId);
    return typologySchema.parse(stored).rules.filter((r): r is QuietHoursRule => r.type === 'quiet_hours');
  }
}
