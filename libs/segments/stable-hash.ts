/**
 * MurmurHash3 x86 32-bit (Appleby, public domain) over the UTF-8 bytes of a string: stable across
 * processes, platforms and releases (unlike anything keyed by the runtime), uniform whatever the id
 * looks like (sequential numbers, UUIDs, e-mail addresses), pure JavaScript so workflows may call it,
 * and reproducible in any language with a murmur3 library (Python mmh3, Java Guava, SQL UDFs).
 */
const { imul } = Math;
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const TWO_POW_32 = 2 ** 32;

function mixK(k: number): number {
  k = imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return imul(k, C2);
}

export function murmur3(text: string, seed = 0): number {
  let h = seed >>> 0;
  let block = 0; // up to 4 pending bytes, little-endian
  let filled = 0;
  let length = 0;
  const push = (byte: number) => {
    block |= byte << (filled * 8);
    length++;
    if (++filled === 4) {
      h ^= mixK(block);
      h = (h << 13) | (h >>> 19);
      h = (imul(h, 5) + 0xe6546b64) | 0;
      block = 0;
      filled = 0;
    }
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) push(c);
    else if (c < 0x800) {
      push(0xc0 | (c >> 6));
      push(0x80 | (c & 63));
    } else {
      // A valid surrogate pair is one code point of 4 bytes; a lone surrogate encodes as U+FFFD (as TextEncoder does).
      const next = text.charCodeAt(i + 1);
      if (c >= 0xd800 && c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        push(0xf0 | (c >> 18));
        push(0x80 | ((c >> 12) & 63));
      } else {
        if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
        push(0xe0 | (c >> 12));
      }
      push(0x80 | ((c >> 6) & 63));
      push(0x80 | (c & 63));
    }
  }
  if (filled > 0) h ^= mixK(block);
  h ^= length;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from a key and a salt (the salt goes first, separated by NUL). */
export function unitHash(salt: string, key: string): number {
  return murmur3(`${salt}\u0000${key}`) / TWO_POW_32;
}
