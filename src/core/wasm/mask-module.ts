/**
 * Dropout masks drawn in WebAssembly from the MT19937 state of a RandomState (copied into the
 * module's memory and back): the same stream, the same doubles and the same masks as
 * RandomState.rand followed by drawMask, with the generator's integer work off the JavaScript
 * side. MT19937 and numpy's 53-bit doubles are as in ../random.ts.
 *
 * Why the generator is written a third time (after RandomState's `twist` and the loop inlined in
 * `rand`): under dropout the masks are the largest draw of a step, one double per hidden unit and
 * example, and a WebAssembly function cannot call RandomState without crossing into JavaScript
 * per word. Drawing here, on a copy of the state, is 3.8× the JavaScript draw with the same bits.
 * ../random.ts stays the reference: test/core/wasm-kernels.test.ts holds this copy to it across
 * twists and at every stopping position, so a change to either shows up there.
 */
import { F64, FunctionBuilder, I32, V128 } from "./encoder.js";

const N = 624;
const M = 397;
/** Bytes of MT19937 state: N words. */
export const MT_STATE_BYTES = N * 4;

const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;
const TEMPER_B = 0x9d2c5680;
const TEMPER_C = 0xefc60000;

/**
 * Regenerates the 624 words at `state` in place: mt[k] = mt[k + M mod N] ^ twisted(mt[k],
 * mt[k + 1]), in order. Four words at a time where that order cannot be seen — a block reads
 * only words before it (already new) or after it (still old) — and the rest one by one.
 */
export function emitTwist(f: FunctionBuilder, state: number): void {
  const at = f.local(I32);
  const y = f.local(I32);
  const yv = f.local(V128);
  const upper = f.local(V128);
  const lower = f.local(V128);
  const one = f.local(V128);
  const matrix = f.local(V128);
  for (const [local, value] of [
    [upper, UPPER],
    [lower, LOWER],
    [one, 1],
    [matrix, MATRIX_A],
  ]) {
    f.i32(value).i32x4Splat().set(local);
  }
  const vectors = (from: number, to: number, farDelta: number) => {
    f.i32(4 * from).set(at);
    f.block().loop();
    f.get(at)
      .i32(4 * to)
      .i32GeS()
      .brIf(1);
    f.get(state).get(at).i32Add().v128Load().get(upper).v128And();
    f.get(state).get(at).i32Add().v128Load(4).get(lower).v128And().v128Or().set(yv);
    f.get(state).get(at).i32Add();
    f.get(state)
      .get(at)
      .i32Add()
      .i32(4 * farDelta)
      .i32Add()
      .v128Load();
    f.get(yv).i32(1).i32x4ShrU().v128Xor();
    f.get(yv).get(one).v128And().get(one).i32x4Eq().get(matrix).v128And().v128Xor();
    f.v128Store();
    f.get(at).i32(16).i32Add().set(at).br(0);
    f.end().end();
  };
  const single = (k: number, next: number, far: number) => {
    f.get(state)
      .i32Load(4 * k)
      .i32(UPPER)
      .i32And();
    f.get(state)
      .i32Load(4 * next)
      .i32(LOWER)
      .i32And()
      .i32Or()
      .set(y);
    f.get(state);
    f.get(state).i32Load(4 * far);
    f.get(y).i32(1).i32ShrU().i32Xor();
    f.i32(0).get(y).i32(1).i32And().i32Sub().i32(MATRIX_A).i32And().i32Xor();
    f.i32Store(4 * k);
  };
  const firstBlocks = (N - M) & ~3;
  vectors(0, firstBlocks, M);
  for (let k = firstBlocks; k < N - M; k++) single(k, k + 1, k + M);
  vectors(N - M, N - 1, M - N);
  single(N - 1, 0, M - 1);
}

/**
 * (state, pos, out, n, keepProb, scale) → pos: out[i] = (rand() < keepProb ? scale : 0) for
 * i < n, drawing from the generator at `state` whose next word is number `pos`; returns the new
 * position. With `raw`, out[i] = rand() itself (keepProb and scale unused): elastic distortion's
 * uniforms (../wasm-blur.ts).
 */
