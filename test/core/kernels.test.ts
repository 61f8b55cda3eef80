import { describe, expect, it } from "vitest";
import { denseBackwardInput, denseBackwardParams, denseForward } from "../../src/core/kernels.js";
import { RandomState } from "../../src/core/random.js";
import { KERNEL_SHAPES } from "../support/shapes.js";

const rng = new RandomState(4);
const randn = (n: number) => rng.randn(n);
const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-12 * (1 + Math.abs(b[i])));
};

describe("dense kernels agree with naive products", () => {
  for (const [nOut, nIn, m] of KERNEL_SHAPES) {
    it(`${nOut}×${nIn} over ${m} examples`, () => {
      const W = randn(nOut * nIn);
      const b = randn(nOut);
      const A = randn(nIn * m);
      const dZ = randn(nOut * m);
      const Z = new Float64Array(nOut * m);
      denseForward(Z, W, b, A, nOut, nIn, m);
      const want = new Float64Array(nOut * m);
      for (let i = 0; i < nOut; i++)
        for (let j = 0; j < m; j++) {
          let s = b[i];
          for (let k = 0; k < nIn; k++) s += W[i * nIn + k] * A[k * m + j];
          want[i * m + j] = s;
        }
      close(Z, want);
      denseForward(Z, W, b, A, nOut, nIn, m, true);
      close(
        Z,
        want.map((v) => Math.max(v, 0)),
      );

      const dA = new Float64Array(nIn * m);
      const gate = randn(nIn * m);
      denseBackwardInput(dA, W, dZ, nOut, nIn, m, gate, 2.5);
      const wantDA = new Float64Array(nIn * m);
      for (let k = 0; k < nIn; k++)
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let i = 0; i < nOut; i++) s += W[i * nIn + k] * dZ[i * m + j];
          wantDA[k * m + j] = gate[k * m + j] > 0 ? 2.5 * s : 0;
        }
      close(dA, wantDA);

      const dW = new Float64Array(nOut * nIn);
      const db = new Float64Array(nOut);
      denseBackwardParams(dW, db, dZ, A, W, nOut, nIn, m, 1 / m, 0.3);
      for (let i = 0; i < nOut; i++) {
        let sb = 0;
        for (let j = 0; j < m; j++) sb += dZ[i * m + j];
        expect(Math.abs(db[i] - sb / m)).toBeLessThan(1e-12);
        for (let k = 0; k < nIn; k++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += dZ[i * m + j] * A[k * m + j];
          expect(Math.abs(dW[i * nIn + k] - (s / m + 0.3 * W[i * nIn + k]))).toBeLessThan(1e-12);
        }
      }
    });
  }
});
