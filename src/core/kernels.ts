/**
 * The numeric kernels every forward and backward pass runs on: dense products over row-major
 * Float64Arrays with examples as columns, in JavaScript. wasm-kernels.ts runs the same
 * computations, in the same order, as WebAssembly SIMD; this file is the reference for both and
 * the fallback. Kernels write into buffers they are given and never allocate.
 *
 * Products are register-blocked: output rows are built two at a time (each source value loaded
 * once feeds both), in passes of up to four source rows (each output entry loaded and stored once
 * per four products). The bias enters in the first pass, and the elementwise step that follows a
 * product — ReLU forward, dropout-and-ReLU backward — in the last, so no extra sweep is needed.
 */

import { sigmoid } from "./activations.js";
import { drawMask, type MaskDrawer } from "./dropout.js";

/** The elementwise step fused into a product's last pass. */
export type Post = typeof NONE | typeof RELU | typeof GATE;
export const NONE = 0;
/** v ← max(v, 0) */
export const RELU = 1;
/** v ← gate > 0 ? v·gain : 0, the backward of ReLU after inverted dropout. */
export const GATE = 2;
export const POSTS: readonly Post[] = [NONE, RELU, GATE];

/**
 * A pair of output rows (o0, o1 — equal for a lone last row) being built from `terms` source
 * rows, with the coefficients of each row at c0 + t·stride and c1 + t·stride.
 */
interface RowPair {
  out: Float64Array;
  o0: number;
  o1: number;
  m: number;
  bias0: number;
  bias1: number;
  post: number;
  gate: Float64Array;
  gain: number;
}

/** The elementwise step after the last pass (small enough for V8 to inline into each loop). */
function finish(post: number, v: number, gate: Float64Array, at: number, gain: number): number {
  if (post === RELU) return v > 0 ? v : 0;
  if (post === GATE) return gate[at] > 0 ? v * gain : 0;
  return v;
}

function pass4(
  p: RowPair,
  first: boolean,
  last: boolean,
  w: Float64Array,
  c0: number,
  c1: number,
  s: number,
  src: Float64Array,
  r: number,
): void {
  const { out, o0, o1, m, bias0, bias1, post, gate, gain } = p;
  const a0 = w[c0];
  const a1 = w[c0 + s];
  const a2 = w[c0 + 2 * s];
  const a3 = w[c0 + 3 * s];
  const b0 = w[c1];
  const b1 = w[c1 + s];
  const b2 = w[c1 + 2 * s];
  const b3 = w[c1 + 3 * s];
  const r1 = r + m;
  const r2 = r1 + m;
  const r3 = r2 + m;
  for (let j = 0; j < m; j++) {
    const x0 = src[r + j];
    const x1 = src[r1 + j];
    const x2 = src[r2 + j];
    const x3 = src[r3 + j];
    const u = (first ? bias0 : out[o0 + j]) + a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
    const v = (first ? bias1 : out[o1 + j]) + b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
    out[o0 + j] = last ? finish(post, u, gate, o0 + j, gain) : u;
    out[o1 + j] = last ? finish(post, v, gate, o1 + j, gain) : v;
  }
}

function pass3(
  p: RowPair,
  first: boolean,
  last: boolean,
  w: Float64Array,
  c0: number,
  c1: number,
  s: number,
  src: Float64Array,
  r: number,
): void {
  const { out, o0, o1, m, bias0, bias1, post, gate, gain } = p;
  const a0 = w[c0];
  const a1 = w[c0 + s];
  const a2 = w[c0 + 2 * s];
  const b0 = w[c1];
  const b1 = w[c1 + s];
  const b2 = w[c1 + 2 * s];
  const r1 = r + m;
  const r2 = r1 + m;
  for (let j = 0; j < m; j++) {
    const x0 = src[r + j];
    const x1 = src[r1 + j];
    const x2 = src[r2 + j];
    const u = (first ? bias0 : out[o0 + j]) + a0 * x0 + a1 * x1 + a2 * x2;
    const v = (first ? bias1 : out[o1 + j]) + b0 * x0 + b1 * x1 + b2 * x2;
    out[o0 + j] = last ? finish(post, u, gate, o0 + j, gain) : u;
    out[o1 + j] = last ? finish(post, v, gate, o1 + j, gain) : v;
  }
}

function pass2(
  p: RowPair,
  first: boolean,
  last: boolean,
  w: Float64Array,
  c0: number,
  c1: number,
  s: number,
  src: Float64Array,
  r: number,
): void {
  const { out, o0, o1, m, bias0, bias1, post, gate, gain } = p;
  const a0 = w[c0];
  const a1 = w[c0 + s];
  const b0 = w[c1];
  const b1 = w[c1 + s];
  const r1 = r + m;
  for (let j = 0; j < m; j++) {
    const x0 = src[r + j];
    const x1 = src[r1 + j];
    const u = (first ? bias0 : out[o0 + j]) + a0 * x0 + a1 * x1;
    const v = (first ? bias1 : out[o1 + j]) + b0 * x0 + b1 * x1;
    out[o0 + j] = last ? finish(post, u, gate, o0 + j, gain) : u;
    out[o1 + j] = last ? finish(post, v, gate, o1 + j, gain) : v;
  }
}