export function maskFunction(raw = false): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, F64, F64], [I32]);
  const [state, pos, out, n, keepProb, scale] = [0, 1, 2, 3, 4, 5];
  const at = f.local(I32);
  const end = f.local(I32);
  const y = f.local(I32);
  const words = [f.local(I32), f.local(I32)];
  const w = f.local(V128);
  const keepSplat = f.local(V128);
  const scaleSplat = f.local(V128);
  f.get(keepProb).f64x2Splat().set(keepSplat);
  f.get(scale).f64x2Splat().set(scaleSplat);
  f.get(n).i32(3).i32Shl().set(end);

  // Tempering: y ^= y >>> 11; y ^= (y << 7) & B; y ^= (y << 15) & C; y ^= y >>> 18.
  const temperScalar = (target: number) => {
    f.get(y).get(y).i32(11).i32ShrU().i32Xor().set(y);
    f.get(y).get(y).i32(7).i32Shl().i32(TEMPER_B).i32And().i32Xor().set(y);
    f.get(y).get(y).i32(15).i32Shl().i32(TEMPER_C).i32And().i32Xor().set(y);
    f.get(y).get(y).i32(18).i32ShrU().i32Xor().set(target);
  };
  const temperVector = () => {
    f.get(w).get(w).i32(11).i32x4ShrU().v128Xor().set(w);
    f.get(w).get(w).i32(7).i32x4Shl().i32(TEMPER_B).i32x4Splat().v128And().v128Xor().set(w);
    f.get(w).get(w).i32(15).i32x4Shl().i32(TEMPER_C).i32x4Splat().v128And().v128Xor().set(w);
    f.get(w).get(w).i32(18).i32x4ShrU().v128Xor().set(w);
  };

  f.block().loop();
  f.get(at).get(end).i32GeS().brIf(1);
  // Two doubles at once from four words [a0, b0, a1, b1] when no twist falls among them.
  f.get(end)
    .get(at)
    .i32Sub()
    .i32(16)
    .i32GeS()
    .i32(N - 4)
    .get(pos)
    .i32GeS()
    .i32And()
    .if();
  f.get(state).get(pos).i32(2).i32Shl().i32Add().v128Load().set(w);
  temperVector();
  // a >>> 5 in lanes 0 and 2, b >>> 6 in lanes 1 and 3; then [a0, a1] and [b0, b1] as doubles.
  f.get(w).i32(5).i32x4ShrU().get(w).i32(6).i32x4ShrU().v128ConstI32x4([-1, 0, -1, 0]).v128Bitselect().set(w);
  f.get(out).get(at).i32Add();
  if (!raw) f.get(scaleSplat);
  f.get(w).get(w).i8x16Shuffle([0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]).f64x2ConvertLowI32x4U();
  f.f64(67108864).f64x2Splat().f64x2Mul();
  f.get(w)
    .get(w)
    .i8x16Shuffle([4, 5, 6, 7, 12, 13, 14, 15, 4, 5, 6, 7, 12, 13, 14, 15])
    .f64x2ConvertLowI32x4U();
  f.f64x2Add()
    .f64(2 ** -53)
    .f64x2Splat()
    .f64x2Mul(); // exact, as dividing by 2^53 is
  if (!raw) f.get(keepSplat).f64x2Lt().v128And();
  f.v128Store();
  f.get(pos).i32(4).i32Add().set(pos);
  f.get(at).i32(16).i32Add().set(at);
  f.else();
  // One double, twisting first where the state is used up.
  for (const word of words) {
    f.get(pos).i32(N).i32GeS().if();
    emitTwist(f, state);
    f.i32(0).set(pos);
    f.end();
    f.get(state).get(pos).i32(2).i32Shl().i32Add().i32Load().set(y);
    f.get(pos).i32(1).i32Add().set(pos);
    temperScalar(word);
  }
  // ((a >>> 5) · 2^26 + (b >>> 6)) / 2^53, then the mask value.
  f.get(out).get(at).i32Add();
  if (!raw) f.get(scale).f64(0);
  f.get(words[0]).i32(5).i32ShrU().f64ConvertI32U().f64(67108864).f64Mul();
  f.get(words[1]).i32(6).i32ShrU().f64ConvertI32U().f64Add();
  f.f64(2 ** -53).f64Mul();
  if (!raw) f.get(keepProb).f64Lt().select();
  f.f64Store();
  f.get(at).i32(8).i32Add().set(at);
  f.end();
  f.br(0);
  f.end().end();
  f.get(pos);
  return f;
}
