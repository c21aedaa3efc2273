import { WasmCode } from '../wasm/wasm-assembler';
import type { ArenaLayout } from './training-arena';

/**
 * partitionPositions (partition.ts) as WebAssembly (see training-arena.ts), the same Hoare partition
 * step for step, so rows end in the same order: partition(col, goLeftAt, start, end) returns the
 * first right position. A row's bins move as 16-byte vectors (then 8 and 4 bytes), its gradients,
 * margin and label with it (as raw bits: vectors and integers, gradients as f64). Locals after the four parameters: i, j, ri, rj, t (i32), tv (v128), tf (f64), tw (i64).
 */
export function partitionCode(L: ArenaLayout): WasmCode {
  const [col, goLeftAt, start, end, i, j, ri, rj, t, tv, tf, tw] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const c = new WasmCode();
  // goLeft[goLeftAt + bin of position k in col], on the stack
  const left = (k: number) => c.localGet(k).i32Const(L.rowBytes).i32Mul().localGet(col).i32Add().i32Load8U(0).localGet(goLeftAt).i32Add().i32Load8U(L.goLeftAt);
  c.localGet(start).localSet(i).localGet(end).i32Const(1).i32Sub().localSet(j);
  c.block().loop();
  // while (i <= j && left(i)) i++
  c.block().loop().localGet(i).localGet(j).i32GtS().brIf(1);
  left(i);
  c.i32Eqz().brIf(1).localGet(i).i32Const(1).i32Add().localSet(i).br(0).end().end();
  // while (i <= j && !left(j)) j--
  c.block().loop().localGet(i).localGet(j).i32GtS().brIf(1);
  left(j);
  c.brIf(1).localGet(j).i32Const(1).i32Sub().localSet(j).br(0).end().end();
  c.localGet(i).localGet(j).i32GeS().brIf(1);
  // Swap positions i and j: the bin rows, then gq, g, margin, then y.
  c.localGet(i).i32Const(L.rowBytes).i32Mul().localSet(ri).localGet(j).i32Const(L.rowBytes).i32Mul().localSet(rj);
  for (let off = 0; off < L.rowBytes; ) {
    if (L.rowBytes - off >= 16) {
      c.localGet(ri).v128Load(off).localSet(tv).localGet(ri).localGet(rj).v128Load(off).v128Store(off).localGet(rj).localGet(tv).v128Store(off);
      off += 16;
    } else if (L.rowBytes - off >= 8) {
      c.localGet(ri).i64Load(off).localSet(tw).localGet(ri).localGet(rj).i64Load(off).i64Store(off).localGet(rj).localGet(tw).i64Store(off);
      off += 8;
    } else {
      c.localGet(ri).i32Load(off).localSet(t).localGet(ri).localGet(rj).i32Load(off).i32Store(off).localGet(rj).localGet(t).i32Store(off);
      off += 4;
    }
  }
  c.localGet(i).i32Const(3).i32Shl().localSet(ri).localGet(j).i32Const(3).i32Shl().localSet(rj);
  for (const at of [L.gqAt, L.gAt, L.marginAt]) {
    c.localGet(ri).f64Load(at).localSet(tf).localGet(ri).localGet(rj).f64Load(at).f64Store(at).localGet(rj).localGet(tf).f64Store(at);
  }
  c.localGet(i).i32Load8U(L.yAt).localSet(t).localGet(i).localGet(j).i32Load8U(L.yAt).i32Store8(L.yAt).localGet(j).localGet(t).i32Store8(L.yAt);
  c.localGet(i).i32Const(1).i32Add().localSet(i).localGet(j).i32Const(1).i32Sub().localSet(j).br(0);
  c.end().end();
  c.localGet(i);
  return c;
}
