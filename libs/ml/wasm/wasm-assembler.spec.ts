import { F64, I32, V128, WasmCode, wasmModule } from './wasm-assembler';

function instantiate(bytes: Uint8Array, pages = 1): { exports: Record<string, unknown>; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: pages });
  return { exports: new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem: memory } }).exports, memory };
}

describe('wasm assembler', () => {
  it('writes a module V8 accepts, with multi-byte immediates, loops, calls and exports', () => {
    // sum(n) = sum of i * 300000 for i < n, through a helper at index 1 (i32 arithmetic wraps).
    const sum = new WasmCode();
    sum.i32Const(0).localSet(1).i32Const(0).localSet(2).block().loop();
    sum.localGet(2).localGet(1).call(1).i32Add().localSet(2);
    sum.localGet(1).i32Const(1).i32Add().localTee(1).localGet(0).i32LtU().brIf(0).end().end();
    sum.localGet(2);
    const times = new WasmCode().localGet(0).i32Const(300000).i32Mul();
    const bytes = wasmModule(1, [
      { params: [I32], results: [I32], locals: [I32, I32], code: sum, export: 'sum' },
      { params: [I32], results: [I32], locals: [], code: times },
    ]);
    const { exports } = instantiate(bytes);
    const f = exports.sum as (n: number) => number;
    let expected = 0;
    for (let i = 0; i < 5000; i++) expected = (expected + Math.imul(i, 300000)) | 0;
    expect(f(5000)).toBe(expected);
    expect(exports).not.toHaveProperty('1');
  });

  it('encodes negative constants, f64 constants, memory offsets and the SIMD byte operations', () => {
    // out[j] (f64 at 1024 + 8j) = 0.1 + byte j of ((a > b as signed bytes) & (a == splat(-3))) + 1 - a
    const c = new WasmCode();
    c.i32Const(0).i32Const(0).v128Load(0).i32Const(0).v128Load(16).i8x16GtS();
    c.i32Const(0).v128Load(0).i32Const(-3).i8x16Splat().i8x16Eq().v128And();
    c.i32Const(1).i8x16Splat().i8x16Add().i32Const(0).v128Load(0).i8x16Sub();
    c.i32Const(0).i8x16Splat().v128Or().v128Zero().v128Xor().v128Store(32);
    for (let j = 0; j < 16; j++) c.i32Const(8 * j).i32Const(j).i32Load8U(32).i32Const(3).i32Shl().f64Load(2048).f64Const(0.1).f64Add().f64Store(1024);
    const bytes = wasmModule(1, [{ params: [], results: [], locals: [V128, F64], code: c, export: 'run' }]);
    const { exports, memory } = instantiate(bytes);
    const u8 = new Uint8Array(memory.buffer);
    const a = [-3, -3, 5, -3, 0, 127, -128, -3, 1, 2, 3, 4, -3, -3, 9, 10];
    const b = [-4, 0, 4, -3, 1, -128, 127, -5, 0, 0, 0, 0, 100, -100, 0, 0];
    new Int8Array(memory.buffer, 0, 16).set(a);
    new Int8Array(memory.buffer, 16, 16).set(b);
    const table = new Float64Array(memory.buffer, 2048, 256);
    for (let k = 0; k < 256; k++) table[k] = k * 1000;
    (exports.run as () => void)();
    const out = new Float64Array(memory.buffer, 1024, 16);
    for (let j = 0; j < 16; j++) {
      const mask = a[j] > b[j] && a[j] === -3 ? -1 : 0;
      const v = (mask + 1 - a[j]) & 255;
      expect(u8[32 + j]).toBe(v);
      expect(out[j]).toBe(v * 1000 + 0.1);
    }
  });
});
