import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { createKernels } from "../../src/core/wasm-kernels.js";

// The f32 products read their sources through the WebAssembly narrowing copy (f32.demote_f64):
// through an identity product it must give Math.fround's value for each, the input's mirror and a
// product's own copy alike, subnormals, halfway cases and values beyond f32's range included.
describe("the f32 source copies (narrow)", () => {
  it("round each value as Math.fround does", () => {
    const rng = new RandomState(3);
    const m = 37;
    const values = rng.randn(4 * m).map((v, i) => v * 10 ** ((i % 90) - 45));
    values.set([
      1 + 2 ** -24,
      1 + 3 * 2 ** -24,
      -(2 ** -149) * 0.75,
      2 ** -140,
      -0,
      1e39,
      -1e39,
      3.4028235e38,
    ]);
    for (const mirror of [true, false]) {
      const k = createKernels(1 << 12, "wasm", {
        precision: "f32",
        f32Sources: { input: 4 * m, hidden: 4 * m },
        blocks: { terms: 256, rows: 256, minTerms: 1 },
      });
      const W = k.alloc(16);
      for (let i = 0; i < 4; i++) W[i * 4 + i] = 1;
      const b = k.alloc(4);
      const A = k.alloc(4 * m);
      A.set(values);
      if (mirror) k.mirror?.(A, 4 * m);
      const Z = k.alloc(4 * m);
      k.denseForward(Z, W, b, A, 4, 4, m);
      // Each output is 0 + 1·f32(a) + 0·f32(others): f32(a), unless another term is infinite.
      for (let i = 0; i < 4 * m; i++) {
        const col = i % m;
        const row = Math.floor(i / m);
        const others = [0, 1, 2, 3].filter((r) => r !== row).map((r) => Math.fround(values[r * m + col]));
        if (others.some((v) => !Number.isFinite(v))) continue;
        expect(Z[i], `value ${i}`).toBe(Math.fround(values[i]) + 0);
      }
    }
  });
});
