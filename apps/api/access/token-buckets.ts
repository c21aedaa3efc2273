/**
 * Token buckets by key (an API key id, a client address), in this process's memory: each key may
 * spend `capacity` at once and earns `capacity` back per `periodMs`. Keys whose bucket is full again
 * are forgotten (a full bucket is the same as none), so memory stays bounded by the active keys.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    periodMs: number,
    private readonly maxKeys = 100_000,
  ) {
    this.perMs = capacity / periodMs;
  }

  /** Tokens `key` has now. */
  available(key: string, now = Date.now()): number {
    const b = this.buckets.get(key);
    return b ? Math.min(this.capacity, b.tokens + (now - b.at) * this.perMs) : this.capacity;
  }

  /** Spends one token; when there is none, says how many seconds until there is one. */
  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const tokens = this.available(key, now);
    if (tokens < 1) return { ok: false, retryAfterSeconds: this.retryAfterSeconds(key, now) };
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) this.forgetFull(now);
    this.buckets.delete(key); // re-inserted last: the map stays ordered oldest change first
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return { ok: true };
  }

  /** Seconds until `key` has a token again (0 when it has one now). */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const tokens = this.available(key, now);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.perMs / 1000);
  }

  get size(): number {
    return this.buckets.size;
  }

  private forgetFull(now: number): void {
    for (const [key] of this.buckets) if (this.available(key, now) >= this.capacity) this.buckets.delete(key);
    // Still full of active keys: drop the least recently charged one rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
