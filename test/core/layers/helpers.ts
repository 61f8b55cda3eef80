import type { Activation } from "../../../src/core/activations.js";
import { jsKernels, type Kernels } from "../../../src/core/kernels.js";
import type { LayerContext } from "../../../src/core/layers/layer.js";

/** (m, H, W, C) row-major, as numpy's arrays → the layers' layout, value (h, w, c) of j at ((h·W + w)·C + c)·m + j. */
export function toLayout(
  a: ArrayLike<number>,
  m: number,
  H: number,
  W: number,
  C: number,
  into?: Float64Array,
): Float64Array {
  const out = into ?? new Float64Array(m * H * W * C);
  for (let i = 0; i < m; i++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++)
        for (let c = 0; c < C; c++) out[((h * W + w) * C + c) * m + i] = a[((i * H + h) * W + w) * C + c];
  return out;
}

/** The layers' layout → (m, H, W, C). */
export function fromLayout(x: ArrayLike<number>, m: number, H: number, W: number, C: number): Float64Array {
  const out = new Float64Array(m * H * W * C);
  for (let i = 0; i < m; i++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++)
        for (let c = 0; c < C; c++) out[((i * H + h) * W + w) * C + c] = x[((h * W + w) * C + c) * m + i];
  return out;
}

/** max |a − b| / max |b|: the relative difference the fixtures are held to. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

export function context(
  batch: number,
  options: {
    kernels?: Kernels;
    activation?: Activation;
    needsInputGradient?: boolean;
    patchBudget?: number;
  } = {},
): LayerContext {
  return {
    kernels: options.kernels ?? jsKernels,
    batch,
    needsInputGradient: options.needsInputGradient ?? true,
    activation: options.activation ?? "linear",
    ...(options.patchBudget !== undefined && { patchBudget: options.patchBudget }),
  };
}

/** A buffer of `kernels` holding `values` (WebAssembly computes on its own memory in place). */
export function on(kernels: Kernels, values: Float64Array): Float64Array {
  const a = kernels.alloc(values.length);
  a.set(values);
  return a;
}
