import type { CapacityRule } from '../domain/typology';
import type { SendLedgerRepository } from '../persistence/send-ledger.repository';
import { CapacityLedgerState, grantCapacity } from './capacity-ledger';

interface Allowance {
  /** Units granted to this process and not handed to a decision yet. */
  units: number;
  /** Decisions of this process waiting for units. */
  waiting: number;
  refill: Promise<number> | null;
}

/**
 * The capacity units this process holds for each pool's day. A decision takes a unit from here,
 * and only when none is left does the process ask the shared ledger, for the units every waiting
 * decision needs plus a few ahead (grantCapacity): one ledger version per many decisions instead
 * of one per batch, and no hot key that every decision of every process waits on. The pool's limit
 * holds across processes (the ledger grants no more than it has); what a process holds when it
 * stops is not spent that day, a small share of the pool by construction.
 */
export class CapacityAllowance {
  private readonly allowances = new Map<string, Allowance>();

  constructor(private readonly ledger: SendLedgerRepository) {}

  /** Takes one unit of the pool's day `key`; false when the pool is spent. */
  async take(key: string, rule: CapacityRule): Promise<boolean> {
    const a = this.allowance(key);
    while (a.units === 0) {
      a.waiting++;
      try {
        // One request in flight per pool: decisions that arrive meanwhile wait for its units.
        a.refill ??= this.refill(key, rule, a);
        if ((await a.refill) === 0) return false;
      } finally {
        a.waiting--;
      }
    }
    a.units--;
    return true;
  }

  /** Returns units a decision took but did not use (it was refused further on) for the next ones. */
  giveBack(keys: readonly string[]): void {
    for (const key of keys) this.allowance(key).units++;
  }

  private async refill(key: string, rule: CapacityRule, a: Allowance): Promise<number> {
    try {
      // The demand is read when the change applies: decisions that queued up by then are counted.
      const granted = await this.ledger.transition(key, (s: CapacityLedgerState | undefined) => grantCapacity(s, rule, Math.max(1, a.waiting)));
      a.units += granted;
      return granted;
    } finally {
      a.refill = null;
    }
  }

  private allowance(key: string): Allowance {
    let a = this.allowances.get(key);
    if (!a) {
      // Keys end with the pool's local day (YYYY-MM-DD): a new day drops the pool's earlier ones.
      const pool = key.slice(0, key.lastIndexOf('/') + 1);
      for (const [k, old] of this.allowances) if (k.startsWith(pool) && k < key && old.waiting === 0 && !old.refill) this.allowances.delete(k);
      this.allowances.set(key, (a = { units: 0, waiting: 0, refill: null }));
    }
    return a;
  }
}
