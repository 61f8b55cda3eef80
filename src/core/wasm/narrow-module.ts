/**
 * narrow(dst, src, n): dst[i] = f32(src[i]) for n values (f32.demote_f64: round to nearest even,
 * as Float32Array's stores), the f32 copies the f32 products read. In JavaScript the same loop
 * over views of the memory cost about 8 ns a value on this machine, as much as the im2col copies
 * it follows; here it is one load, demote and store per value.
 */
import { FunctionBuilder, I32 } from "./encoder.js";

export function narrowFunction(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32]);
  const [dst, src, n] = [0, 1, 2];
  // Counts down over values (an address may pass 2^31, which i32's signed compare would misread).
  f.block().loop();
  f.get(n).i32(1).i32LtS().brIf(1);
  f.get(dst).get(src).f64Load().f32DemoteF64().f32Store();
  f.get(src).i32(8).i32Add().set(src);
  f.get(dst).i32(4).i32Add().set(dst);
  f.get(n).i32(-1).i32Add().set(n);
  f.br(0);
  f.end().end();
  return f;
}