function pass1(
  p: RowPair,
  first: boolean,
  last: boolean,
  w: Float64Array,
  c0: number,
  c1: number,
  _s: number,
  src: Float64Array,
  r: number,
): void {
  const { out, o0, o1, m, bias0, bias1, post, gate, gain } = p;
  const a0 = w[c0];
  const b0 = w[c1];
  for (let j = 0; j < m; j++) {
    const x0 = src[r + j];
    const u = (first ? bias0 : out[o0 + j]) + a0 * x0;
    const v = (first ? bias1 : out[o1 + j]) + b0 * x0;
    out[o0 + j] = last ? finish(post, u, gate, o0 + j, gain) : u;
    out[o1 + j] = last ? finish(post, v, gate, o1 + j, gain) : v;
  }
}

const PASSES = [pass1, pass1, pass2, pass3, pass4];

/** Builds the pair's rows: bias + Σ_t coef · src row t, in passes of up to four terms. */
function combine(
  p: RowPair,
  coef: Float64Array,
  c0: number,
  c1: number,
  stride: number,
  src: Float64Array,
  terms: number,
): void {
  const m = p.m;
  for (let t = 0; t < terms; ) {
    const n = Math.min(4, terms - t);
    PASSES[n](p, t === 0, t + n === terms, coef, c0 + t * stride, c1 + t * stride, stride, src, t * m);
    t += n;
  }
}

const EMPTY = new Float64Array(0);

// One scratch descriptor, filled afresh by each kernel call before use: the training loop then
// allocates nothing. Kernels run to completion synchronously and call nothing outside this file,
// so sharing it is safe (each worker has its own module instance).
const scratch: RowPair = {
  out: EMPTY,
  o0: 0,
  o1: 0,
  m: 0,
  bias0: 0,
  bias1: 0,
  post: NONE,
  gate: EMPTY,
  gain: 1,
};

function target(out: Float64Array, m: number, post: number, gate: Float64Array, gain: number): RowPair {
  const p = scratch;
  p.out = out;
  p.m = m;
  p.post = post;
  p.gate = gate;
  p.gain = gain;
  p.bias0 = 0;
  p.bias1 = 0;
  return p;
}

/** Z = W·A + b, rectified when `relu`, for W (nOut × nIn), A (nIn × m), Z (nOut × m). */
export function denseForward(
  Z: Float64Array,
  W: Float64Array,
  b: Float64Array,
  A: Float64Array,
  nOut: number,
  nIn: number,
  m: number,
  relu = false,
): void {
  const p = target(Z, m, relu ? RELU : NONE, EMPTY, 1);
  for (let i = 0; i < nOut; i += 2) {
    const k = i + 1 < nOut ? i + 1 : i;
    p.o0 = i * m;
    p.o1 = k * m;
    p.bias0 = b[i];
    p.bias1 = b[k];
    combine(p, W, i * nIn, k * nIn, 1, A, nIn);
  }
}

/**
 * dA = Wᵀ·dZ for W (nOut × nIn), dZ (nOut × m), dA (nIn × m). With `gate` (the layer's
 * post-dropout ReLU output), entries where gate ≤ 0 become 0 and the others are scaled by
 * `gain` (1/keepProb under dropout, else 1): dropout's mask and ReLU's derivative in one step.
 */
export function denseBackwardInput(
  dA: Float64Array,
  W: Float64Array,
  dZ: Float64Array,
  nOut: number,
  nIn: number,
  m: number,
  gate?: Float64Array,
  gain = 1,
): void {
  const p = target(dA, m, gate ? GATE : NONE, gate ?? EMPTY, gain);
  for (let k = 0; k < nIn; k += 2) {
    const l = k + 1 < nIn ? k + 1 : k;
    p.o0 = k * m;
    p.o1 = l * m;
    combine(p, W, k, l, nIn, dZ, nOut);
  }
}

/** The 2 × 4 blocks of dW: which matrix's rows go two at a time and where each sum lands. */
export interface ParamBlocks {
  alongOut: boolean;
  fixedCount: number;
  movingCount: number;
}

/** dW's blocks run along its longer side, so a layer of few inputs still fills them. */
export function paramBlocks(nOut: number, nIn: number): ParamBlocks {
  const alongOut = nIn < 4 && nOut > nIn;
  return { alongOut, fixedCount: alongOut ? nIn : nOut, movingCount: alongOut ? nOut : nIn };
}

/**
 * dW = scale · dZ·Aᵀ + decay · W and db = scale · Σ_j dZ, for dZ (nOut × m), A (nIn × m).
 * Blocks of 2 × 4 dot products share each loaded value; each sum runs over the examples in
 * order.
 */
