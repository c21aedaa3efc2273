import { decodeBins, exactHessian, quantizationPlan, quantizedGradients } from './gradient-quantizer';

/** n margins spread over [-4, 4] and labels that agree with them 70% of the time. */
function table(n: number): { margin: Float64Array; y: Uint8Array } {
  const margin = Float64Array.from({ length: n }, (_, i) => -4 + (8 * i) / n);
  const y = Uint8Array.from(margin, (m, i) => ((m > 0) === (i % 10 < 7) ? 1 : 0));
  return { margin, y };
}

describe('quantized gradients', () => {
  it('gives the bits to small tables and never lets a bin sum reach 2^53', () => {
    for (const rows of [1, 100, 5000, 100_000, 1_000_000, 2 ** 23 - 1]) {
      const plan = quantizationPlan(rows);
      // Largest packed bin: every row at |g| -> 1 and h = 1/4 (floor(x·scale + u) <= scale for x <= 1).
      const most = rows * plan.gScale * plan.shiftMul + rows * (plan.hScale / 4);
      expect(most).toBeLessThan(2 ** 53);
      expect(rows * (plan.hScale / 4)).toBeLessThan(plan.shiftMul);
    }
    expect(quantizationPlan(500).gScale).toBe(2 ** 16);
    expect(quantizationPlan(5000).gScale).toBe(2 ** 13);
    expect(quantizationPlan(1_000_000).gScale).toBe(2 ** 6);
    expect(() => quantizationPlan(2 ** 23)).toThrow(/at most 8388607 training rows in one bin/);
  });

  it('stores exact gradients and packs rounded ones whose sums decode to the exact sums within rounding noise', () => {
    const n = 200_000;
    const { margin, y } = table(n);
    const g = new Float64Array(n);
    const gq = new Float64Array(n);
    const plan = quantizationPlan(n);
    quantizedGradients(plan, 7, margin, y, g, gq, 0, n, false);
    let G = 0;
    let H = 0;
    let packed = 0;
    for (let k = 0; k < n; k++) {
      const p = 1 / (1 + Math.exp(-margin[k]));
      expect(g[k]).toBeCloseTo(p - y[k], 12);
      G += g[k];
      H += exactHessian(g[k], y[k]);
      packed += gq[k];
    }
    const out = new Float64Array(2);
    decodeBins(plan, Float64Array.of(packed), 0, 1, out);
    // Unbiased rounding: the sum's error is ~sqrt(n)/2 steps, far below one step per row.
    const step = 1 / plan.gScale;
    expect(Math.abs(out[0] - G)).toBeLessThan(5 * Math.sqrt(n) * step);
    expect(Math.abs(out[1] - H)).toBeLessThan(5 * Math.sqrt(n) / plan.hScale);
    expect(Math.abs(out[0] - G)).toBeGreaterThan(0);
  });

  it('rounds the same way for the same seed and position, differently for another seed', () => {
    const { margin, y } = table(1000);
    const run = (seed: number, start: number) => {
      const gq = new Float64Array(1000);
      quantizedGradients(quantizationPlan(1_000_000), seed, margin, y, new Float64Array(1000), gq, start, 1000, false);
      return gq;
    };
    const whole = run(1, 0);
    // A range done on its own (another shard or thread) gets the same values.
    expect(run(1, 500).subarray(500)).toEqual(whole.subarray(500));
    expect(run(2, 0)).not.toEqual(whole);
  });

  it('returns the summed log-loss when asked', () => {
    const { margin, y } = table(1000);
    let expected = 0;
    for (let k = 0; k < 1000; k++) {
      const p = 1 / (1 + Math.exp(-margin[k]));
      expected -= y[k] ? Math.log(p) : Math.log(1 - p);
    }
    const loss = quantizedGradients(quantizationPlan(1000), 1, margin, y, new Float64Array(1000), new Float64Array(1000), 0, 1000, true);
    expect(loss).toBeCloseTo(expected, 8);
  });
});
