import { Inject, Injectable } from '@nestjs/common';
import { SendLedgerRepository } from '../../libs/persistence/send-ledger.repository';
import { Activity } from '../../libs/temporal/activity.decorator';
import { keepHeartbeating } from '../predictions/keep-heartbeating';

/**
 * Housekeeping of the send ledgers: every decision that reserves inserts a new ledger version, so
 * superseded versions are turned into tombstones and old tombstones deleted (the safety argument is
 * in SendLedgerRepository.sweep). One pass over the ledger collection; run daily by optimizeSendTimes.
 */
@Injectable()
export class SendLedgerSweepActivities {
  constructor(@Inject(SendLedgerRepository) private readonly ledgers: SendLedgerRepository) {}

  @Activity()
  async sweepSendLedgers(): Promise<{ tombstoned: number; deleted: number }> {
    return keepHeartbeating(() => ({ sweeping: true }), () => this.ledgers.sweep());
  }
}
