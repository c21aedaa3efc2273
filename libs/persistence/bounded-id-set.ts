/**
 * A set of ids that forgets the oldest half once it holds `capacity`, so a long-running process
 * keeps a bounded memory (two generations of at most capacity/2 ids each).
 */
export class BoundedIdSet {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(private readonly capacity: number) {
    if (!(capacity >= 2)) throw new Error('capacity must be at least 2');
  }

  has(id: string): boolean {
    return this.current.has(id) || this.previous.has(id);
  }

  addAll(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.current.size >= this.capacity / 2) {
        this.previous = this.current;
        this.current = new Set();
      }
      this.current.add(id);
    }
  }
}
