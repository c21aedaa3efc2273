import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, ValidationError } from '../../../libs/domain/errors';
import { DecideSendInput } from '../../../libs/domain/send-decision';
import { Decision, DecisionRecord } from '../../../libs/domain/typology';
import { DecisionsRepository } from '../../../libs/persistence/decisions.repository';
import { SendReservationsRepository } from '../../../libs/persistence/send-reservations.repository';
import { SendDecisions, UnknownUserError } from '../../../libs/typology/send-decisions.service';
import { UnknownTypologyError } from '../../../libs/typology/typology-decider';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** References that do not resolve are the caller's input at fault: a 400 naming the field. */
async function refusingUnknown<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UnknownTypologyError) throw new ValidationError('invalid request', [{ field: 'message.typologyId', reason: err.message }]);
    if (err instanceof UnknownUserError) throw new ValidationError('invalid request', [{ field: 'userId', reason: err.message }]);
    throw err;
  }
}

/** The decisions API: the same decider journeys call, with reservations kept by id for HTTP callers. */
@Injectable()
export class DecisionsService {
  constructor(
    @Inject(SendDecisions) private readonly decisions: SendDecisions,
    @Inject(SendReservationsRepository) private readonly reservations: SendReservationsRepository,
    @Inject(DecisionsRepository) private readonly log: DecisionsRepository,
  ) {}

  async decide(input: DecideSendInput) {
    const d = await refusingUnknown(() => this.decisions.decide(input));
    const reservationId = d.outcome === 'send' && d.reservation ? await this.reservations.remember(d.reservation) : null;
    return this.present(d, reservationId);
  }

  async confirm(reservationId: string, at?: number) {
    const r = await refusingUnknown(async () => this.decisions.confirm(await this.reservation(reservationId), at));
    if (r.confirmed) return { confirmed: true, bumpedBy: null, decision: null };
    return { confirmed: false, bumpedBy: r.bumpedBy, decision: this.present(r.decision, null) };
  }

  async release(reservationId: string, at?: number, reason?: string) {
    await this.decisions.release(await this.reservation(reservationId), at, reason);
    return { reservationId, released: true as const };
  }

  async history(filter: { userId?: string; messageId?: string; limit: number }) {
    const records = filter.userId !== undefined ? await this.log.forUser(filter.userId, filter.limit) : (await this.log.forMessage(filter.messageId!)).slice(-filter.limit).reverse();
    return { decisions: records.map((r: DecisionRecord) => ({ ...r, until: iso(r.until), at: iso(r.at)! })) };
  }

  private async reservation(id: string) {
    const r = await this.reservations.find(id);
    if (!r) throw new NotFoundError(`no reservation with id ${id}`);
    return r;
  }

  private present(d: Decision, reservationId: string | null) {
    return {
      outcome: d.outcome,
      reason: d.reason,
      rule: d.outcome === 'send' ? null : d.rule,
      ruleType: d.outcome === 'send' ? null : d.ruleType,
      until: d.outcome === 'defer' ? iso(d.until) : null,
      reservationId,
    };
  }
}
