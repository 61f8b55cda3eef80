// The f32 blocked products (precision "f32" and "f32-fma"). In test/node because FMA needs
// reglab/node's enableRelaxedSimd on Node 20.
import { describe, expect, it } from "vitest";
import { jsKernels, type Kernels, NONE, RELU } from "../../src/core/kernels.js";
import { RandomState } from "../../src/core/random.js";
import { blockedFunctions } from "../../src/core/wasm/blocked-module.js";
import { createKernels, type Precision } from "../../src/core/wasm-kernels.js";
import { generateDataset } from "../../src/data/generators.js";
import { enableRelaxedSimd } from "../../src/node/relaxed-simd.js";
import { fit } from "../../src/training/train.js";
import { sameBits } from "../support/assertions.js";
import { EDGE_BLOCKINGS } from "../support/shapes.js";

const fma = enableRelaxedSimd();
const rng = new RandomState(32);
const f = Math.fround;

/**
 * What the f32 kernels compute, in JavaScript: out[i][j] = post(s), s = f32(start_i) + Σ_t
 * f32(c[i][t])·f32(x[t][j]) with every product and sum rounded to f32 in order of t (a double
 * holds a float product exactly, and rounding a double sum of two floats gives the float sum).
 */
function f32Product(
  c: (i: number, t: number) => number,
  x: (t: number, j: number) => number,
  start: (i: number) => number,
  rows: number,
  terms: number,
  columns: number,
  post: (v: number, i: number, j: number) => number,
): Float64Array {
  const out = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) {
      let s = f(start(i));
      for (let t = 0; t < terms; t++) s = f(s + f(f(c(i, t)) * f(x(t, j))));
      out[i * columns + j] = post(s, i, j);
    }
  return out;
}

/** |got − want| ≤ tol·bound elementwise. */
function within(got: Float64Array, want: Float64Array, bound: Float64Array, tol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const gap = Math.abs(got[i] - want[i]);
    if (!(gap <= tol * bound[i] + 1e-300)) {
      expect.fail(`value ${i}: ${got[i]} vs ${want[i]}, gap ${gap} > ${tol} × ${bound[i]}`);
    }
  }
}

function on(kernels: Kernels, values: Float64Array): Float64Array {
  const a = kernels.alloc(values.length);
  a.set(values);
  return a;
}

const BLOCKINGS = EDGE_BLOCKINGS;
// [nOut, nIn, m]: ragged row tiles, 8-column tiles with 4 and 1–3 left over, blocks past the defaults.
const SHAPES = [
  [4, 8, 8],
  [5, 9, 7],
  [7, 13, 19],
  [13, 8, 2],
  [6, 33, 13],
  [20, 300, 29],
  [70, 10, 6],
  [11, 6, 258],
] as const;
const PRECISIONS: Precision[] = fma ? ["f32", "f32-fma"] : ["f32"];

