import { describe, expect, it } from "vitest";
import { drawMask } from "../../src/core/dropout.js";
import { jsKernels, type Kernels } from "../../src/core/kernels.js";
import { RandomState } from "../../src/core/random.js";
import { createKernels, KernelMemoryError, wasmKernelsAvailable } from "../../src/core/wasm-kernels.js";
import { sameBits } from "../support/assertions.js";
import { KERNEL_SHAPES } from "../support/shapes.js";

const rng = new RandomState(9);

/** The same values in a buffer of `kernels` (so the WASM backend computes on it in place). */
function on(kernels: Kernels, values: Float64Array): Float64Array {
  const a = kernels.alloc(values.length);
  a.set(values);
  return a;
}

describe("WebAssembly SIMD kernels", () => {
  it("are available on Node 20", () => {
    expect(wasmKernelsAvailable()).toBe(true);
    expect(createKernels(16).backend).toBe("wasm");
    expect(createKernels(16, "js")).toBe(jsKernels);
  });

  for (const [nOut, nIn, m] of KERNEL_SHAPES) {
    it(`give the JavaScript kernels' bits: ${nOut}×${nIn} over ${m} examples`, () => {
      const W = rng.randn(nOut * nIn);
      const b = rng.randn(nOut);
      const A = rng.randn(nIn * m);
      const dZ = rng.randn(nOut * m);
      // A ReLU gate with exact zeros, negatives and NaN, as a diverging run would have.
      const gate = rng.randn(nIn * m).map((v, i) => (i % 5 === 0 ? 0 : i % 11 === 3 ? Number.NaN : v));
      const wasm = createKernels(nOut * nIn + 3 * nOut * m + 4 * nIn * m);
      const Ww = on(wasm, W);
      const Aw = on(wasm, A);
      const dZw = on(wasm, dZ);
      const gatew = on(wasm, gate);

      for (const relu of [false, true]) {
        const want = new Float64Array(nOut * m);
        jsKernels.denseForward(want, W, b, A, nOut, nIn, m, relu);
        const got = wasm.alloc(nOut * m);
        wasm.denseForward(got, Ww, b, Aw, nOut, nIn, m, relu);
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
      const gotW = new Float64Array(nOut * nIn);
      const gotB = new Float64Array(nOut);
      wasm.denseBackwardParams(gotW, gotB, dZw, Aw, Ww, nOut, nIn, m, 1 / m, 0.7 / m);
      sameBits(gotW, wantW);
      sameBits(gotB, wantB);
    });
  }

  it("draw dropout masks from a RandomState's stream exactly as drawMask does", () => {
    const wasm = createKernels(8000);
    const ours = new RandomState(21);
    const theirs = new RandomState(21);
    // Odd lengths leave the generator at odd positions and cross several twists (624 words each).
    for (const [n, keep] of [
      [1, 0.5],
      [311, 0.86],
      [1000, 0.3],
      [7, 1],
      [625, 0.999],
    ] as const) {
      const got = wasm.alloc(n);
      wasm.drawMask(ours, got, n, keep);
      const want = new Float64Array(n);
      drawMask(theirs, want, n, keep);
      sameBits(got, want);
      // Both generators go on from the same place.
      expect(ours.random()).toBe(theirs.random());
    }
    expect(ours.randn(3)).toEqual(theirs.randn(3));
    // Many short draws: the generator stops at every position, next to a twist too, where the
    // kernel switches between four words at a time and one double at a time.
    const lengths = new RandomState(5).randint(1, 14, 400);
    expect(lengths.reduce((a, b) => a + b, 0)).toBeGreaterThan(2 * 624);
    for (const n of lengths) {
      const got = wasm.alloc(n);
      wasm.drawMask(ours, got, n, 0.5);
      const want = new Float64Array(n);
      drawMask(theirs, want, n, 0.5);
      sameBits(got, want);
    }
    expect(ours.random()).toBe(theirs.random());
  });

  it("compute the output gradient σ(z) − y with libm's exp, edge cases included", () => {
    // Pairs inside exp's fast range, pairs with one lane outside, and every special case: the
    // ends of the exponent range (subnormal results, 2^1024 reached through 2·2^1023), ±∞,
    // NaN, ±0, and an odd count so the last example goes alone.
    const special = [
      0,
      -0,
      1e-300,
      -1e-300,
      707.9,
      -707.9,
      708.5,
      -708.5,
      709.7,
      -709.7,
      709.8,
      -709.8,
      745,
      -745,
      745.2,
      -745.2,
      1e4,
      -1e4,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      0.5 / Math.LOG2E,
      -1.5 / Math.LOG2E,
    ];
    const z = Float64Array.from([...special, ...rng.randn(300).map((v) => 40 * v)]);
    const m = z.length;
    const y = Float64Array.from({ length: m }, (_, j) => j % 2);
    const want = new Float64Array(m);
    jsKernels.outputGradient(want, z, y, m);
    const wasm = createKernels(3 * m);
    const got = wasm.alloc(m);
    wasm.outputGradient(got, on(wasm, z), on(wasm, y), m);
    sameBits(got, want);
    expect(m % 2).toBe(1);
  });

  it("compute arrays outside their memory in JavaScript, with the same result", () => {
    const [nOut, nIn, m] = [4, 3, 9];
    const W = rng.randn(nOut * nIn);
    const b = rng.randn(nOut);
    const A = rng.randn(nIn * m);
    const want = new Float64Array(nOut * m);
    jsKernels.denseForward(want, W, b, A, nOut, nIn, m, true);
    const got = new Float64Array(nOut * m);
    const kernels = createKernels(8);
    kernels.denseForward(got, W, b, A, nOut, nIn, m, true);
    sameBits(got, want);
    expect(kernels.fallbacks).toBe(1);
  });

  it("refuse to hand out more than they were sized for", () => {
    const kernels = createKernels(10);
    const a = kernels.alloc(6);
    expect(a).toEqual(new Float64Array(6));
    expect(() => kernels.alloc(5)).toThrow(/kernel memory exhausted/);
    expect(() => kernels.alloc(Number.NaN)).toThrow(/cannot allocate NaN values/);
    expect(kernels.alloc(4)).toHaveLength(4);
  });

  it("refuse a run past WebAssembly's 4 GiB with the size it needs, instead of falling back", () => {
    const doubles = 2 ** 29 + 2 ** 26;
    expect(() => createKernels(doubles)).toThrow(KernelMemoryError);
    expect(() => createKernels(doubles)).toThrow(/needs 4\.50 GiB of kernel memory.*more than the 4 GiB/);
    expect(createKernels(doubles, "js").backend).toBe("js");
  });
});
