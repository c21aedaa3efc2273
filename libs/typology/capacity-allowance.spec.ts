import { capacityRuleSchema } from '../domain/typology';
import type { SendLedgerRepository } from '../persistence/send-ledger.repository';
import { CapacityAllowance } from './capacity-allowance';

/** The ledger's contract in memory: changes apply one at a time, a round trip later (the store's own tests are in test/typology). */
function memoryLedger() {
  const states = new Map<string, unknown>();
  let transitions = 0;
  const ledger = {
    transition: async <S, R>(key: string, apply: (s: S | undefined) => { state?: S; result: R }) => {
      await new Promise((r) => setTimeout(r, 1));
      transitions++;
      const out = apply(states.get(key) as S | undefined);
      if (out.state !== undefined) states.set(key, out.state);
      return out.result;
    },
  };
  return { ledger: ledger as unknown as SendLedgerRepository, states, transitions: () => transitions };
}

const rule = (maxPerDay: number) => capacityRuleSchema.parse({ type: 'capacity', name: 'provider', channel: 'email', maxPerDay });

describe('capacity allowance', () => {
  it('serves a burst of decisions from one grant, and takes units ahead for the next ones', async () => {
    const m = memoryLedger();
    const allowance = new CapacityAllowance(m.ledger);
    const taken = await Promise.all(Array.from({ length: 50 }, () => allowance.take('cap/email/2030-01-15', rule(100_000))));
    expect(taken.every(Boolean)).toBe(true);
    expect(m.transitions()).toBe(1);
    expect(m.states.get('cap/email/2030-01-15')).toEqual({ used: 50 + 64 });
    for (let i = 0; i < 64; i++) await allowance.take('cap/email/2030-01-15', rule(100_000));
    expect(m.transitions()).toBe(1);
  });

  it('never grants more than the pool across processes; all of a small pool is spent', async () => {
    const m = memoryLedger();
    const processes = Array.from({ length: 4 }, () => new CapacityAllowance(m.ledger));
    const taken = await Promise.all(Array.from({ length: 400 }, (_, i) => processes[i % 4].take('cap/email/2030-01-15', rule(100))));
    expect(taken.filter(Boolean)).toHaveLength(100);
    expect(m.states.get('cap/email/2030-01-15')).toEqual({ used: 100 });
    expect(await processes[0].take('cap/email/2030-01-15', rule(100))).toBe(false);
  });

  it('a unit given back serves the next decision without a round trip; a new day starts from the ledger', async () => {
    const m = memoryLedger();
    const allowance = new CapacityAllowance(m.ledger);
    expect(await allowance.take('cap/email/2030-01-15', rule(1))).toBe(true);
    expect(await allowance.take('cap/email/2030-01-15', rule(1))).toBe(false);
    allowance.giveBack(['cap/email/2030-01-15']);
    const before = m.transitions();
    expect(await allowance.take('cap/email/2030-01-15', rule(1))).toBe(true);
    expect(m.transitions()).toBe(before);
    expect(await allowance.take('cap/email/2030-01-16', rule(1))).toBe(true);
    expect(m.states.get('cap/email/2030-01-16')).toEqual({ used: 1 });
  });
});