describe("f32 blocked products", () => {
  it("have relaxed-SIMD FMA on this runtime once enabled (Node 20: behind a V8 flag)", () => {
    expect(fma).toBe(true);
  });

  for (const precision of PRECISIONS)
    for (const blocks of BLOCKINGS)
      for (const [nOut, nIn, m] of SHAPES) {
        it(`${precision}: ${nOut}×${nIn} over ${m} examples, blocks ${JSON.stringify(blocks)}`, () => {
          const W = rng.randn(nOut * nIn);
          const b = rng.randn(nOut);
          const A = rng.randn(nIn * m);
          const dZ = rng.randn(nOut * m);
          const gate = rng.randn(nIn * m).map((v, i) => (i % 5 === 0 ? 0 : i % 11 === 3 ? Number.NaN : v));
          const gain = 1 / 0.7;
          const [scale, decay] = [1 / m, 0.7 / m];
          const f32Sources = { input: nIn * m, hidden: Math.max(nIn, nOut) * m };
          const k = createKernels(8 * (nOut * nIn + nOut * m + nIn * m) + 64, "wasm", {
            blocks,
            precision,
            f32Sources,
          });
          const [Ww, bw, Aw, dZw, gatew] = [W, b, A, dZ, gate].map((v) => on(k, v));
          // The worst-case bound of recursive summation, γ_n·Σ|c·x| with n = terms + 2 roundings
          // (the inputs' and the start's), in units of f32's 2⁻²⁴.
          const abs = (v: Float64Array) => v.map(Math.abs);
          const unit = 2 ** -24;
          const blockedRows = (rows: number, terms: number) => rows >= 4 && terms >= blocks.minTerms;

          for (const [post, relu] of [
            [NONE, false],
            [RELU, true],
          ] as const) {
            const got = k.alloc(nOut * m);
            if (relu) k.mirror?.(Aw, nIn * m);
            k.denseForward(got, Ww, bw, Aw, nOut, nIn, m, relu);
            const ref = new Float64Array(nOut * m);
            jsKernels.denseForward(ref, W, b, A, nOut, nIn, m, relu);
            const bound = new Float64Array(nOut * m);
            jsKernels.denseForward(bound, abs(W), abs(b), abs(A), nOut, nIn, m);
            within(got, ref, bound, (nIn + 2) * unit);
            if (precision === "f32" && blockedRows(nOut, nIn)) {
              const want = f32Product(
                (i, t) => W[i * nIn + t],
                (t, j) => A[t * m + j],
                (i) => b[i],
                nOut,
                nIn,
                m,
                (v) => (post === RELU ? (v > 0 ? v : 0) : v),
              );
              sameBits(got, want);
            }
          }
          for (const withGate of [false, true]) {
            const got = k.alloc(nIn * m);
            k.denseBackwardInput(got, Ww, dZw, nOut, nIn, m, withGate ? gatew : undefined, gain);
            const ref = new Float64Array(nIn * m);
            jsKernels.denseBackwardInput(ref, W, dZ, nOut, nIn, m, withGate ? gate : undefined, gain);
            const bound = new Float64Array(nIn * m);
            jsKernels.denseBackwardInput(bound, abs(W), abs(dZ), nOut, nIn, m);
            within(
              got,
              ref,
              bound.map((v) => v * gain),
              (nOut + 2) * unit,
            );
            if (precision === "f32" && blockedRows(nIn, nOut)) {
              const want = f32Product(
                (i, t) => W[t * nIn + i],
                (t, j) => dZ[t * m + j],
                () => 0,
                nIn,
                nOut,
                m,
                (v, i, j) => (!withGate ? v : gate[i * m + j] > 0 ? v * gain : 0),
              );
              sameBits(got, want);
            }
          }
          const gotW = k.alloc(nOut * nIn);
          const gotB = k.alloc(nOut);
          k.denseBackwardParams(gotW, gotB, dZw, Aw, Ww, nOut, nIn, m, scale, decay);
          const refW = new Float64Array(nOut * nIn);
          const refB = new Float64Array(nOut);
          jsKernels.denseBackwardParams(refW, refB, dZ, A, W, nOut, nIn, m, scale, decay);
          const boundW = new Float64Array(nOut * nIn);
          jsKernels.denseBackwardParams(
            boundW,
            new Float64Array(nOut),
            abs(dZ),
            abs(A),
            abs(W),
            nOut,
            nIn,
            m,
            1,
            0,
          );
          within(
            gotW,
            refW,
            boundW.map((v, i) => v * scale + 1e-15 * Math.abs(refW[i])),
            (m + 2) * unit,
          );
          // The bias gradient is a small f64 product in every precision.
          sameBits(gotB, refB);
          if (precision === "f32" && blockedRows(nOut, m) && nIn >= 4) {
            const want = f32Product(
              (i, t) => dZ[i * m + t],
              (t, j) => A[j * m + t],
              () => 0,
              nOut,
              m,
              nIn,
              (v, i, j) => scale * v + decay * W[i * nIn + j],
            );
            sameBits(gotW, want);
          }
          expect(k.fallbacks).toBe(0);
        });
      }

  it("leave the f64 products' code alone when FMA is on", () => {
    const plain = blockedFunctions(0, false);
    const fused = blockedFunctions(0, true);
    for (const [k, [name, fn]] of plain.entries()) {
      const same = fn.encode().join() === fused[k][1].encode().join();
      // Only the f32 tiles multiply and add; drivers and packing are the same code.
      expect(same, name).toBe(!(name.startsWith("tile") && name.endsWith("_32")));
    }
  });

  it("give the reference's bits where products are small, in every precision", () => {
    // [2, 20, 3, 1] (the seed's network): no product is blocked, so f32 changes nothing.
    const [nOut, nIn, m] = [3, 20, 50];
    const W = rng.randn(nOut * nIn);
    const b = rng.randn(nOut);
    const A = rng.randn(nIn * m);
    const want = new Float64Array(nOut * m);
    jsKernels.denseForward(want, W, b, A, nOut, nIn, m, true);
    for (const precision of PRECISIONS) {
      const k = createKernels(4 * (nOut * nIn + nIn * m + nOut * m), "wasm", { precision });
      const got = k.alloc(nOut * m);
      const [Ww, bw, Aw] = [W, b, A].map((v) => on(k, v));
      k.denseForward(got, Ww, bw, Aw, nOut, nIn, m, true);
      sameBits(got, want);
    }
  });

  it("say what is wrong with a precision they cannot run", () => {
    expect(() => createKernels(8, "wasm", { precision: "f16" as Precision })).toThrow(
      /precision must be one of/,
    );
    expect(() => createKernels(8, "js", { precision: "f32" })).toThrow(/needs the WebAssembly kernels/);
    const k = createKernels(200, "wasm", { precision: "f32", f32Sources: { input: 0, hidden: 8 } });
    const [W, A] = [k.alloc(32), k.alloc(72)];
    expect(() => k.denseForward(k.alloc(36), W, k.alloc(4), A, 4, 8, 9)).toThrow(/does not fit/);
  });
});

describe("training in f32", () => {
  const data = generateDataset("football").train;
  const run = async (hidden: number[], precision: Precision, keepProb = 1) =>
    (
      await fit(
        data,
        { hidden, iterations: 1000, learningRate: 0.3, costEvery: 250, keepProb },
        { precision },
      )
    ).history.costs;

  it("gives the seed network's costs bit for bit: none of its products is blocked", async () => {
    expect(await run([20, 3], "f32")).toEqual(await run([20, 3], "f64"));
  });

  for (const keepProb of [1, 0.8]) {
    it(`stays within 1e-7 of f64's costs on [2, 64, 32, 1], keepProb ${keepProb}`, async () => {
      // Measured: gaps of 1e-9 to 1e-8 over 2 000 iterations.
      const f64 = await run([64, 32], "f64", keepProb);
      for (const precision of PRECISIONS) {
        const costs = await run([64, 32], precision, keepProb);
        for (const [i, c] of costs.entries())
          expect(Math.abs(c - f64[i]), `${precision} ${i}`).toBeLessThan(1e-7);
        expect(costs.some((c, i) => c !== f64[i])).toBe(true);
      }
    });
  }
});