export function denseBackwardParams(
  dW: Float64Array,
  db: Float64Array,
  dZ: Float64Array,
  A: Float64Array,
  W: Float64Array,
  nOut: number,
  nIn: number,
  m: number,
  scale: number,
  decay: number,
): void {
  const blocks = paramBlocks(nOut, nIn);
  const fixed = blocks.alongOut ? A : dZ;
  const moving = blocks.alongOut ? dZ : A;
  for (let f = 0; f < blocks.fixedCount; f += 2) {
    const f1 = f + 1 < blocks.fixedCount ? f + 1 : f;
    const x0 = f * m;
    const x1 = f1 * m;
    for (let g = 0; g < blocks.movingCount; g += 4) {
      const n = Math.min(4, blocks.movingCount - g);
      const y0 = g * m;
      const y1 = n > 1 ? y0 + m : y0;
      const y2 = n > 2 ? y0 + 2 * m : y0;
      const y3 = n > 3 ? y0 + 3 * m : y0;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let j = 0; j < m; j++) {
        const u = fixed[x0 + j];
        const v = fixed[x1 + j];
        const z0 = moving[y0 + j];
        const z1 = moving[y1 + j];
        const z2 = moving[y2 + j];
        const z3 = moving[y3 + j];
        s00 += u * z0;
        s01 += u * z1;
        s02 += u * z2;
        s03 += u * z3;
        s10 += v * z0;
        s11 += v * z1;
        s12 += v * z2;
        s13 += v * z3;
      }
      const along = blocks.alongOut;
      for (let q = 0; q < n; q++) {
        const s0 = q === 0 ? s00 : q === 1 ? s01 : q === 2 ? s02 : s03;
        const s1 = q === 0 ? s10 : q === 1 ? s11 : q === 2 ? s12 : s13;
        const a = along ? (g + q) * nIn + f : f * nIn + g + q;
        dW[a] = scale * s0 + decay * W[a];
        const c = along ? (g + q) * nIn + f1 : f1 * nIn + g + q;
        dW[c] = scale * s1 + decay * W[c];
      }
    }
  }
  for (let i = 0; i < nOut; i++) {
    let s = 0;
    const o = i * m;
    for (let j = 0; j < m; j++) s += dZ[o + j];
    db[i] = scale * s;
  }
}

/** out = a ⊙ b over the first n entries (applying a dropout mask). */
export function multiply(out: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}

/** dZ = σ(Z) − Y over m examples: the cross-entropy's gradient at the sigmoid output's input. */
export function outputGradient(dZ: Float64Array, Z: Float64Array, Y: Float64Array, m: number): void {
  for (let j = 0; j < m; j++) dZ[j] = sigmoid(Z[j]) - Y[j];
}

/** Where the kernels run: plain JavaScript, or WebAssembly SIMD over their own memory. */
export type KernelBackend = "js" | "wasm";

/**
 * A set of kernels with the buffers they work on. Buffers from `alloc` are what the WASM
 * backend computes on in place; other arrays are accepted everywhere and computed in
 * JavaScript. Both backends give bit-identical results.
 */
export interface Kernels {
  readonly backend: KernelBackend;
  /** Calls computed in JavaScript because an array lay outside the WASM backend's memory. */
  readonly fallbacks: number;
  /** A zero-filled array of n values. */
  alloc(n: number): Float64Array;
  denseForward: typeof denseForward;
  denseBackwardInput: typeof denseBackwardInput;
  denseBackwardParams: typeof denseBackwardParams;
  multiply: typeof multiply;
  drawMask: MaskDrawer;
  outputGradient: typeof outputGradient;
  /** Ends any helper threads (the kernels go on, on one thread). */
  close?(): void;
  /** Threads the large products run on now: 1, or 1 + the helper threads started so far. */
  threadsInUse?(): number;
  /**
   * Tells f32 kernels that the first n values of `x` (the trainer's input batch) were just
   * written: they keep an f32 copy that products read as their source instead of converting x
   * each time. Call it after every write of x. f64 kernels have no such copy.
   */
  mirror?(x: Float64Array, n: number): void;
  /** Whether the large products run in f32 (then mirrorView and narrow are there). */
  readonly f32Products?: boolean;
  /**
   * As mirror, for a source built in f32: the f32 copy products will read for the first n values
   * of `x` (x itself need not hold them), for the caller to fill before the product;
   * undefined when x is not the kernels' or the copy cannot hold n values.
   */
  mirrorView?(x: Float64Array, n: number): Float32Array | undefined;
  /** dst[i] = f32(src[i]) for n values; false (nothing copied) unless both are the kernels'. */
  narrow?(dst: Float32Array, src: Float64Array, n: number): boolean;
}

export const jsKernels: Kernels = {
  backend: "js",
  fallbacks: 0,
  alloc: (n) => new Float64Array(n),
  denseForward,
  denseBackwardInput,
  denseBackwardParams,
  multiply,
  drawMask,
  outputGradient,
};
