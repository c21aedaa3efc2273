import { murmur3, unitHash } from './stable-hash';

describe('murmur3', () => {
  // The reference vectors of MurmurHash3_x86_32 (SMHasher and its ports).
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\u0000\u0000\u0000\u0000', 0, 0x2362f9de],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['aa', 0x9747b28c, 0x5d211726],
    ['aaa', 0x9747b28c, 0x283e0130],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ['ππππππππ', 0x9747b28c, 0xd58063c1],
  ])('hashes %j with seed %d like the reference', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it('hashes the UTF-8 bytes, as TextEncoder writes them (4-byte code points, lone surrogates)', () => {
    for (const text of ['é', '€uro', 'a😀b', 'x\ud800y', '\udc00']) {
      const bytes = new TextEncoder().encode(text);
      expect(murmur3(text, 7)).toBe(murmurBytes(bytes, 7));
    }
  });
});

describe('unitHash', () => {
  it('is in [0, 1) and depends on salt and key', () => {
    const a = unitHash('s1', 'user-1');
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(1);
    expect(unitHash('s1', 'user-1')).toBe(a);
    expect(unitHash('s2', 'user-1')).not.toBe(a);
    expect(unitHash('s1', 'user-2')).not.toBe(a);
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(unitHash('ab', 'c')).not.toBe(unitHash('a', 'bc'));
  });
});

/** A byte-array reference of the same algorithm, to check the on-the-fly UTF-8 encoding. */
function murmurBytes(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const mix = (k: number) => {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    return Math.imul(k, 0x1b873593);
  };
  const blocks = bytes.length >> 2;
  for (let b = 0; b < blocks; b++) {
    const k = bytes[4 * b] | (bytes[4 * b + 1] << 8) | (bytes[4 * b + 2] << 16) | (bytes[4 * b + 3] << 24);
    h ^= mix(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let i = bytes.length - 1; i >= 4 * blocks; i--) k = (k << 8) | bytes[i];
  if (bytes.length & 3) h ^= mix(k);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
