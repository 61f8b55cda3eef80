import { describe, expect, it } from "vitest";
import type { Kernels } from "../../src/core/kernels.js";
import { RandomState } from "../../src/core/random.js";
import { createKernels, DEFAULT_BLOCKS, type KernelOptions } from "../../src/core/wasm-kernels.js";
import { nodeHelperSpawner } from "../../src/node/kernel-threads.js";
import { enableRelaxedSimd } from "../../src/node/relaxed-simd.js";
import { sameBits } from "../support/assertions.js";

/** The three blocked products of one layer, on `kernels`, from the same random inputs. */
function products(kernels: Kernels, [nOut, nIn, m]: readonly [number, number, number]): Float64Array[] {
  const rng = new RandomState(42);
  const on = (v: Float64Array) => {
    const a = kernels.alloc(v.length);
    a.set(v);
    return a;
  };
  const W = on(rng.randn(nOut * nIn));
  const b = on(rng.randn(nOut));
  const A = on(rng.randn(nIn * m));
  const dZ = on(rng.randn(nOut * m));
  const gate = on(rng.randn(nIn * m));
  kernels.mirror?.(A, nIn * m);
  const Z = kernels.alloc(nOut * m);
  const dA = kernels.alloc(nIn * m);
  const dW = kernels.alloc(nOut * nIn);
  const db = kernels.alloc(nOut);
  kernels.denseForward(Z, W, b, A, nOut, nIn, m, true);
  kernels.denseBackwardInput(dA, W, dZ, nOut, nIn, m, gate, 1 / 0.8);
  kernels.denseBackwardParams(dW, db, dZ, A, W, nOut, nIn, m, 1 / m, 0.7 / m);
  return [Z, dA, dW, db].map((a) => a.slice());
}

// Large enough to be split between threads, with ragged column counts.
const SHAPES = [
  [20, 1230, 209],
  [67, 301, 129],
  [128, 128, 1001],
] as const;

describe("kernels on more than one thread", () => {
  const precisions = enableRelaxedSimd() ? (["f64", "f32", "f32-fma"] as const) : (["f64", "f32"] as const);
  for (const precision of precisions)
    for (const shape of SHAPES) {
      it(`give the same bits as on one thread: ${shape.join("×")}, ${precision}`, () => {
        const size = (shape[0] + 4) * (shape[1] + 4) * 2 + 5 * (shape[0] + shape[1]) * shape[2];
        const f32Sources = { input: shape[1] * shape[2], hidden: Math.max(shape[0], shape[1]) * shape[2] };
        const options: KernelOptions = { precision, f32Sources };
        const one = products(createKernels(size, "wasm", options), shape);
        for (const threads of [2, 3]) {
          const kernels = createKernels(size, "wasm", {
            ...options,
            threads,
            spawnHelper: nodeHelperSpawner,
          });
          const many = products(kernels, shape);
          for (const [k, a] of many.entries()) sameBits(a, one[k]);
          expect(kernels.fallbacks).toBe(0);
          kernels.close?.();
        }
      });
    }

  it("without waiting for helpers (a browser worker), use those started so far, with the same bits", async () => {
    const shape = SHAPES[0];
    const size = (shape[0] + 4) * (shape[1] + 4) * 2 + 4 * (shape[0] + shape[1]) * shape[2];
    const one = products(createKernels(size), shape);
    const kernels = createKernels(2 * size, "wasm", {
      threads: 3,
      spawnHelper: nodeHelperSpawner,
      awaitHelpers: false,
    });
    expect(kernels.threadsInUse?.()).toBe(1);
    // The first product spawns the helpers and goes on without them.
    for (const [k, a] of products(kernels, shape).entries()) sameBits(a, one[k]);
    const deadline = Date.now() + 30_000;
    while (kernels.threadsInUse?.() !== 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(kernels.threadsInUse?.()).toBe(3);
    for (const [k, a] of products(kernels, shape).entries()) sameBits(a, one[k]);
    kernels.close?.();
  });

  it("say what is wrong with a thread count they cannot use", () => {
    expect(() => createKernels(8, "wasm", { threads: 0 })).toThrow(/threads must be an integer/);
    expect(() => createKernels(8, "wasm", { threads: 2 })).toThrow(/a way to start helpers/);
    expect(DEFAULT_BLOCKS.terms).toBeGreaterThan(0);
  });
});
