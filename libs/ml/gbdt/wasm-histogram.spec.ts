import { SplitMix64 } from '../random/splitmix64';
import { HIST_STRIDE, histogramKernel } from './histogram';
import { arenaHistogramKernel, histogramArena } from './wasm-histogram';

describe('WebAssembly histogram kernel', () => {
  it('adds the same sums as the JavaScript kernel, for any column count and range', () => {
    const rng = new SplitMix64(21);
    for (const columns of [1, 5, 40]) {
      const n = 3001;
      const arena = histogramArena(n, columns, 2);
      expect(arena).not.toBeNull();
      const { rows, gq, threadHists } = arena!;
      for (let i = 0; i < rows.words.length; i++) rows.words[i] = rng.nextInt(2 ** 32);
      // Packed integer gradients as training makes them (g * 2^s + h), negative ones too.
      for (let k = 0; k < n; k++) gq[k] = (rng.nextInt(2000) - 1000) * 2 ** 13 + rng.nextInt(4000);
      const wasm = arenaHistogramKernel(arena!);
      const js = histogramKernel(columns);
      for (const [start, end] of [[0, n], [17, 18], [100, 100], [5, 2900]]) {
        const expected = new Float64Array(columns * HIST_STRIDE);
        js(rows.words, gq, expected, start, end);
        const got = threadHists[1];
        got.fill(0);
        wasm(rows.words, gq, got, start, end);
        expect(Array.from(got)).toEqual(Array.from(expected));
        expect(threadHists[0].every((v) => v === 0)).toBe(true);
      }
    }
  });

  it('leaves tables beyond a 32-bit memory to the JavaScript kernel', () => {
    expect(histogramArena(2 ** 28, 40, 2)).toBeNull();
  });
});
