import { capacityRuleSchema } from '../domain/typology';
import { CapacityLedgerState, capacityKey, grantCapacity, nextCapacityDay, releaseCapacity } from './capacity-ledger';

const rule = capacityRuleSchema.parse({ type: 'capacity', name: 'provider', channel: 'sms', maxPerDay: 2, timezone: 'America/New_York' });

describe('capacity ledger', () => {
  it('counts per pool and local day of the rule’s zone', () => {
    // 03:00 UTC on 2 June is still 1 June in New York.
    expect(capacityKey(rule, Date.parse('2024-06-02T03:00:00Z'))).toBe('cap/sms/2024-06-01');
    expect(capacityKey({ ...rule, pool: 'twilio' }, Date.parse('2024-06-02T05:00:00Z'))).toBe('cap/twilio/2024-06-02');
    expect(new Date(nextCapacityDay(rule, Date.parse('2024-06-02T03:00:00Z'))).toISOString()).toBe('2024-06-02T04:00:00.000Z');
  });

  it('grants up to the limit, and a release makes room again', () => {
    let state: CapacityLedgerState | undefined;
    const results: number[] = [];
    for (let i = 0; i < 3; i++) {
      const change = grantCapacity(state, rule, 1);
      if (change.state) state = change.state;
      results.push(change.result);
    }
    expect(results).toEqual([1, 1, 0]);
    const released = releaseCapacity(state);
    expect(released).toEqual({ state: { used: 1 }, result: true });
    expect(grantCapacity(released.state, rule, 5)).toEqual({ state: { used: 2 }, result: 1 });
    expect(releaseCapacity(undefined).result).toBe(false);
  });

  it('grants the demand and a share of what is left ahead, none ahead near the end', () => {
    const big = { ...rule, maxPerDay: 10_000 };
    expect(grantCapacity(undefined, big, 3)).toEqual({ state: { used: 42 }, result: 42 }); // 3 + 1/256 of 10,000 ahead
    expect(grantCapacity(undefined, { ...rule, maxPerDay: 1_000_000 }, 3).result).toBe(3 + 64); // at most 64 ahead
    expect(grantCapacity({ used: 9_000 }, big, 1).result).toBe(1 + 3); // 1,000 left
    expect(grantCapacity({ used: 9_800 }, big, 2).result).toBe(2); // 200 left: none ahead
    expect(grantCapacity({ used: 9_999 }, big, 4)).toEqual({ state: { used: 10_000 }, result: 1 });
  });
});
