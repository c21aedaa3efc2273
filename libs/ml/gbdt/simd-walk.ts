import { HOST_LITTLE_ENDIAN, I32, V128, WasmCode, WasmFunction, wasmModule } from '../wasm/wasm-assembler';
import type { FastForest } from './fast-forest';

/**
 * The walk of a quantized block (see fast-forest.ts) as WebAssembly SIMD, generated for one forest:
 * sixteen rows in the sixteen byte lanes of a vector, and every node of a tree evaluated for all of
 * them at once, `acc |= (code > threshold) & (h == node)` level by level, then `h = 2h + 1 + bit`.
 * A tree of depth 6 costs its 63 nodes x 7 instructions per sixteen rows, where walking each row down
 * costs 6 steps of ~17 instructions in V8's code for JavaScript: the walk is ~2x faster (BENCHMARKS.md).
 * Padding nodes (everything left) cost nothing. Thresholds and node numbers are constants in the
 * code; each tree is its own loop over the block's row groups, which keeps V8's register allocation
 * from interleaving trees. Then the leaves: per row, base margin plus each tree's leaf, in tree
 * order, so the margins are bitwise those of the JavaScript walk.
 *
 * Heap indices are bytes, so every tree must be at most SIMD_MAX_DEPTH deep; codes are compared as
 * signed bytes, so the walk first flips their top bit (thresholds are generated flipped).
 *
 * Memory of an instance (one per thread, not shared): the block's codes A and B at 0 (the JavaScript
 * quantizer writes them there), then per tree the block's final heap indices (128 bytes), then the
 * block's margins, then the leaves (FastForest.leaf as it is).
 */
export interface SimdWalkModule {
  module: WebAssembly.Module;
  pages: number;
  outAt: number;
  leafAt: number;
}

/** A thread's instance: write codes into `blk`, call walk, read margins from `out`. */
export interface SimdWalk {
  blk: Uint8Array;
  out: Float64Array;
  /** Margins of the block's first 16 x groups rows into `out`; missing = 1 when codes B are written. */
  walk: (missing: number, groups: number) => void;
}

/** Deepest tree the byte heap indices hold (index 2^(depth+1) - 2 <= 254). */
export const SIMD_MAX_DEPTH = 7;
/** Nodes per generated function (keeps each function a size V8 compiles quickly). */
const CHUNK_NODES = 4096;
const LANES = 16;

let supported: boolean | undefined;

/** Whether this runtime has WebAssembly with 128-bit SIMD (Node 16.4+). */
export function simdSupported(): boolean {
  if (supported === undefined) {
    const probe: WasmFunction = { params: [], results: [], locals: [V128], code: new WasmCode().v128Zero().localSet(0) };
    try {
      supported = typeof WebAssembly === 'object' && WebAssembly.validate(wasmModule(1, [probe]));
    } catch {
      supported = false;
    }
  }
  return supported === true;
}

/** One tree's node evaluation for every row group of the block (see the file comment). */
function emitTree(c: WasmCode, word: Int32Array, nodeBase: number, depth: number, hAt: number): void {
  const [groups, base, h, acc] = [0, 1, 2, 3];
  c.i32Const(0).localSet(base).block().loop();
  for (let d = 0; d < depth; d++) {
    let terms = 0;
    for (let k = 0; k < 1 << d; k++) {
      const node = (1 << d) - 1 + k;
      const w = word[nodeBase + node];
      const threshold = w & 255;
      if (threshold === 255) continue; // padding: every row goes left
      c.localGet(base).v128Load(w >> 8).i32Const(threshold ^ 0x80).i8x16Splat().i8x16GtS();
      if (d > 0) c.localGet(h).i32Const(node).i8x16Splat().i8x16Eq().v128And();
      if (terms++ > 0) c.localGet(acc).v128Or();
      c.localSet(acc);
    }
    // h = 2h + 1 + bit, bit = -acc (acc lanes are 0 or -1)
    if (d === 0) c.i32Const(1).i8x16Splat();
    else c.localGet(h).localGet(h).i8x16Add().i32Const(1).i8x16Splat().i8x16Add();
    if (terms > 0) c.localGet(acc).i8x16Sub();
    c.localSet(h);
  }
  c.localGet(base).localGet(h).v128Store(hAt);
  c.localGet(base).i32Const(LANES).i32Add().localTee(base).localGet(groups).i32Const(LANES).i32Mul().i32LtU().brIf(0).end().end();
}

const forests = new WeakMap<FastForest, SimdWalkModule | null>();

/** The forest's SIMD walk, generated and compiled on first use (null without SIMD or with a tree too deep). */
export function simdWalkModule(F: FastForest): SimdWalkModule | null {
  let made = forests.get(F);
  if (made === undefined) {
    made = makeSimdWalk(F);
    forests.set(F, made);
  }
  return made;
}

