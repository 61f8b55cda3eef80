/**
 * The output layer's gradient dZ = σ(Z) − Y in WebAssembly, with σ(z) = 1 / (1 + exp(−z)) and
 * exp as ../libm.ts computes it, step for step: the same reduction, polynomial and scaling, so
 * the same bits. Two examples at a time while both lie where exp needs no special case, one at a
 * time (through every case libm's exp has) otherwise.
 */
import { EXP_OVERFLOW, EXP_UNDERFLOW, EXPM1_DEGREE, INV_FACT, LN2_HI, LN2_LO } from "../libm.js";
import { F64, FunctionBuilder, I32, V128 } from "./encoder.js";
import { forEachPair } from "./loops.js";

/** |x| ≤ this keeps k = round(x·log₂e) within [−1021, 1021]: no over- or underflow in 2^k. */
const SAFE = 708;

/** Pushes 2^k for the i32 on the stack, for k in [−1022, 1023], from its bits. */
function twoPow(f: FunctionBuilder): void {
  f.i64ExtendI32S().i64(1023).i64Add().i64(52).i64Shl().f64ReinterpretI64();
}

/** Sets `out` to libm's exp(x) for the f64 in local `x`, through all of its cases. */
function emitScalarExp(f: FunctionBuilder, x: number, out: number): void {
  const k = f.local(F64);
  const r = f.local(F64);
  const p = f.local(F64);
  const ki = f.local(I32);
  f.get(x).get(x).f64Ne().if();
  f.get(x).set(out);
  f.else().get(x).f64(EXP_OVERFLOW).f64Gt().if();
  f.f64(Number.POSITIVE_INFINITY).set(out);
  f.else().get(x).f64(EXP_UNDERFLOW).f64Lt().if();
  f.f64(0).set(out);
  f.else();
  // k = Math.round(x·log₂e): floor, then up when the fraction (exact) is ≥ ½.
  f.get(x).f64(Math.LOG2E).f64Mul().tee(p).f64Floor().set(k);
  f.get(k).f64(1).f64Add().get(k).get(p).get(k).f64Sub().f64(0.5).f64Ge().select().set(k);
  f.get(x).get(k).f64(LN2_HI).f64Mul().f64Sub().get(k).f64(LN2_LO).f64Mul().f64Sub().set(r);
  f.f64(INV_FACT[EXPM1_DEGREE]).set(p);
  for (let n = EXPM1_DEGREE - 1; n >= 2; n--) f.get(p).get(r).f64Mul().f64(INV_FACT[n]).f64Add().set(p);
  // 1 + (r + r·r·p), then · 2^k as libm's scale() does at either end of the exponent range.
  f.f64(1).get(r).get(r).get(r).f64Mul().get(p).f64Mul().f64Add().f64Add().set(p);
  f.get(k).i32TruncF64S().set(ki);
  f.get(ki).i32(1023).i32GtS().if();
  f.get(p).f64(2).f64Mul().get(ki).i32(-1).i32Add().inline(twoPow).f64Mul().set(out);
  f.else().get(ki).i32(-1022).i32LtS().if();
  f.get(p).get(ki).i32(1000).i32Add().inline(twoPow).f64Mul().i32(-1000).inline(twoPow).f64Mul().set(out);
  f.else();
  f.get(p).get(ki).inline(twoPow).f64Mul().set(out);
  f.end().end();
  f.end().end().end();
}

/** exp for both lanes of the f64x2 in local `x`, both known to be within ±SAFE. */
function emitVectorExp(f: FunctionBuilder, x: number, out: number): void {
  const y = f.local(V128);
  const k = f.local(V128);
  const r = f.local(V128);
  const p = f.local(V128);
  const splat = (c: number) => f.f64(c).f64x2Splat();
  f.get(x);
  splat(Math.LOG2E);
  f.f64x2Mul().tee(y).f64x2Floor().set(k);
  // k + (y − k ≥ ½ ? 1 : 0): the comparison's all-ones lanes select 1.0.
  f.get(k).get(y).get(k).f64x2Sub();
  splat(0.5);
  f.f64x2Ge();
  splat(1);
  f.v128And().f64x2Add().set(k);
  f.get(x).get(k);
  splat(LN2_HI);
  f.f64x2Mul().f64x2Sub().get(k);
  splat(LN2_LO);
  f.f64x2Mul().f64x2Sub().set(r);
  splat(INV_FACT[EXPM1_DEGREE]);
  f.set(p);
  for (let n = EXPM1_DEGREE - 1; n >= 2; n--) {
    f.get(p).get(r).f64x2Mul();
    splat(INV_FACT[n]);
    f.f64x2Add().set(p);
  }
  splat(1);
  f.get(r).get(r).get(r).f64x2Mul().get(p).f64x2Mul().f64x2Add().f64x2Add();
  // · 2^k, built from k's bits: ((k + 1023) << 52).
  f.get(k).i32x4TruncSatF64x2SZero().i64x2ExtendLowI32x4S();
  f.i64(1023).i64x2Splat().i64x2Add().i32(52).i64x2Shl();
  f.f64x2Mul().set(out);
}

/** (dZ, Z, Y, m): dZ[j] = 1 / (1 + exp(−Z[j])) − Y[j] for j < m. */
export function outputGradientFunction(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32]);
  const [dZ, Z, Y, m] = [0, 1, 2, 3];
  const at = f.local(I32);
  const x = f.local(V128);
  const e = f.local(V128);
  const xs = f.local(F64);
  const es = f.local(F64);
  const scalarAt = f.local(I32);

  /** One example at byte offset `scalarAt`. */
  const scalar = () => {
    f.get(Z).get(scalarAt).i32Add().f64Load().f64Neg().set(xs);
    emitScalarExp(f, xs, es);
    f.get(dZ).get(scalarAt).i32Add();
    f.f64(1).f64(1).get(es).f64Add().f64Div();
    f.get(Y).get(scalarAt).i32Add().f64Load().f64Sub().f64Store();
  };

  forEachPair(
    f,
    m,
    at,
    () => {
      f.get(Z).get(at).i32Add().v128Load().f64x2Neg().set(x);
      f.get(x).f64x2Abs().f64(SAFE).f64x2Splat().f64x2Le().i64x2AllTrue().if();
      emitVectorExp(f, x, e);
      f.get(dZ).get(at).i32Add();
      f.f64(1).f64x2Splat().f64(1).f64x2Splat().get(e).f64x2Add().f64x2Div();
      f.get(Y).get(at).i32Add().v128Load().f64x2Sub().v128Store();
      f.else();
      for (const lane of [0, 8]) {
        f.get(at).i32(lane).i32Add().set(scalarAt);
        scalar();
      }
      f.end();
    },
    () => {
      f.get(at).set(scalarAt);
      scalar();
    },
  );
  return f;
}
