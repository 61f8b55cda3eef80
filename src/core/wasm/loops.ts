/**
 * The loop shapes the kernels share, over m examples of a row. `at` is a byte offset into the
 * row (8 bytes per example) and counts from 0.
 */
import { type FunctionBuilder, I32 } from "./encoder.js";

/** `for (at = 0; at < 8m; at += 8) body()`: one example per turn. */
export function forEachExample(f: FunctionBuilder, m: number, at: number, body: () => void): void {
  const end = f.local(I32);
  f.i32(0).set(at);
  f.get(m).i32(3).i32Shl().set(end);
  f.block().loop();
  f.get(at).get(end).i32GeS().brIf(1);
  body();
  f.get(at).i32(8).i32Add().set(at).br(0);
  f.end().end();
}

/**
 * `pair()` for every two examples (at += 16), then `last()` for the odd last one, if any, with
 * `at` on it: the f64x2 kernels' loop.
 */
export function forEachPair(
  f: FunctionBuilder,
  m: number,
  at: number,
  pair: () => void,
  last: () => void,
): void {
  const pairsEnd = f.local(I32);
  f.i32(0).set(at);
  f.get(m).i32(-2).i32And().i32(3).i32Shl().set(pairsEnd);
  f.block().loop();
  f.get(at).get(pairsEnd).i32GeS().brIf(1);
  pair();
  f.get(at).i32(16).i32Add().set(at).br(0);
  f.end().end();
  f.get(m).i32(1).i32And().if();
  last();
  f.end();
}
