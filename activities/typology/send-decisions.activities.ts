import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/activity';
import { ZodError } from 'zod';
import { DecideSendInput, NextSendMomentInput } from '../../libs/domain/send-decision';
import { ConfirmResult, Decision, ReservationRef } from '../../libs/domain/typology';
import { NextSendMoment, SendDecisions, UnknownUserError } from '../../libs/typology/send-decisions.service';
import { UnknownTypologyError } from '../../libs/typology/typology-decider';
import { Activity } from '../../libs/temporal/activity.decorator';

/** Bad input never heals on retry: the journey step fails at once, naming why. */
async function nonRetryableOnBadInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ZodError) {
      const fields = err.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
      throw ApplicationFailure.nonRetryable(`invalid send decision input: ${fields}`, 'InvalidSendInput');
    }
    if (err instanceof UnknownTypologyError) throw ApplicationFailure.nonRetryable(err.message, 'UnknownTypology');
    if (err instanceof UnknownUserError) throw ApplicationFailure.nonRetryable(err.message, 'UnknownUser');
    throw err;
  }
}

/**
 * Typology decisions for journeys, on the journeys task queue. decideSend answers send (with the
 * slot already reserved), defer until T, or suppress; a retried decideSend for the same message id
 * reserves nothing more. confirmSend just before the send (a priority message may have taken the
 * slot: then it answers a defer), releaseSend when the send finally fails. All idempotent.
 */
@Injectable()
export class SendDecisionActivities {
  constructor(@Inject(SendDecisions) private readonly decisions: SendDecisions) {}

  @Activity()
  async decideSend(input: DecideSendInput): Promise<Decision> {
    return nonRetryableOnBadInput(() => this.decisions.decide(input));
  }

  @Activity()
  async confirmSend(input: { reservation: ReservationRef; at?: number }): Promise<ConfirmResult> {
    return nonRetryableOnBadInput(() => this.decisions.confirm(input.reservation, input.at));
  }

  @Activity()
  async releaseSend(input: { reservation: ReservationRef; reason?: string; at?: number }): Promise<void> {
    return nonRetryableOnBadInput(() => this.decisions.release(input.reservation, input.at, input.reason));
  }

  /** The user's next best moment (epoch ms) within W hours after T, outside the typology's quiet hours. */
  @Activity()
  async nextSendMoment(input: NextSendMomentInput): Promise<NextSendMoment> {
    return nonRetryableOnBadInput(() => this.decisions.nextSendMoment(input));
  }
}
