import { capacityRuleSchema } from '../domain/typology';
import { CapacityLedgerState, capacityKey, nextCapacityDay, releaseCapacity, reserveCapacity } from './capacity-ledger';

const rule = capacityRuleSchema.parse({ type: 'capacity', name: 'provider', channel: 'sms', maxPerDay: 2, timezone: 'America/New_York' });

describe('capacity ledger', () => {
  it('counts per pool and local day of the rule’s zone', () => {
    // 03:00 UTC on 2 June is still 1 June in New York.
    expect(capacityKey(rule, Date.parse('2024-06-02T03:00:00Z'))).toBe('cap/sms/2024-06-01');
    expect(capacityKey({ ...rule, pool: 'twilio' }, Date.parse('2024-06-02T05:00:00Z'))).toBe('cap/twilio/2024-06-02');
    expect(new Date(nextCapacityDay(rule, Date.parse('2024-06-02T03:00:00Z'))).toISOString()).toBe('2024-06-02T04:00:00.000Z');
  });

  it('admits up to the limit, and a release makes room again', () => {
    let state: CapacityLedgerState | undefined;
    const results: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      const change = reserveCapacity(state, rule);
      if (change.state) state = change.state;
      results.push(change.result);
    }
    expect(results).toEqual([true, true, false]);
    const released = releaseCapacity(state);
    expect(released).toEqual({ state: { used: 1 }, result: true });
    expect(reserveCapacity(released.state, rule).result).toBe(true);
    expect(releaseCapacity(undefined).result).toBe(false);
  });
});