function makeSimdWalk(F: FastForest): SimdWalkModule | null {
  // The leaves are written through a host-order Float64Array and read by WebAssembly as little-endian.
  if (!simdSupported() || !HOST_LITTLE_ENDIAN) return null;
  const T = F.numTrees;
  const B = F.blockRows;
  for (let t = 0; t < T; t++) if (F.treeDepth[t] > SIMD_MAX_DEPTH) return null;
  const blkBytes = 2 * F.numFeatures * B;
  const hAt = Math.ceil(blkBytes / 16) * 16;
  const outAt = hAt + B * T;
  // leafAt >= 8 x 127, so that leafAt + 8 x treeLeaf[t] (treeLeaf[t] >= -127) is a valid offset.
  const leafAt = outAt + 8 * B;
  const pages = Math.ceil((leafAt + 8 * F.leaf.length) / 65536);

  const nodeFunctions = (word: Int32Array): WasmFunction[] => {
    const fns: WasmFunction[] = [];
    let c = new WasmCode();
    let nodes = 0;
    for (let t = 0; t < T; t++) {
      const D = F.treeDepth[t];
      if (D === 0) continue;
      if (nodes > 0 && nodes + (1 << D) > CHUNK_NODES) {
        fns.push({ params: [I32], results: [], locals: [I32, V128, V128], code: c });
        c = new WasmCode();
        nodes = 0;
      }
      emitTree(c, word, F.treeNode[t], D, hAt + B * t);
      nodes += (1 << D) - 1;
    }
    if (nodes > 0) fns.push({ params: [I32], results: [], locals: [I32, V128, V128], code: c });
    return fns;
  };
  const plain = nodeFunctions(F.wordNoMissing);
  const withMissing = nodeFunctions(F.word);

  // leaves(groups): out[j] = baseMargin + leaf of tree 0 + leaf of tree 1 + ..., for j < 16 x groups.
  const leaves = new WasmCode();
  {
    const [groups, j] = [0, 1];
    leaves.i32Const(0).localSet(j).block().loop();
    leaves.localGet(j).i32Const(3).i32Shl().f64Const(F.baseMargin);
    for (let t = 0; t < T; t++) {
      if (F.treeDepth[t] === 0) leaves.f64Const(F.leaf[F.treeLeaf[t]]);
      else leaves.localGet(j).i32Load8U(hAt + B * t).i32Const(3).i32Shl().f64Load(leafAt + 8 * F.treeLeaf[t]);
      leaves.f64Add();
    }
    leaves.f64Store(outAt);
    leaves.localGet(j).i32Const(1).i32Add().localTee(j).localGet(groups).i32Const(LANES).i32Mul().i32LtU().brIf(0).end().end();
  }

  // walk(missing, groups): flip the codes' top bits, evaluate the nodes, sum the leaves.
  const LEAVES = 1;
  const FIRST = 2;
  const walk = new WasmCode();
  {
    const [missing, groups, at, end] = [0, 1, 2, 3];
    walk.localGet(missing).i32Const(1).i32Add().i32Const(F.numFeatures * B).i32Mul().localSet(end);
    walk.i32Const(0).localSet(at).block().loop();
    walk.localGet(at).localGet(at).v128Load(0).i32Const(0x80).i8x16Splat().v128Xor().v128Store(0);
    walk.localGet(at).i32Const(LANES).i32Add().localTee(at).localGet(end).i32LtU().brIf(0).end().end();
    walk.localGet(missing).if();
    withMissing.forEach((_, i) => walk.localGet(groups).call(FIRST + plain.length + i));
    walk.else();
    plain.forEach((_, i) => walk.localGet(groups).call(FIRST + i));
    walk.end();
    walk.localGet(groups).call(LEAVES);
  }
  const bytes = wasmModule(pages, [
    { params: [I32, I32], results: [], locals: [I32, I32], code: walk, export: 'walk' },
    { params: [I32], results: [], locals: [I32], code: leaves },
    ...plain,
    ...withMissing,
  ]);
  return { module: new WebAssembly.Module(bytes), pages, outAt, leafAt };
}

/**
 * A thread's own instance of a forest's SIMD walk (also run in prediction worker threads from its
 * source text: it may use only its arguments and JavaScript built-ins).
 */
export function simdWalkInstance(S: SimdWalkModule, F: FastForest): SimdWalk {
  const mem = new WebAssembly.Memory({ initial: S.pages, maximum: S.pages });
  const instance = new WebAssembly.Instance(S.module, { m: { mem } });
  new Float64Array(mem.buffer, S.leafAt, F.leaf.length).set(F.leaf);
  return {
    blk: new Uint8Array(mem.buffer, 0, 2 * F.numFeatures * F.blockRows),
    out: new Float64Array(mem.buffer, S.outAt, F.blockRows),
    walk: instance.exports.walk as (missing: number, groups: number) => void,
  };
}
