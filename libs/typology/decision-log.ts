import type { DecisionRecord } from '../domain/typology';
import type { DecisionsRepository } from '../persistence/decisions.repository';

/**
 * Writes decisions in batches: every record made while a write is under way goes in the next
 * insertMany. A caller's promise settles once its record is stored, so a decision is never
 * returned before it is recorded.
 */
export class DecisionLog {
  private queue: { record: DecisionRecord; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly decisions: DecisionsRepository) {}

  record(record: DecisionRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.decisions.record(batch.map((b) => b.record));
        batch.forEach((b) => b.resolve());
      } catch (err) {
        batch.forEach((b) => b.reject(err));
      }
    }
    this.writing = false;
  }
}
