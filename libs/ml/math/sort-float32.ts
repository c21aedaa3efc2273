/**
 * Sorts float32 values ascending in place (-0 before +0, ±Infinity at the ends; no NaN) by an LSD radix
 * sort on their bits, three passes of 11 bits: about ten times faster than TypedArray.prototype.sort
 * on the 200k-value samples the binning sorts per feature.
 */
const DIGIT_BITS = 11;
const DIGITS = 1 << DIGIT_BITS;

export function sortFloat32(values: Float32Array): Float32Array {
  const n = values.length;
  const keys = new Uint32Array(values.buffer, values.byteOffset, n);
  // Order-preserving keys: negatives (sign bit set) get all bits flipped, others only the sign bit.
  for (let i = 0; i < n; i++) {
    const b = keys[i];
    keys[i] = b ^ ((b >> 31) | 0x80000000);
  }
  let src: Uint32Array = keys;
  let dst: Uint32Array = new Uint32Array(n);
  const count = new Int32Array(DIGITS);
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & (DIGITS - 1)]++;
    let at = 0;
    for (let d = 0; d < DIGITS; d++) {
      const c = count[d];
      count[d] = at;
      at += c;
    }
    for (let i = 0; i < n; i++) {
      const k = src[i];
      dst[count[(k >>> shift) & (DIGITS - 1)]++] = k;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  for (let i = 0; i < n; i++) {
    const k = src[i];
    keys[i] = k ^ (~(k >> 31) | 0x80000000);
  }
  return values;
}
