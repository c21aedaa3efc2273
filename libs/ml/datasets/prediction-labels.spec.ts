import { HistoryEvent, UserHistory } from '../../domain/event';
import { PredictionDefinition } from '../../domain/prediction-definition';
import { DAY_MS } from '../features/time';
import { checkPredictionDefinition, labelHorizonDays, predictionLabels } from './prediction-labels';

const CUTOFF = 100 * DAY_MS;

function user(...events: [type: string, day: number][]): UserHistory {
  const list: HistoryEvent[] = events.map(([type, day]) => ({ type, ts: day * DAY_MS }));
  return { userId: `u${events.length}`, attributes: {}, events: list };
}

/** Label per user, or null when the user is not labelled. */
function labelsOf(def: PredictionDefinition, users: UserHistory[]): (number | null)[] {
  const { eligible, labels } = predictionLabels(users, def, CUTOFF);
  const out: (number | null)[] = users.map(() => null);
  eligible.forEach((i, k) => (out[i] = labels[k]));
  return out;
}

describe('churn labels', () => {
  const churn: PredictionDefinition = { type: 'churn', windowDays: 30 };

  it('labels active users 1 when no qualifying action follows within the window', () => {
    expect(
      labelsOf(churn, [
        user(['session', 90], ['session', 110]), // returns: 0
        user(['purchase', 95], ['session', 130]), // back only at day 130, the window is [100, 130): 1
        user(['session', 80], ['email_open', 105]), // an open is not a qualifying action: 1
        user(['session', 60], ['session', 110]), // inactive in the 30 days before: not eligible
        user(['email_open', 99]), // no qualifying action before: not eligible
      ]),
    ).toEqual([0, 1, 1, null, null]);
  });

  it('uses the configured qualifying actions', () => {
    const opens: PredictionDefinition = { type: 'churn', windowDays: 30, qualifyingEventTypes: ['email_open'] };
    expect(labelsOf(opens, [user(['email_open', 99], ['session', 105]), user(['email_open', 99], ['email_open', 101])])).toEqual([1, 0]);
  });
});

describe('purchase labels', () => {
  it('is 1 when a purchase (or the named event) happens within the window', () => {
    const purchase: PredictionDefinition = { type: 'purchase', windowDays: 14 };
    expect(
      labelsOf(purchase, [
        user(['session', 50], ['purchase', 100]), // exactly at the cutoff counts as after: 1
        user(['session', 50], ['purchase', 114]), // window is [100, 114): 0
        user(['purchase', 99]), // before the cutoff: 0
        user(['purchase', 105]), // no profile at the cutoff: not eligible
      ]),
    ).toEqual([1, 0, 0, null]);
    const named: PredictionDefinition = { type: 'purchase', windowDays: 14, purchaseEventType: 'subscription_start' };
    expect(labelsOf(named, [user(['session', 50], ['subscription_start', 101]), user(['session', 50], ['purchase', 101])])).toEqual([1, 0]);
  });

  it('counts a profile created before the cutoff as eligible even without events', () => {
    const created: UserHistory = { userId: 'c', createdAt: 10 * DAY_MS, attributes: {}, events: [{ type: 'purchase', ts: 101 * DAY_MS }] };
    expect(labelsOf({ type: 'purchase', windowDays: 14 }, [created])).toEqual([1]);
  });
});

describe('engagement and unsubscribe labels', () => {
  const engagement: PredictionDefinition = { type: 'engagement', windowDays: 30 };
  const unsubscribe: PredictionDefinition = { type: 'unsubscribe', windowDays: 30 };

  it('engagement: an open or click within 7 days of the next send', () => {
    expect(
      labelsOf(engagement, [
        user(['session', 1], ['email_sent', 110], ['email_click', 116]),
        user(['session', 1], ['email_sent', 110], ['email_open', 117]), // [110, 117): 0
        user(['session', 1], ['email_open', 105], ['email_sent', 110]), // the open precedes the send: 0
        user(['session', 1], ['email_open', 105]), // no send: not labelled
        user(['session', 1], ['email_sent', 130], ['email_open', 131]), // send outside the window: not labelled
      ]),
    ).toEqual([1, 0, 0, null, null]);
  });

  it('unsubscribe: an unsubscribe within 7 days of the next send', () => {
    expect(
      labelsOf(unsubscribe, [
        user(['session', 1], ['email_sent', 101], ['unsubscribe', 102]),
        user(['session', 1], ['email_sent', 101], ['email_sent', 103], ['unsubscribe', 109]), // 8 days after the first send: 0
        user(['session', 1], ['unsubscribe', 101]), // no send: not labelled
      ]),
    ).toEqual([1, 0, null]);
  });

  it('needs the response window after the prediction window before the labels are complete', () => {
    expect(labelHorizonDays(engagement)).toBe(37);
    expect(labelHorizonDays({ type: 'churn', windowDays: 30 })).toBe(30);
  });
});

describe('prediction definition checks', () => {
  it('rejects windows over 60 days with a clear error', () => {
    expect(() => checkPredictionDefinition({ type: 'churn', windowDays: 61 })).toThrow(
      'churn prediction: windowDays is 61, the maximum is 60 days',
    );
    expect(() => predictionLabels([], { type: 'churn', windowDays: 90 }, CUTOFF)).toThrow('the maximum is 60 days');
    expect(() => checkPredictionDefinition({ type: 'churn', windowDays: 60 })).not.toThrow();
  });

  it('rejects non-positive windows and empty qualifying actions', () => {
    expect(() => checkPredictionDefinition({ type: 'purchase', windowDays: 0 })).toThrow('positive whole number');
    expect(() => checkPredictionDefinition({ type: 'churn', windowDays: 7, qualifyingEventTypes: [] })).toThrow('must not be empty');
  });
});

describe('subscription churn labels', () => {
  const def: PredictionDefinition = { type: 'subscription_churn', windowDays: 30 };

  it('labels running subscriptions: cancelled or not renewed within the window is 1, renewed is 0', () => {
    expect(
      labelsOf(def, [
        user(['subscription_start', 40], ['subscription_renew', 70], ['subscription_renew', 100], ['subscription_renew', 130]), // due 130, renewed: 0
        user(['subscription_start', 80], ['subscription_cancel', 105]), // cancels in the window: 1
        user(['subscription_start', 40], ['subscription_renew', 70], ['session', 101]), // due day 100, never renewed: 1
        user(['subscription_start', 40], ['subscription_renew', 70], ['subscription_renew', 102]), // 2 days late, within grace: 0
        user(['subscription_start', 40], ['subscription_renew', 70], ['subscription_renew', 104]), // 4 days late: lapsed, 1
        user(['subscription_start', 20], ['subscription_renew', 50], ['subscription_cancel', 80]), // cancelled before: not eligible
        user(['subscription_start', 20], ['subscription_renew', 50]), // due 80, lapsed by the cutoff: not eligible
        user(['session', 90], ['session', 110]), // never subscribed: not eligible
        user(['subscription_start', 95], ['subscription_cancel', 131]), // cancels after the window, renewal due 125 missed: 1
        user(['subscription_start', 60], ['subscription_renew', 90], ['subscription_renew', 120], ['subscription_cancel', 135]), // renewed in time, cancels later: 0
      ]),
    ).toEqual([0, 1, 1, 0, 1, null, null, null, 1, 0]);
  });

  it('observes the grace period after the window before labelling', () => {
    expect(labelHorizonDays(def)).toBe(33);
  });
});
