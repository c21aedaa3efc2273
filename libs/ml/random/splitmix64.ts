const MASK64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;
const GOLDEN_HI = 0x9e3779b9;
const GOLDEN_LO = 0x7f4a7c15;
// The two SplitMix64 multipliers, split into 16-bit halves for the 32x32 -> 64 products below.
const M1_HI = 0xbf58476d;
const M1_LO = 0x1ce4e5b9;
const M2_HI = 0x94d049bb;
const M2_LO = 0x133111eb;
const TWO_POW_M32 = 2 ** -32;
const TWO_POW_M53 = 2 ** -53;
// Module-local aliases: inside a vm sandbox (jest) each `Math.x` is a slow global lookup.
const { floor, imul } = Math;

/** High 32 bits of the unsigned 64-bit product a*b (a, b unsigned 32-bit). */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/**
 * SplitMix64 (Steele, Lea & Flood 2014) in 32-bit halves: BigInt arithmetic is ~50x slower and the
 * synthetic table needs ~80M outputs. Output n (n = 0, 1, ...) for seed S is mix64(S + (n+1)*golden),
 * so `new SplitMix64(S, n)` jumps straight to output n (counter-style use, as in make_synth.py).
 */
export class SplitMix64 {
  private hi: number;
  private lo: number;
  // Last output, kept in halves so callers can take either uniform or integer views without allocation.
  private outHi = 0;
  private outLo = 0;

  constructor(seed: number | bigint, position: number | bigint = 0) {
    const state = (BigInt.asUintN(64, BigInt(seed)) + BigInt(position) * GOLDEN) & MASK64;
    this.hi = Number(state >> 32n);
    this.lo = Number(state & 0xffffffffn);
  }

  private advance(): void {
    const lo = (this.lo + GOLDEN_LO) >>> 0;
    const carry = lo < this.lo ? 1 : 0;
    this.hi = (this.hi + GOLDEN_HI + carry) >>> 0;
    this.lo = lo;
    let zh = this.hi;
    let zl = this.lo;
    // z ^= z >> 30; z *= M1
    zl = (zl ^ ((zl >>> 30) | (zh << 2))) >>> 0;
    zh = (zh ^ (zh >>> 30)) >>> 0;
    let h = (mulHi32(zl, M1_LO) + imul(zh, M1_LO) + imul(zl, M1_HI)) >>> 0;
    zl = imul(zl, M1_LO) >>> 0;
    zh = h;
    // z ^= z >> 27; z *= M2
    zl = (zl ^ ((zl >>> 27) | (zh << 5))) >>> 0;
    zh = (zh ^ (zh >>> 27)) >>> 0;
    h = (mulHi32(zl, M2_LO) + imul(zh, M2_LO) + imul(zl, M2_HI)) >>> 0;
    zl = imul(zl, M2_LO) >>> 0;
    zh = h;
    // z ^= z >> 31
    this.outLo = (zl ^ ((zl >>> 31) | (zh << 1))) >>> 0;
    this.outHi = (zh ^ (zh >>> 31)) >>> 0;
  }

  /** Next uniform in [0, 1): (z >> 11) * 2^-53, exact in a double. */
  nextDouble(): number {
    this.advance();
    return this.outHi * TWO_POW_M32 + (this.outLo >>> 11) * TWO_POW_M53;
  }

  /** Next output as a BigInt (for checks against reference streams; slow). */
  nextBigUint64(): bigint {
    this.advance();
    return (BigInt(this.outHi) << 32n) | BigInt(this.outLo);
  }

  /** Uniform integer in [0, bound), bound <= 2^32 (multiply-shift of the high half; bias < 2^-32 * bound). */
  nextInt(bound: number): number {
    this.advance();
    return floor(this.outHi * TWO_POW_M32 * bound);
  }
}
