/**
 * The polar method's points drawn in WebAssembly, for RandomState.randn: from the MT19937 state
 * copied into the module's memory, points (x1, x2) = (2u − 1, 2v − 1) of two numpy doubles each,
 * kept where 0 < x1² + x2² < 1, with their r² — the same words, doubles, arithmetic and rejections
 * as RandomState's JavaScript loop (../random.ts, the reference; test/core/random.test.ts holds the
 * two to the same bits). Tempering four words at once in SIMD and the vector twist of
 * mask-module.ts make this the cheaper half of a normal draw; the logarithms stay in JavaScript
 * (glibcLogInto).
 */
import { encodeModule, F64, FunctionBuilder, I32, V128 } from "./encoder.js";
import { emitTwist, MT_STATE_BYTES } from "./mask-module.js";

const N = 624;
const TEMPER_B = 0x9d2c5680;
const TEMPER_C = 0xefc60000;

/** Where the module's one page holds the state and the points (PAIRS of each). */
export const NORMAL_LAYOUT = { state: 0, x1: 4096, x2: 8192, r2: 12288, pairs: 512 } as const;
if (MT_STATE_BYTES > NORMAL_LAYOUT.x1) throw new Error("normal-module: the state overlaps the points");

/** (state) → (): regenerates the 624 words in place. */
function twistFunction(): FunctionBuilder {
  const f = new FunctionBuilder([I32], []);
  emitTwist(f, 0);
  return f;
}

/**
 * (state, pos, x1, x2, r2, pairs) → pos: `pairs` accepted points into x1[k], x2[k], r2[k] (f64
 * arrays), drawing from the generator at `state` whose next word is number `pos`; returns the new
 * position. Calls function `twist` (its index) where the state is used up.
 */
function polarFunction(twist: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32], [I32]);
  const [state, pos, x1, x2, r2, pairs] = [0, 1, 2, 3, 4, 5];
  const at = f.local(I32);
  const end = f.local(I32);
  const y = f.local(I32);
  const words = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const w = f.local(V128);
  const u = f.local(F64);
  const v = f.local(F64);
  const s = f.local(F64);
  f.get(pairs).i32(3).i32Shl().set(end);

  // 2·(53-bit integer)/2^53 − 1 from the integer's halves (a >>> 5, b >>> 6), as random.ts.
  const toPoint = (a: number, b: number, target: number) => {
    f.get(a).i32(5).i32ShrU().f64ConvertI32U().f64(67108864).f64Mul();
    f.get(b).i32(6).i32ShrU().f64ConvertI32U().f64Add();
    f.f64(2 ** -52)
      .f64Mul()
      .f64(1)
      .f64Sub()
      .set(target);
  };

  f.block().loop();
  f.get(at).get(end).i32GeS().brIf(1);
  // Four words [a, b, c, d] at once when no twist falls among them: u from (a, b), v from (c, d).
  f.i32(N - 4)
    .get(pos)
    .i32GeS()
    .if();
  f.get(state).get(pos).i32(2).i32Shl().i32Add().v128Load().set(w);
  f.get(w).get(w).i32(11).i32x4ShrU().v128Xor().set(w);
  f.get(w).get(w).i32(7).i32x4Shl().i32(TEMPER_B).i32x4Splat().v128And().v128Xor().set(w);
  f.get(w).get(w).i32(15).i32x4Shl().i32(TEMPER_C).i32x4Splat().v128And().v128Xor().set(w);
  f.get(w).get(w).i32(18).i32x4ShrU().v128Xor().set(w);
  // a >>> 5 and c >>> 5 in lanes 0 and 2, b >>> 6 and d >>> 6 in lanes 1 and 3.
  f.get(w).i32(5).i32x4ShrU().get(w).i32(6).i32x4ShrU().v128ConstI32x4([-1, 0, -1, 0]).v128Bitselect().set(w);
  f.get(w).get(w).i8x16Shuffle([0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]).f64x2ConvertLowI32x4U();
  f.f64(67108864).f64x2Splat().f64x2Mul();
  f.get(w)
    .get(w)
    .i8x16Shuffle([4, 5, 6, 7, 12, 13, 14, 15, 4, 5, 6, 7, 12, 13, 14, 15])
    .f64x2ConvertLowI32x4U();
  f.f64x2Add()
    .f64(2 ** -52)
    .f64x2Splat()
    .f64x2Mul();
  f.f64(1).f64x2Splat().f64x2Sub().set(w);
  f.get(w).f64x2ExtractLane(0).set(u);
  f.get(w).f64x2ExtractLane(1).set(v);
  f.get(pos).i32(4).i32Add().set(pos);
  f.else();
  // A word at a time, twisting first where the state is used up.
  for (const word of words) {
    f.get(pos).i32(N).i32GeS().if();
    f.get(state).call(twist);
    f.i32(0).set(pos);
    f.end();
    f.get(state).get(pos).i32(2).i32Shl().i32Add().i32Load().set(y);
    f.get(pos).i32(1).i32Add().set(pos);
    f.get(y).get(y).i32(11).i32ShrU().i32Xor().set(y);
    f.get(y).get(y).i32(7).i32Shl().i32(TEMPER_B).i32And().i32Xor().set(y);
    f.get(y).get(y).i32(15).i32Shl().i32(TEMPER_C).i32And().i32Xor().set(y);
    f.get(y).get(y).i32(18).i32ShrU().i32Xor().set(word);
  }
  toPoint(words[0], words[1], u);
  toPoint(words[2], words[3], v);
  f.end();
  // s = u² + v²; kept when 0 < s < 1: written in any case, the next point overwrites a rejected
  // one (no branch to mispredict on the one candidate in five that falls outside the disc).
  f.get(u).get(u).f64Mul().get(v).get(v).f64Mul().f64Add().set(s);
  f.get(x1).get(at).i32Add().get(u).f64Store();
  f.get(x2).get(at).i32Add().get(v).f64Store();
  f.get(r2).get(at).i32Add().get(s).f64Store();
  f.get(at);
  f.get(s).f64(1).f64Lt().get(s).f64(0).f64Ne().i32And().i32(3).i32Shl();
  f.i32Add().set(at);
  f.br(0);
  f.end().end();
  f.get(pos);
  return f;
}

/** The module's bytes: `twist` (function 0) and `polar`, on an imported memory of one page. */
export function normalModuleBytes(): Uint8Array<ArrayBuffer> {
  return encodeModule(
    new Map([
      ["twist", twistFunction()],
      ["polar", polarFunction(0)],
    ]),
  );
}
