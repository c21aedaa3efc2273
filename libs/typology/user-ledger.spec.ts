import { PressureRule, pressureRuleSchema } from '../domain/typology';
import {
  ReserveRequest,
  UserLedgerState,
  confirmInUserLedger,
  nextAllowedUnder,
  pressureUsage,
  releaseInUserLedger,
  reserveInUserLedger,
} from './user-ledger';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 5, 1, 12);
const threePerWeek = pressureRuleSchema.parse({ type: 'pressure', name: 'weekly', maxMessages: 3, window: { amount: 7, unit: 'days' } });

function request(messageId: string, over: Partial<ReserveRequest> = {}): ReserveRequest {
  return { messageId, channel: 'email', weight: 1, priority: 0, now: T0, rules: [threePerWeek], ...over };
}

/** Applies reservations in order, as the store would, and returns the last state and every result. */
function run(requests: ReserveRequest[], start?: UserLedgerState) {
  let state = start;
  const results = requests.map((r) => {
    const change = reserveInUserLedger(state, r);
    if (change.state) state = change.state;
    return change.result;
  });
  return { state, results };
}

describe('user ledger', () => {
  it('reserves up to the cap, then names the rule and the moment the first slot frees up', () => {
    const { state, results } = run([request('a'), request('b', { now: T0 + DAY }), request('c', { now: T0 + 2 * DAY }), request('d', { now: T0 + 3 * DAY })]);
    expect(results.slice(0, 3).map((r) => r.kind)).toEqual(['reserved', 'reserved', 'reserved']);
    expect(results[3]).toEqual({ kind: 'capped', rule: threePerWeek, nextAllowed: T0 + 7 * DAY });
    expect(state!.entries.map((e) => e.m)).toEqual(['a', 'b', 'c']);
  });

  it('rolls: a reservation stops counting exactly one window after it was made', () => {
    const { state } = run([request('a'), request('b'), request('c')]);
    expect(reserveInUserLedger(state, request('d', { now: T0 + 7 * DAY - 1 })).result.kind).toBe('capped');
    expect(reserveInUserLedger(state, request('d', { now: T0 + 7 * DAY })).result.kind).toBe('reserved');
  });

  it('counts weights, and refuses for ever a message heavier than the cap', () => {
    const { state, results } = run([request('heavy', { weight: 2 }), request('light')]);
    expect(results.map((r) => r.kind)).toEqual(['reserved', 'reserved']);
    expect(pressureUsage(threePerWeek, state!.entries, T0)).toBe(3);
    expect(reserveInUserLedger(state, request('x', { weight: 0.5 })).result.kind).toBe('capped');
    expect(nextAllowedUnder(threePerWeek, [], 4, T0)).toBe(Infinity);
  });

  it('counts a channel rule on its channel only, and an all-channel rule on every channel', () => {
    const emailOnly: PressureRule = { ...threePerWeek, name: 'email', maxMessages: 1, channel: 'email' };
    const { state } = run([request('e1', { rules: [emailOnly] }), request('s1', { channel: 'sms', rules: [emailOnly] })]);
    expect(state!.entries).toHaveLength(2);
    expect(reserveInUserLedger(state, request('e2', { rules: [emailOnly] })).result.kind).toBe('capped');
    expect(reserveInUserLedger(state, request('s2', { channel: 'sms', rules: [emailOnly] })).result.kind).toBe('reserved');
    const allTwo: PressureRule = { ...threePerWeek, name: 'all', maxMessages: 2 };
    expect(reserveInUserLedger(state, request('p1', { channel: 'push', rules: [allTwo] })).result.kind).toBe('capped');
  });

  it('gives the last slot to a higher priority over an unconfirmed lower one, and tells the loser at confirmation', () => {
    const { state } = run([request('a', { priority: 2 }), request('b', { priority: 2 }), request('low', { priority: 1 })]);
    const high = reserveInUserLedger(state, request('high', { priority: 5 }));
    expect(high.result).toEqual({ kind: 'reserved', bumped: expect.objectContaining({ m: 'low', p: 1 }) });
    expect(high.state!.entries.map((e) => e.m)).toEqual(['a', 'b', 'high']);
    expect(confirmInUserLedger(high.state, 'low', T0).result).toEqual({ kind: 'bumped', by: 'high' });
    // Equal priority never bumps (a and b hold priority 2).
    expect(reserveInUserLedger(high.state, request('next', { priority: 2 })).result.kind).toBe('capped');
  });

  it('never bumps a confirmed reservation', () => {
    let { state } = run([request('a'), request('b'), request('c')]);
    for (const m of ['a', 'b', 'c']) {
      const confirmed = confirmInUserLedger(state, m, T0);
      expect(confirmed.result).toEqual({ kind: 'confirmed' });
      state = confirmed.state;
    }
    expect(reserveInUserLedger(state, request('high', { priority: 9 })).result.kind).toBe('capped');
    // Confirming twice changes nothing.
    expect(confirmInUserLedger(state, 'a', T0).state).toBeUndefined();
  });

  it('bumps only a victim that frees enough weight', () => {
    const { state } = run([request('big', { weight: 2 }), request('small', { priority: 0 })]);
    const heavy = reserveInUserLedger(state, request('h', { weight: 2, priority: 3 }));
    expect(heavy.result).toEqual({ kind: 'reserved', bumped: expect.objectContaining({ m: 'big' }) });
  });

  it('reserves a message once, however often it is decided', () => {
    const { state } = run([request('a')]);
    expect(reserveInUserLedger(state, request('a', { now: T0 + 5 })).result).toEqual({ kind: 'already', at: T0 });
  });

  it('frees a released slot and forgets entries older than the longest window', () => {
    const { state } = run([request('a'), request('b'), request('c')]);
    const released = releaseInUserLedger(state, 'b', T0);
    expect(released.result).toBe(true);
    expect(reserveInUserLedger(released.state, request('d')).result.kind).toBe('reserved');
    expect(releaseInUserLedger(released.state, 'b', T0)).toEqual({ result: false });
    const later = reserveInUserLedger(state, request('late', { now: T0 + 32 * DAY }));
    expect(later.state!.entries.map((e) => e.m)).toEqual(['late']);
  });
});
