import type { DecisionRecord } from '../domain/typology';
import type { DecisionsRepository } from '../persistence/decisions.repository';
import { GroupCommit } from '../persistence/group-commit';

/**
 * Writes decisions in batches: every record made while a write is under way goes in the next
 * insertMany. A caller's promise settles once its record is stored, so a decision is never
 * returned before it is recorded.
 */
export class DecisionLog {
  private readonly batches: GroupCommit<DecisionRecord, undefined>;

  constructor(decisions: DecisionsRepository) {
    this.batches = new GroupCommit(async (records) => {
      await decisions.record(records);
      return records.map(() => undefined);
    });
  }

  record(record: DecisionRecord): Promise<undefined> {
    return this.batches.submit(record);
  }
}
