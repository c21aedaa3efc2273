import { SplitMix64 } from '../random/splitmix64';
import { HIST_STRIDE, histogramKernel } from './histogram';
import { partitionPositions, PositionArrays } from './partition';
import { arenaKernels, TrainingArena, trainingArena } from './training-arena';

/** Random bins, packed integer gradients as training makes them (negative ones too), margins and labels. */
function fillArena(a: TrainingArena, rng: SplitMix64): void {
  for (let i = 0; i < a.rows.words.length; i++) a.rows.words[i] = rng.nextInt(2 ** 32);
  for (let k = 0; k < a.gq.length; k++) {
    a.gq[k] = (rng.nextInt(2000) - 1000) * 2 ** 13 + rng.nextInt(4000);
    a.g[k] = rng.nextDouble() - 0.5;
    a.margin[k] = rng.nextDouble() * 4 - 2;
    a.y[k] = rng.nextInt(2);
  }
}

/** Whether two typed arrays hold the same values (jest's toEqual is slow on long ones). */
function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function copyOf(a: PositionArrays): PositionArrays {
  return { rows: { words: a.rows.words.slice(), wordsPerRow: a.rows.wordsPerRow }, gq: a.gq.slice(), g: a.g.slice(), margin: a.margin.slice(), y: a.y.slice() };
}

describe('training arena (WebAssembly kernels)', () => {
  it('adds the same histogram sums as the JavaScript kernel, for any column count and range', () => {
    const rng = new SplitMix64(21);
    for (const columns of [1, 5, 40]) {
      const n = 3001;
      const arena = trainingArena(n, columns, 2, 4);
      expect(arena).not.toBeNull();
      fillArena(arena!, rng);
      const { rows, gq, threadHists } = arena!;
      const wasm = arenaKernels(arena!).histogram;
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

  it('partitions like partitionPositions, row for row: same boundary, same order, every array moved along', () => {
    const rng = new SplitMix64(22);
    for (const columns of [3, 9, 40]) {
      const n = 5000;
      const maxLeaves = 8;
      const arena = trainingArena(n, columns, 1, maxLeaves)!;
      const { partition } = arenaKernels(arena);
      for (const [node, share] of [[0, 0.5], [3, 0.9], [5, 0.02], [6, 1], [7, 0]] as const) {
        for (let b = 0; b < 256; b++) arena.nodeGoLeft[256 * node + b] = rng.nextDouble() < share ? 1 : 0;
        for (const [start, end] of [[0, n], [100, 101], [40, 40], [7, 4093]]) {
          fillArena(arena, rng);
          const col = rng.nextInt(columns);
          const expected = copyOf(arena);
          const boundary = partitionPositions(expected, col, arena.nodeGoLeft, 256 * node, start, end);
          expect(partition(col, 256 * node, start, end)).toBe(boundary);
          const moved = [arena.rows.words, arena.gq, arena.g, arena.margin, arena.y];
          const want = [expected.rows.words, expected.gq, expected.g, expected.margin, expected.y];
          expect(moved.map((m, q) => same(m, want[q]))).toEqual([true, true, true, true, true]);
        }
      }
    }
  });

  it('leaves tables beyond a 32-bit memory to the JavaScript kernels', () => {
    expect(trainingArena(2 ** 28, 40, 2, 64)).toBeNull();
  });
});
