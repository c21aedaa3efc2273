/**
 * A minimal WebAssembly binary writer: the instructions the generated prediction kernel uses
 * (see gbdt/simd-walk.ts), one imported memory, functions and exports. Numbers follow the
 * WebAssembly 2.0 binary format (SIMD included); nothing here runs code, it only writes bytes.
 */

/**
 * WebAssembly memory is little-endian; typed arrays use the host's order. Kernels that share memory
 * with typed-array views of wider elements need the two to agree (every common host: x86, ARM).
 */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof I64 | typeof F64 | typeof V128;

/** Bytes appended to a buffer that doubles as it fills (a kernel is hundreds of kilobytes). */
class ByteWriter {
  private buf = new Uint8Array(1024);
  length = 0;

  push(...bytes: number[]): void {
    for (const b of bytes) this.byte(b);
  }

  byte(b: number): void {
    if (this.length === this.buf.length) {
      const grown = new Uint8Array(2 * this.buf.length);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.length++] = b;
  }

  bytes(from: Uint8Array): void {
    while (this.length + from.length > this.buf.length) {
      const grown = new Uint8Array(2 * this.buf.length);
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(from, this.length);
    this.length += from.length;
  }

  uleb(n: number): void {
    do {
      let b = n & 127;
      n >>>= 7;
      if (n !== 0) b |= 128;
      this.byte(b);
    } while (n !== 0);
  }

  sleb(n: number): void {
    for (;;) {
      const b = n & 127;
      n >>= 7;
      if ((n === 0 && (b & 64) === 0) || (n === -1 && (b & 64) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 128);
    }
  }

  name(s: string): void {
    this.uleb(s.length);
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
  }

  written(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

const f64Bytes = new Float64Array(1);
const f64View = new Uint8Array(f64Bytes.buffer);

/** A function body being written; each method appends one instruction (memory offsets are immediates). */
export class WasmCode {
  readonly bytes = new ByteWriter();

  private op(code: number, ...immediates: number[]): this {
    this.bytes.byte(code);
    for (const v of immediates) this.bytes.uleb(v);
    return this;
  }

  private simd(code: number, ...immediates: number[]): this {
    this.bytes.byte(0xfd);
    this.bytes.uleb(code);
    for (const v of immediates) this.bytes.uleb(v);
    return this;
  }

  localGet(i: number): this { return this.op(0x20, i); }
  localSet(i: number): this { return this.op(0x21, i); }
  localTee(i: number): this { return this.op(0x22, i); }
  i32Const(v: number): this {
    this.bytes.byte(0x41);
    this.bytes.sleb(v | 0);
    return this;
  }
  f64Const(v: number): this {
    f64Bytes[0] = v;
    this.bytes.byte(0x44);
    this.bytes.bytes(f64View);
    return this;
  }
  i32Add(): this { return this.op(0x6a); }
  i32Mul(): this { return this.op(0x6c); }
  i32Shl(): this { return this.op(0x74); }
  i32LtU(): this { return this.op(0x49); }
  i32Sub(): this { return this.op(0x6b); }
  i32Eqz(): this { return this.op(0x45); }
  i32GtS(): this { return this.op(0x4a); }
  i32GeS(): this { return this.op(0x4e); }
  i32Load(offset: number): this { return this.op(0x28, 2, offset); }
  i32Store(offset: number): this { return this.op(0x36, 2, offset); }
  i32Store8(offset: number): this { return this.op(0x3a, 0, offset); }
  i64Load(offset: number): this { return this.op(0x29, 3, offset); }
  i64Store(offset: number): this { return this.op(0x37, 3, offset); }
  i32Load8U(offset: number): this { return this.op(0x2d, 0, offset); }
  f64Load(offset: number): this { return this.op(0x2b, 3, offset); }
  f64Store(offset: number): this { return this.op(0x39, 3, offset); }
  f64Add(): this { return this.op(0xa0); }
  call(func: number): this { return this.op(0x10, func); }
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if(): this { return this.op(0x04, 0x40); }
  else(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { return this.op(0x0c, depth); }
  brIf(depth: number): this { return this.op(0x0d, depth); }
  v128Load(offset: number): this { return this.simd(0x00, 4, offset); }
  v128Store(offset: number): this { return this.simd(0x0b, 4, offset); }
  v128Zero(): this {
    this.simd(0x0c);
    this.bytes.bytes(new Uint8Array(16));
    return this;
  }
  i8x16Splat(): this { return this.simd(0x0f); }
  i8x16Eq(): this { return this.simd(0x23); }
  i8x16GtS(): this { return this.simd(0x27); }
  i8x16Add(): this { return this.simd(0x6e); }
  i8x16Sub(): this { return this.simd(0x71); }
  v128And(): this { return this.simd(0x4e); }
  v128Or(): this { return this.simd(0x50); }
  v128Xor(): this { return this.simd(0x51); }
}

export interface WasmFunction {
  params: ValueType[];
  results: ValueType[];
  /** Types of the locals after the parameters. */
  locals: ValueType[];
  code: WasmCode;
  /** Exported under this name, if given. */
  export?: string;
}

function section(id: number, body: ByteWriter, to: ByteWriter): void {
  to.byte(id);
  to.uleb(body.length);
  to.bytes(body.written());
}

/**
 * A module importing memory `m.mem` (at least `pages` 64 KiB pages; `shared`: a shared memory of
 * exactly `pages`, as worker threads use) and holding `functions` (index = position).
 */
export function wasmModule(pages: number, functions: WasmFunction[], shared = false): Uint8Array {
  const out = new ByteWriter();
  out.push(0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0);
  const types = new ByteWriter();
  types.uleb(functions.length);
  for (const f of functions) {
    types.byte(0x60);
    types.uleb(f.params.length);
    types.push(...f.params);
    types.uleb(f.results.length);
    types.push(...f.results);
  }
  section(1, types, out);
  const imports = new ByteWriter();
  imports.uleb(1);
  imports.name('m');
  imports.name('mem');
  imports.push(0x02, shared ? 0x03 : 0x00);
  imports.uleb(pages);
  if (shared) imports.uleb(pages);
  section(2, imports, out);
  const funcs = new ByteWriter();
  funcs.uleb(functions.length);
  functions.forEach((_, i) => funcs.uleb(i));
  section(3, funcs, out);
  const exported = functions.flatMap((f, i) => (f.export ? [[f.export, i] as const] : []));
  const exports = new ByteWriter();
  exports.uleb(exported.length);
  for (const [n, i] of exported) {
    exports.name(n);
    exports.byte(0x00);
    exports.uleb(i);
  }
  section(7, exports, out);
  const code = new ByteWriter();
  code.uleb(functions.length);
  for (const f of functions) {
    const body = new ByteWriter();
    // Locals as runs of one type.
    const runs: [number, ValueType][] = [];
    for (const t of f.locals) {
      if (runs.length > 0 && runs[runs.length - 1][1] === t) runs[runs.length - 1][0]++;
      else runs.push([1, t]);
    }
    body.uleb(runs.length);
    for (const [count, t] of runs) {
      body.uleb(count);
      body.byte(t);
    }
    body.bytes(f.code.bytes.written());
    body.byte(0x0b);
    code.uleb(body.length);
    code.bytes(body.written());
  }
  section(10, code, out);
  return out.written().slice();
}
