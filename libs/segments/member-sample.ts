import { unitHash } from './stable-hash';

/**
 * A uniform sample of k members without replacement that is the same whatever order the members
 * arrive in, and whichever partitions they were scanned in: the k members with the smallest seeded
 * hash (a bottom-k sketch). A reservoir sample would depend on the scan order, which the database does
 * not promise; bottom-k samples of partitions merge into the sample of the whole.
 */
export class MemberSample {
  // Max-heap on (key, id): the root is the member to drop when a smaller one arrives.
  private readonly keys: number[] = [];
  private readonly ids: string[] = [];

  constructor(
    readonly size: number,
    readonly seed: string,
  ) {
    if (!(Number.isInteger(size) && size >= 0)) throw new Error(`MemberSample: size must be a whole number >= 0, got ${size}`);
  }

  offer(userId: string): void {
    const key = unitHash(this.seed, userId);
    if (this.ids.length < this.size) {
      this.keys.push(key);
      this.ids.push(userId);
      this.siftUp(this.ids.length - 1);
    } else if (this.size > 0 && before(key, userId, this.keys[0], this.ids[0])) {
      this.keys[0] = key;
      this.ids[0] = userId;
      this.siftDown(0);
    }
  }

  /** The sampled ids, in sample order (ascending hash). */
  members(): string[] {
    return this.ids
      .map((id, i) => ({ id, key: this.keys[i] }))
      .sort((a, b) => (before(a.key, a.id, b.key, b.id) ? -1 : 1))
      .map((m) => m.id);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(this.keys[parent], this.ids[parent], this.keys[i], this.ids[i])) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      let largest = i;
      for (const child of [2 * i + 1, 2 * i + 2])
        if (child < this.ids.length && before(this.keys[largest], this.ids[largest], this.keys[child], this.ids[child])) largest = child;
      if (largest === i) return;
      this.swap(i, largest);
      i = largest;
    }
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
    [this.ids[a], this.ids[b]] = [this.ids[b], this.ids[a]];
  }
}

/** Sample order: by hash, ties (a 32-bit hash has some among millions) by id. */
function before(keyA: number, idA: string, keyB: number, idB: string): boolean {
  return keyA < keyB || (keyA === keyB && idA < idB);
}

/** The sample of a union from the samples of its parts (same size and seed). */
export function mergeSamples(samples: readonly (readonly string[])[], size: number, seed: string): string[] {
  const merged = new MemberSample(size, seed);
  for (const s of samples) for (const id of s) merged.offer(id);
  return merged.members();
}
