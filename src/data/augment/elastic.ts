import type { RandomState } from "../../core/random.js";
import { type ElasticColumns, wasmElasticColumns } from "../../core/wasm-blur.js";
import type { ImageShape } from "../dataset.js";
import { resampleInto } from "./bilinear.js";
import {
  type ColumnsInPlace,
  makeTransform,
  requireShape,
  reusable,
  type Transform,
  type TransformInto,
} from "./transform.js";

/** The normalized Gaussian kernel of radius ⌈3σ⌉ (σ > 0). */
function gaussianKernel(sigma: number): Float64Array {
  const r = Math.ceil(3 * sigma);
  const kernel = new Float64Array(2 * r + 1);
  let total = 0;
  for (let i = -r; i <= r; i++) total += kernel[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  return kernel;
}

/**
 * Smooths `f` (H×W) into `out` with the separable `kernel`, zeros beyond the edges, through
 * `rows` (H×W scratch); returns `out`. Each sum runs over the kernel from left to right.
 */
function blurInto(
  f: Float64Array,
  H: number,
  W: number,
  kernel: Float64Array,
  rows: Float64Array,
  out: Float64Array,
): Float64Array {
  const r = (kernel.length - 1) / 2;
  for (let h = 0; h < H; h++) {
    const row = h * W;
    for (let w = 0; w < W; w++) {
      const lo = Math.max(-r, -w);
      const hi = Math.min(r, W - 1 - w);
      let s = 0;
      for (let i = lo, k = lo + r, at = row + w + lo; i <= hi; i++, k++, at++) s += kernel[k] * f[at];
      rows[row + w] = s;
    }
  }
  for (let h = 0; h < H; h++) {
    const lo = Math.max(-r, -h);
    const hi = Math.min(r, H - 1 - h);
    for (let w = 0; w < W; w++) {
      let s = 0;
      for (let i = lo, k = lo + r, at = (h + lo) * W + w; i <= hi; i++, k++, at += W)
        s += kernel[k] * rows[at];
      out[h * W + w] = s;
    }
  }
  return out;
}

/**
 * Separable Gaussian smoothing with zeros beyond the edges (a kernel of radius ⌈3σ⌉, normalized
 * over its full length, so borders fade toward zero as in scipy's mode="constant").
 */
export function gaussianBlur(f: Float64Array, H: number, W: number, sigma: number): Float64Array {
  if (sigma === 0) return f.slice();
  return blurInto(f, H, W, gaussianKernel(sigma), new Float64Array(f.length), new Float64Array(f.length));
}

/** Draws one field into `out` (n = H·W): uniform(−1, 1), smoothed, times α. */
function drawField(
  shape: ImageShape,
  alpha: number,
  kernel: Float64Array | undefined,
  rng: RandomState,
  raw: Float64Array,
  rows: Float64Array,
  out: Float64Array,
): void {
  const n = shape.height * shape.width;
  rng.rand(n, raw);
  // The same doubles as rng.uniform(−1, 1, n): low + (high − low)·u.
  for (let i = 0; i < n; i++) raw[i] = -1 + 2 * raw[i];
  if (kernel) blurInto(raw, shape.height, shape.width, kernel, rows, out);
  else out.set(raw.subarray(0, n));
  for (let i = 0; i < n; i++) out[i] *= alpha;
}

/**
 * A displacement field as Simard, Steinkraus & Platt (2003) draw it: uniform(−1, 1) at every pixel,
 * smoothed by a Gaussian of standard deviation σ, then scaled by α. Returns dy then dx, each H×W.
 */
export function displacementField(
  shape: ImageShape,
  alpha: number,
  sigma: number,
  rng: RandomState,
): { dy: Float64Array; dx: Float64Array } {
  const n = shape.height * shape.width;
  const kernel = sigma === 0 ? undefined : gaussianKernel(sigma);
  const raw = new Float64Array(n);
  const rows = new Float64Array(n);
  const dy = new Float64Array(n);
  const dx = new Float64Array(n);
  drawField(shape, alpha, kernel, rng, raw, rows, dy);
  drawField(shape, alpha, kernel, rng, raw, rows, dx);
  return { dy, dx };
}

/** An image's two displacement fields smoothed together (the JavaScript path). */
interface PairBlur {
  /** H·W uniforms in [0, 1) for dy, then H·W for dx: fill before each run. */
  readonly uniforms: Float64Array;
  /** After run(): (dy, dx) per pixel, row-major, each −1 + 2u smoothed by the kernel. */
  readonly pairs: Float64Array;
  run(): void;
}

/**
 * The two fields' smoothing in JavaScript, for runtimes without WebAssembly SIMD: the same
 * computation as wasmElasticColumns's (and the same bits), field by field through blurInto.
 */
function jsPairBlur(H: number, W: number, kernel: Float64Array): PairBlur {
  const n = H * W;
  const uniforms = new Float64Array(2 * n);
  const pairs = new Float64Array(2 * n);
  const [raw, rows, out] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  return {
    uniforms,
    pairs,
    run: () => {
      for (let lane = 0; lane < 2; lane++) {
        for (let i = 0; i < n; i++) raw[i] = -1 + 2 * uniforms[lane * n + i];
        blurInto(raw, H, W, kernel, rows, out);
        for (let i = 0; i < n; i++) pairs[2 * i + lane] = out[i];
      }
    },
  };
}

/**
 * Elastic distortion: each pixel read from (h + dy, w + dx) of a fresh smoothed field. Both
 * fields' uniforms are drawn in one call (dy's, then dx's: the order displacementField draws
 * them) and smoothed together. Where the runtime has WebAssembly SIMD, the draws, smoothing and
 * warp of a whole batch run there, on the batch's columns (see wasmElasticColumns).
 */
export function elastic(alpha = 34, sigma = 4): Transform {
  if (!(alpha >= 0 && sigma >= 0)) throw new RangeError("elastic: alpha and sigma must be ≥ 0");
  const kernel = sigma === 0 ? undefined : gaussianKernel(sigma);
  const [raw, rows, dy, dx] = [reusable(), reusable(), reusable(), reusable()];
  // The fast path for the last shape seen (undefined without WebAssembly SIMD), and the JavaScript one.
  let fast: { shape: ImageShape; wasm: ElasticColumns | undefined; js: PairBlur } | undefined;
  const paths = (s: ImageShape, k: Float64Array) => {
    const b = fast?.shape;
    if (!fast || b?.height !== s.height || b.width !== s.width || b.channels !== s.channels) {
      const { height: H, width: W, channels: C } = s;
      fast = { shape: s, wasm: wasmElasticColumns(H, W, C, k), js: jsPairBlur(H, W, k) };
    }
    return fast;
  };
  const columns: ColumnsInPlace = (X, stride, first, count, shape, rng) => {
    const wasm = kernel && paths(requireShape(shape, "elastic"), kernel).wasm;
    wasm?.columns(X, stride, first, count, alpha, rng);
    return wasm !== undefined;
  };
  const into: TransformInto = (x, out, shape, rng) => {
    const s = requireShape(shape, "elastic");
    const n = s.height * s.width;
    const { wasm, js } = kernel ? paths(s, kernel) : {};
    if (wasm) {
      wasm.columns(x, 1, 0, 1, alpha, rng);
      return x;
    }
    const fy = dy(n);
    const fx = dx(n);
    if (js) {
      rng.rand(2 * n, js.uniforms);
      js.run();
      // The source points (h + α·dy, w + α·dx), as drawField scales and the loop below adds.
      const p = js.pairs;
      for (let h = 0, i = 0; h < s.height; h++) {
        for (let w = 0; w < s.width; w++, i++) {
          fy[i] = h + p[2 * i] * alpha;
          fx[i] = w + p[2 * i + 1] * alpha;
        }
      }
      return resampleInto(x, out, s, fy, fx);
    }
    const [r, t] = [raw(n), rows(n)];
    drawField(s, alpha, kernel, rng, r, t, fy);
    drawField(s, alpha, kernel, rng, r, t, fx);
    // The fields become the source points in place: (h + dy, w + dx).
    for (let h = 0, i = 0; h < s.height; h++) {
      for (let w = 0; w < s.width; w++, i++) {
        fy[i] = h + fy[i];
        fx[i] = w + fx[i];
      }
    }
    return resampleInto(x, out, s, fy, fx);
  };
  return makeTransform(`elastic:alpha=${alpha},sigma=${sigma}`, true, into, undefined, columns);
}
