import { proxyActivities } from '@temporalio/workflow';
import type { SendDecisionActivities } from '../../../activities/typology/send-decisions.activities';
import type { DecideSendInput } from '../../../libs/domain/send-decision';
import type { ConfirmResult, Decision } from '../../../libs/domain/typology';

const { decideSend, confirmSend, releaseSend } = proxyActivities<SendDecisionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/**
 * A journey's send step as journeys will run it: decide, confirm just before sending, and release
 * the reservation when the send finally fails (`send: 'fails'` stands for the provider refusing).
 */
export async function sendStep(input: { decide: DecideSendInput; send: 'succeeds' | 'fails' }): Promise<{ decision: Decision; confirmed: ConfirmResult | null; released: boolean }> {
  const decision = await decideSend(input.decide);
  if (decision.outcome !== 'send' || !decision.reservation) return { decision, confirmed: null, released: false };
  const at = typeof input.decide.at === 'number' ? input.decide.at : undefined;
  const confirmed = await confirmSend({ reservation: decision.reservation, at });
  if (!confirmed.confirmed || input.send === 'succeeds') return { decision, confirmed, released: false };
  await releaseSend({ reservation: decision.reservation, reason: 'provider refused the message', at });
  return { decision, confirmed, released: true };
}
