import { describe, it } from "vitest";
import { jsKernels } from "../../../src/core/kernels.js";
import { Conv2D, type ConvSettings } from "../../../src/core/layers/conv2d.js";
import { axisGeometry, type TensorShape } from "../../../src/core/layers/spec.js";
import { RandomState } from "../../../src/core/random.js";
import { createKernels } from "../../../src/core/wasm-kernels.js";
import { sameBits } from "../../support/assertions.js";
import { context, on } from "./helpers.js";

/**
 * Conv2D's products on patches built value by value, each checked against the image's bounds (the
 * walk conv2d.ts's im2col and col2im replace with row segments and runs), chunk by chunk as the
 * layer does: the layer must give these bits.
 */
function reference(
  shape: TensorShape,
  s: ConvSettings,
  W: Float64Array,
  b: Float64Array,
  x: Float64Array,
  dy: Float64Array,
  m: number,
  perChunk: number,
) {
  const { height: H, width: Wd, channels: Cin } = shape;
  const v = axisGeometry(H, s.size, s.stride, s.padding);
  const h = axisGeometry(Wd, s.size, s.stride, s.padding);
  const [Ho, Wo, C, f, K] = [v.out, h.out, s.filters, s.size, s.size * s.size * Cin];
  const Wt = new Float64Array(C * K);
  for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) Wt[c * K + k] = W[k * C + c];
  const out = new Float64Array(Ho * Wo * C * m);
  const dx = new Float64Array(H * Wd * Cin * m);
  const dWsum = new Float64Array(C * K);
  const dbSum = new Float64Array(C);
  const chunks = Math.ceil((Ho * Wo) / perChunk);
  // Where patch value (k, p, j) comes from in x, or −1 in the padding.
  const source = (k: number, p: number, j: number) => {
    const c = k % Cin;
    const dj = Math.floor(k / Cin) % f;
    const di = Math.floor(k / Cin / f);
    const ih = Math.floor(p / Wo) * s.stride + di - v.before;
    const iw = (p % Wo) * s.stride + dj - h.before;
    return ih < 0 || ih >= H || iw < 0 || iw >= Wd ? -1 : ((ih * Wd + iw) * Cin + c) * m + j;
  };
  const dWt = new Float64Array(C * K);
  const db = new Float64Array(C);
  for (let chunk = 0; chunk < chunks; chunk++) {
    const p0 = chunk * perChunk;
    const p1 = Math.min(Ho * Wo, p0 + perChunk);
    const P = (p1 - p0) * m;
    const patches = new Float64Array(K * P);
    for (let k = 0; k < K; k++)
      for (let p = p0; p < p1; p++)
        for (let j = 0; j < m; j++) {
          const at = source(k, p, j);
          patches[k * P + (p - p0) * m + j] = at < 0 ? 0 : x[at];
        }
    const z = new Float64Array(C * P);
    jsKernels.denseForward(z, Wt, b, patches, C, K, P, false);
    const dz = new Float64Array(C * P);
    for (let p = p0; p < p1; p++)
      for (let c = 0; c < C; c++)
        for (let j = 0; j < m; j++) {
          out[(p * C + c) * m + j] = z[c * P + (p - p0) * m + j];
          dz[c * P + (p - p0) * m + j] = dy[(p * C + c) * m + j];
        }
    const whole = chunks === 1;
    jsKernels.denseBackwardParams(dWt, db, dz, patches, Wt, C, K, P, whole ? 1 / m : 1, 0);
    for (let i = 0; i < C * K; i++) dWsum[i] = chunk === 0 ? dWt[i] : dWsum[i] + dWt[i];
    for (let c = 0; c < C; c++) dbSum[c] = chunk === 0 ? db[c] : dbSum[c] + db[c];
    const dp = new Float64Array(K * P);
    jsKernels.denseBackwardInput(dp, Wt, dz, C, K, P);
    for (let k = 0; k < K; k++)
      for (let p = p0; p < p1; p++)
        for (let j = 0; j < m; j++) {
          const at = source(k, p, j);
          if (at >= 0) dx[at] += dp[k * P + (p - p0) * m + j];
        }
  }
  const dW = new Float64Array(K * C);
  const dbOut = new Float64Array(C);
  const scale = chunks === 1 ? 1 : 1 / m;
  for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) dW[k * C + c] = scale * dWsum[c * K + k];
  for (let c = 0; c < C; c++) dbOut[c] = scale * dbSum[c];
  return { out, dx, dW, db: dbOut };
}

