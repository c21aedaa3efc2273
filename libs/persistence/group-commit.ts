/**
 * Natural batching (group commit): whatever callers submit while a batch is in flight goes together
 * in the next one. Idle, an item leaves at once; under load, one round trip serves many callers, so
 * the store sees a few large commands instead of one small command per caller (on FerretDB each
 * command costs far more than each document in it).
 *
 * `run` gets the items of a batch and returns one outcome per item, in order: a value, or an Error
 * that rejects that item's caller alone. When `run` throws, every caller of the batch is rejected.
 */
export class GroupCommit<I, R> {
  private queue: { item: I; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  private draining = false;

  constructor(
    private readonly run: (items: I[]) => Promise<(R | Error)[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const outcomes = await this.run(batch.map((b) => b.item));
        batch.forEach((b, i) => {
          const o = outcomes[i];
          if (o instanceof Error) b.reject(o);
          else b.resolve(o);
        });
      } catch (err) {
        batch.forEach((b) => b.reject(err));
      }
    }
    this.draining = false;
  }
}
