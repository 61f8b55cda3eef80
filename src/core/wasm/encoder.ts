/**
 * Just enough of the WebAssembly binary format to emit the kernel module at run time: function
 * bodies written through named instructions, one imported memory, exported functions. Emitting
 * bytes from TypeScript keeps the engine free of build steps and generated files, and lets the
 * kernels be unrolled by ordinary loops (see kernel-module.ts).
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

function unsignedLeb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function signedLeb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** An export or import name (ASCII here). */
function name(s: string): number[] {
  const bytes = [...s].map((c) => c.charCodeAt(0));
  return [...unsignedLeb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

/** memarg for 8-byte aligned accesses (f64 and v128 loads of Float64Array data). */
const ALIGN8 = 3;
/** memarg for 4-byte aligned i32, f32 and f32-lane accesses. */
const ALIGN4 = 2;
const EMPTY_BLOCK = 0x40;

/** A function body under construction; each method appends one instruction and returns `this`. */
export class FunctionBuilder {
  private readonly locals: ValueType[] = [];
  private readonly code: number[] = [];

  constructor(
    readonly params: readonly ValueType[],
    readonly results: readonly ValueType[] = [],
  ) {}

  /** Appends what `emit` writes: a shared instruction sequence, inlined. */
  inline(emit: (f: this) => void): this {
    emit(this);
    return this;
  }

  /** A new local of type `t`; returns its index. */
  local(t: ValueType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }

  private op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  private simd(code: number, ...immediates: number[]): this {
    return this.op(0xfd, ...unsignedLeb(code), ...immediates);
  }

  get(i: number): this {
    return this.op(0x20, ...unsignedLeb(i));
  }
  set(i: number): this {
    return this.op(0x21, ...unsignedLeb(i));
  }
  tee(i: number): this {
    return this.op(0x22, ...unsignedLeb(i));
  }

  block(): this {
    return this.op(0x02, EMPTY_BLOCK);
  }
  loop(): this {
    return this.op(0x03, EMPTY_BLOCK);
  }
  if(): this {
    return this.op(0x04, EMPTY_BLOCK);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, ...unsignedLeb(depth));
  }
  /**
   * `while (i < limit) { body(); i += step }` over the i32 local i, which the caller has set;
   * `limit` pushes the bound, `step` is a constant or pushes one (signed comparison).
   */
  whileBelow(i: number, limit: () => void, body: () => void, step: number | (() => void) = 1): this {
    this.block().loop().get(i);
    limit();
    this.i32GeS().brIf(1);
    body();
    this.get(i);
    if (typeof step === "number") this.i32(step);
    else step();
    return this.i32Add().set(i).br(0).end().end();
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...unsignedLeb(depth));
  }
  select(): this {
    return this.op(0x1b);
  }
  /** Branches to depth labels[i] for the i32 on the stack, to `otherwise` past the table. */
  brTable(labels: readonly number[], otherwise: number): this {
    return this.op(
      0x0e,
      ...unsignedLeb(labels.length),
      ...labels.flatMap(unsignedLeb),
      ...unsignedLeb(otherwise),
    );
  }
  /** Calls the module's function number `index` (its position in the module). */
  call(index: number): this {
    return this.op(0x10, ...unsignedLeb(index));
  }

  i32(n: number): this {
    return this.op(0x41, ...signedLeb(n));
  }
  i32Load(offset = 0): this {
    return this.op(0x28, ALIGN4, ...unsignedLeb(offset));
  }
  i32Store(offset = 0): this {
    return this.op(0x36, ALIGN4, ...unsignedLeb(offset));
  }
  /** A byte, zero-extended. */
  i32Load8U(offset = 0): this {
    return this.op(0x2d, 0, ...unsignedLeb(offset));
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Or(): this {
    return this.op(0x72);
  }
  i32Xor(): this {
    return this.op(0x73);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }

  f64(x: number): this {
    return this.op(0x44, ...new Uint8Array(new Float64Array([x]).buffer));
  }
  f64Load(offset = 0): this {
    return this.op(0x2b, ALIGN8, ...unsignedLeb(offset));
  }
  f64Store(offset = 0): this {
    return this.op(0x39, ALIGN8, ...unsignedLeb(offset));
  }
  f64Ne(): this {
    return this.op(0x62);
  }
  f64Lt(): this {
    return this.op(0x63);
  }
  f64Gt(): this {
    return this.op(0x64);
  }
  f64Ge(): this {
    return this.op(0x66);
  }
  f64Neg(): this {
    return this.op(0x9a);
  }
  f64Floor(): this {
    return this.op(0x9c);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Sub(): this {
    return this.op(0xa1);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f64Div(): this {
    return this.op(0xa3);
  }
  f32Load(offset = 0): this {
    return this.op(0x2a, ALIGN4, ...unsignedLeb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, ALIGN4, ...unsignedLeb(offset));
  }
  f32DemoteF64(): this {
    return this.op(0xb6);
  }
  f64PromoteF32(): this {
    return this.op(0xbb);
  }
  f64ConvertI32U(): this {
    return this.op(0xb8);
  }
  i32TruncF64S(): this {
    return this.op(0xaa);
  }
  i64ExtendI32S(): this {
    return this.op(0xac);
  }
  /** A small 64-bit constant (within the 32-bit range). */
  i64(n: number): this {
    return this.op(0x42, ...signedLeb(n));
  }
  i64Add(): this {
    return this.op(0x7c);
  }
  i64Shl(): this {
    return this.op(0x86);
  }
  f64ReinterpretI64(): this {
    return this.op(0xbf);
  }
  /** [address, byte, count] → count bytes from address set to byte (bulk memory). */
  memoryFill(): this {
    return this.op(0xfc, ...unsignedLeb(11), 0x00);
  }

  v128Load(offset = 0): this {
    return this.simd(0x00, ALIGN8, ...unsignedLeb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, ALIGN8, ...unsignedLeb(offset));
  }
  /** Both lanes ← the f64 at the address. */
  v128Load64Splat(offset = 0): this {
    return this.simd(0x0a, ALIGN8, ...unsignedLeb(offset));
  }
  /** Lane 0 ← the f64 at the address, lane 1 ← 0. */
  v128Load64Zero(offset = 0): this {
    return this.simd(0x5d, ALIGN8, ...unsignedLeb(offset));
  }
  /** [address, vector] → the vector with `lane` replaced by the f64 at the address. */
  v128Load64Lane(lane: 0 | 1, offset = 0): this {
    return this.simd(0x57, ALIGN8, ...unsignedLeb(offset), lane);
  }
  v128Load32Splat(offset = 0): this {
    return this.simd(0x09, ALIGN4, ...unsignedLeb(offset));
  }
  /** One f32 into lane 0, the other lanes zero. */
  v128Load32Zero(offset = 0): this {
    return this.simd(0x5c, ALIGN4, ...unsignedLeb(offset));
  }
  /** A v128 at a 4-byte aligned address (f32 data). */
  v128Load4(offset = 0): this {
    return this.simd(0x00, ALIGN4, ...unsignedLeb(offset));
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  /** A constant vector of four i32 lanes. */
  v128ConstI32x4(lanes: readonly [number, number, number, number]): this {
    return this.simd(0x0c, ...new Uint8Array(Int32Array.from(lanes).buffer));
  }
  /** Bytes of two vectors (0–15 the first, 16–31 the second) picked into one. */
  i8x16Shuffle(bytes: readonly number[]): this {
    return this.simd(0x0d, ...bytes);
  }
  /** [a, b, mask] → the bits of a where mask is 1, of b elsewhere. */
  v128Bitselect(): this {
    return this.simd(0x52);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
  v128Xor(): this {
    return this.simd(0x51);
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  i32x4Eq(): this {
    return this.simd(0x37);
  }
  i32x4Shl(): this {
    return this.simd(0xab);
  }
  i32x4ShrU(): this {
    return this.simd(0xad);
  }
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  f64x2Floor(): this {
    return this.simd(0x75);
  }
  f64x2Lt(): this {
    return this.simd(0x49);
  }
  f64x2Le(): this {
    return this.simd(0x4b);
  }
  f64x2Ge(): this {
    return this.simd(0x4c);
  }
  f64x2Abs(): this {
    return this.simd(0xec);
  }
  f64x2Neg(): this {
    return this.simd(0xed);
  }
  f64x2Sub(): this {
    return this.simd(0xf1);
  }
  f64x2Div(): this {
    return this.simd(0xf3);
  }
  /** Both lanes to int32 (saturating) in lanes 0 and 1, lanes 2 and 3 zero. */
  i32x4TruncSatF64x2SZero(): this {
    return this.simd(0xfc);
  }
  /** Lanes 0 and 1, as unsigned int32, to doubles. */
  f64x2ConvertLowI32x4U(): this {
    return this.simd(0xff);
  }
  i64x2ExtendLowI32x4S(): this {
    return this.simd(0xc7);
  }
  i64x2AllTrue(): this {
    return this.simd(0xc3);
  }
  i64x2Splat(): this {
    return this.simd(0x12);
  }
  i64x2Shl(): this {
    return this.simd(0xcb);
  }
  i64x2Add(): this {
    return this.simd(0xce);
  }
  f64x2ExtractLane(lane: 0 | 1): this {
    return this.simd(0x21, lane);
  }
  f64x2ReplaceLane(lane: 0 | 1): this {
    return this.simd(0x22, lane);
  }
  i32x4ExtractLane(lane: 0 | 1 | 2 | 3): this {
    return this.simd(0x1b, lane);
  }
  f64x2Gt(): this {
    return this.simd(0x4a);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  /** pmax(a, b) = a < b ? b : a, lane by lane (so pmax(0, v) is JavaScript's v > 0 ? v : 0). */
  f64x2Pmax(): this {
    return this.simd(0xf7);
  }

  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4ExtractLane(lane: 0 | 1 | 2 | 3): this {
    return this.simd(0x1f, lane);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  /** a·b + c, lane by lane, fused or not as the hardware does it (relaxed SIMD). */
  f32x4RelaxedMadd(): this {
    return this.simd(0x105);
  }
  /** Both doubles to floats (round to nearest) in lanes 0 and 1, lanes 2 and 3 zero. */
  f32x4DemoteF64x2Zero(): this {
    return this.simd(0x5e);
  }
  /** Lanes 0 and 1 (floats) to doubles, exactly. */
  f64x2PromoteLowF32x4(): this {
    return this.simd(0x5f);
  }

  /** The function's entry in the code section. */
  encode(): number[] {
    const groups = this.locals.map((t) => [1, t]);
    const body = [...vector(groups), ...this.code, 0x0b];
    return [...unsignedLeb(body.length), ...body];
  }
}

/** A module importing `env.memory` and exporting each function under its name. */
/** A 32-bit memory's most pages (4 GiB); a shared memory must declare its maximum. */
const MAX_PAGES = 65536;

/**
 * The module's bytes. `sharedMemory` imports a shared memory (for threads: every instance on the
 * same memory), which needs a runtime with WebAssembly threads and, in browsers, cross-origin
 * isolation.
 */
export function encodeModule(
  functions: ReadonlyMap<string, FunctionBuilder>,
  sharedMemory = false,
): Uint8Array<ArrayBuffer> {
  const list = [...functions.values()];
  const names = [...functions.keys()];
  const types = list.map((f) => [
    0x60,
    ...vector(f.params.map((t) => [t])),
    ...vector(f.results.map((t) => [t])),
  ]);
  const MEMORY = 0x02;
  const FUNCTION = 0x00;
  const limits = sharedMemory
    ? [0x03, ...unsignedLeb(1), ...unsignedLeb(MAX_PAGES)]
    : [0x00, ...unsignedLeb(1)];
  const memoryImport = [...name("env"), ...name("memory"), MEMORY, ...limits];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(list.map((_, i) => unsignedLeb(i)))),
    ...section(7, vector(names.map((n, i) => [...name(n), FUNCTION, ...unsignedLeb(i)]))),
    ...section(10, vector(list.map((f) => f.encode()))),
  ]);
}