// Ragged shapes, strides 1–3, both paddings, one and several channels, one chunk and several.
const CASES: [TensorShape, ConvSettings, number, number | undefined][] = [
  [{ height: 9, width: 7, channels: 1 }, { filters: 4, size: 3, stride: 1, padding: "same" }, 5, undefined],
  [{ height: 9, width: 7, channels: 1 }, { filters: 4, size: 3, stride: 1, padding: "same" }, 5, 100],
  [{ height: 8, width: 11, channels: 3 }, { filters: 5, size: 5, stride: 2, padding: "same" }, 3, undefined],
  [{ height: 10, width: 6, channels: 2 }, { filters: 6, size: 2, stride: 3, padding: "valid" }, 4, 40],
  [{ height: 12, width: 12, channels: 3 }, { filters: 8, size: 5, stride: 1, padding: "valid" }, 7, 2000],
  [{ height: 6, width: 5, channels: 2 }, { filters: 4, size: 4, stride: 2, padding: "same" }, 2, 50],
];

describe("Conv2D's im2col and col2im (row segments and runs)", () => {
  for (const backend of ["js", "wasm"] as const)
    for (const [shape, s, m, patchBudget] of CASES) {
      const name = `${shape.height}×${shape.width}×${shape.channels}, ${s.filters} of ${s.size}×${s.size}, stride ${s.stride}, ${s.padding}, m ${m}${patchBudget ? `, budget ${patchBudget}` : ""} (${backend})`;
      it(`give the bits of the value-by-value walk: ${name}`, () => {
        const rng = new RandomState(7);
        const K = s.size * s.size * shape.channels;
        const W = rng.randn(K * s.filters);
        const b = rng.randn(s.filters);
        const kernels = backend === "js" ? jsKernels : createKernels(1 << 16, "wasm");
        const nIn = shape.height * shape.width * shape.channels * m;
        const x = on(kernels, rng.randn(nIn));
        const layer = new Conv2D(
          shape,
          s,
          W,
          b,
          context(m, { kernels, ...(patchBudget !== undefined && { patchBudget }) }),
        );
        const nOut = layer.output.height * layer.output.width * s.filters * m;
        const dyValues = rng.randn(nOut);
        const perChunk = Math.max(
          1,
          Math.min(layer.output.height * layer.output.width, Math.floor((patchBudget ?? 1 << 18) / (K * m))),
        );
        const want = reference(shape, s, W, b, x, dyValues, m, perChunk);
        sameBits(layer.forward(x, m).slice(0, nOut), want.out);
        const dx = layer.backward(on(kernels, dyValues), m, 1 / m, 0);
        sameBits(dx!.slice(0, nIn), want.dx);
        sameBits(layer.grads[0] as Float64Array, want.dW);
        sameBits(layer.grads[1] as Float64Array, want.db);
      });
    }
});

describe("Conv2D with f32 products", () => {
  for (const [shape, s, m, patchBudget] of CASES) {
    const name = `${shape.height}×${shape.width}×${shape.channels}, ${s.filters} of ${s.size}×${s.size}, stride ${s.stride}, ${s.padding}, m ${m}${patchBudget ? `, budget ${patchBudget}` : ""}`;
    it(`builds the patches in f32 with the bits of converting the f64 ones: ${name}`, () => {
      const rng = new RandomState(8);
      const K = s.size * s.size * shape.channels;
      const W = rng.randn(K * s.filters);
      const b = rng.randn(s.filters);
      const nIn = shape.height * shape.width * shape.channels * m;
      const xValues = rng.randn(nIn);
      const run = (patchesInF32: boolean) => {
        const k = createKernels(1 << 17, "wasm", {
          precision: "f32",
          f32Sources: { input: 1 << 14, hidden: 1 << 14 },
          blocks: { terms: 256, rows: 256, minTerms: 1 },
        });
        // Without f32Products the layer builds f64 patches, which the product converts.
        const kernels = patchesInF32
          ? k
          : Object.defineProperty(Object.create(k), "f32Products", { value: false });
        const layer = new Conv2D(
          shape,
          s,
          W,
          b,
          context(m, { kernels, ...(patchBudget !== undefined && { patchBudget }) }),
        );
        const nOut = layer.output.height * layer.output.width * s.filters * m;
        const out = layer.forward(on(kernels, xValues), m).slice(0, nOut);
        const dx = layer.backward(on(kernels, new RandomState(9).randn(nOut)), m, 1 / m, 0)!.slice(0, nIn);
        return [out, dx, (layer.grads[0] as Float64Array).slice(), (layer.grads[1] as Float64Array).slice()];
      };
      const f32 = run(true);
      const converted = run(false);
      for (const [i, a] of f32.entries()) sameBits(a, converted[i]);
    });
  }
});
