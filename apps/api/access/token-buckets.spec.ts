import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('allows a burst of its capacity, then refuses with the wait until the next token', () => {
    const b = new TokenBuckets(3, 60_000);
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) expect(b.take('k', t)).toEqual({ ok: true });
    expect(b.take('k', t)).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(b.retryAfterSeconds('k', t + 10_000)).toBe(10);
    expect(b.take('k', t + 20_000)).toEqual({ ok: true });
    expect(b.take('k', t + 20_000).ok).toBe(false);
  });

  it('keeps keys apart and refills up to the capacity only', () => {
    const b = new TokenBuckets(2, 1000);
    b.take('a', 0);
    b.take('a', 0);
    expect(b.take('a', 0).ok).toBe(false);
    expect(b.take('b', 0).ok).toBe(true);
    expect(b.available('a', 1_000_000)).toBe(2);
  });

  it('stays bounded: full buckets are forgotten first, then the oldest', () => {
    const b = new TokenBuckets(1, 1000, 3);
    b.take('a', 0);
    b.take('b', 0);
    b.take('c', 900);
    b.take('d', 1500); // a and b are full again at 1500: forgotten
    expect(b.size).toBe(2);
    b.take('e', 1600);
    b.take('f', 1600); // c, d, e still empty: the oldest (c) goes
    expect(b.size).toBe(3);
    expect(b.available('c', 1600)).toBe(1);
    expect(b.available('d', 1600)).toBeLessThan(1);
  });
});
