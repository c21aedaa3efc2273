import { WasmCode } from '../wasm/wasm-assembler';
import { HIST_STRIDE } from './histogram';

/**
 * The histogram loop of histogram.ts as WebAssembly (see training-arena.ts):
 * histogram(wordsAt, gqAt, histAt, start, end), start < end, adds the packed gradient of each position
 * in [start, end) to its bin of every column: per row one gradient load, per column a byte load and a
 * Float64 add at a constant offset. Locals after the five parameters: k, row, at (i32), v (f64).
 */
export function histogramCode(columns: number, rowBytes: number): WasmCode {
  const [wordsAt, gqAt, histAt, start, end, k, row, at, v] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const c = new WasmCode();
  c.localGet(start).localSet(k);
  c.localGet(start).i32Const(rowBytes).i32Mul().localGet(wordsAt).i32Add().localSet(row);
  c.block().loop();
  c.localGet(k).i32Const(3).i32Shl().localGet(gqAt).i32Add().f64Load(0).localSet(v);
  for (let col = 0; col < columns; col++) {
    const offset = 8 * HIST_STRIDE * col;
    c.localGet(row).i32Load8U(col).i32Const(3).i32Shl().localGet(histAt).i32Add().localTee(at);
    c.localGet(at).f64Load(offset).localGet(v).f64Add().f64Store(offset);
  }
  c.localGet(row).i32Const(rowBytes).i32Add().localSet(row);
  c.localGet(k).i32Const(1).i32Add().localTee(k).localGet(end).i32LtU().brIf(0).end().end();
  return c;
}
