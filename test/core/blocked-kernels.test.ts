import { describe, expect, it } from "vitest";
import { jsKernels, type Kernels } from "../../src/core/kernels.js";
import { RandomState } from "../../src/core/random.js";
import { createKernels } from "../../src/core/wasm-kernels.js";
import { sameBits } from "../support/assertions.js";
import { EDGE_BLOCKINGS } from "../support/shapes.js";

const rng = new RandomState(15);

function on(kernels: Kernels, values: Float64Array): Float64Array {
  const a = kernels.alloc(values.length);
  a.set(values);
  return a;
}

const BLOCKINGS = EDGE_BLOCKINGS;

// [nOut, nIn, m]: tiles of 4 rows with 1–3 left over, 4-column tiles with 2 and 1 left over, and
// sizes past the default blocks (300 terms > 256, 261 rows > 256).
const SHAPES = [
  [4, 4, 4],
  [5, 9, 7],
  [7, 13, 11],
  [9, 17, 3],
  [13, 8, 2],
  [6, 33, 9],
  [20, 300, 13],
  [70, 10, 6],
  [261, 9, 5],
  [11, 6, 258],
] as const;

describe("cache-blocked WebAssembly products", () => {
  for (const blocks of BLOCKINGS) {
    for (const [nOut, nIn, m] of SHAPES) {
      it(`give the reference kernels' bits: ${nOut}×${nIn} over ${m} examples, blocks ${JSON.stringify(blocks)}`, () => {
        const W = rng.randn(nOut * nIn);
        const b = rng.randn(nOut);
        const A = rng.randn(nIn * m);
        const dZ = rng.randn(nOut * m);
        // A ReLU gate with exact zeros, negatives and NaN.
        const gate = rng.randn(nIn * m).map((v, i) => (i % 5 === 0 ? 0 : i % 11 === 3 ? Number.NaN : v));
        const wasm = createKernels(2 * nOut * nIn + 2 * nOut + 3 * nOut * m + 4 * nIn * m, "wasm", {
          blocks,
        });
        const [Ww, bw, Aw, dZw, gatew] = [W, b, A, dZ, gate].map((v) => on(wasm, v));

        for (const relu of [false, true]) {
          const want = new Float64Array(nOut * m);
          jsKernels.denseForward(want, W, b, A, nOut, nIn, m, relu);
          const got = wasm.alloc(nOut * m);
          wasm.denseForward(got, Ww, bw, Aw, nOut, nIn, m, relu);
          sameBits(got, want);
        }
        for (const withGate of [false, true]) {
          const want = new Float64Array(nIn * m);
          jsKernels.denseBackwardInput(want, W, dZ, nOut, nIn, m, withGate ? gate : undefined, 1 / 0.7);
          const got = wasm.alloc(nIn * m);
          wasm.denseBackwardInput(got, Ww, dZw, nOut, nIn, m, withGate ? gatew : undefined, 1 / 0.7);
          sameBits(got, want);
        }
        const wantW = new Float64Array(nOut * nIn);
        const wantB = new Float64Array(nOut);
        jsKernels.denseBackwardParams(wantW, wantB, dZ, A, W, nOut, nIn, m, 1 / m, 0.7 / m);
        const gotW = wasm.alloc(nOut * nIn);
        const gotB = wasm.alloc(nOut);
        wasm.denseBackwardParams(gotW, gotB, dZw, Aw, Ww, nOut, nIn, m, 1 / m, 0.7 / m);
        sameBits(gotW, wantW);
        sameBits(gotB, wantB);
        expect(wasm.fallbacks).toBe(0);
      });
    }
  }

  it("refuse block sizes they cannot hold", () => {
    expect(() => createKernels(8, "wasm", { blocks: { terms: 0, rows: 4, minTerms: 1 } })).toThrow(
      /block sizes/,
    );
    expect(() => createKernels(8, "wasm", { blocks: { terms: 5000, rows: 4, minTerms: 1 } })).toThrow(
      /block sizes/,
    );
  });
});
