/**
 * Elastic distortion's field smoothing in WebAssembly SIMD (./wasm/blur-module.ts), on a memory of
 * its own sized for one image: the caller draws the uniforms straight into `uniforms`, calls
 * run(), and reads both smoothed fields from `pairs`. The same bits as the JavaScript smoothing in
 * data/augment/elastic.ts, which runs where this is unavailable.
 */
import type { RandomState } from "./random.js";
import { blurPairsFunction, warpFunction } from "./wasm/blur-module.js";
import { encodeModule } from "./wasm/encoder.js";
import { MT_STATE_BYTES, maskFunction } from "./wasm/mask-module.js";

// The parts of the WebAssembly API used here, typed locally (the engine has no DOM or Node typings).
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBufferLike };
}

/** Smooths an image's two displacement fields at once and applies them (see blurPairsFunction, warpFunction). */
export interface PairBlur {
  /** H·W uniforms in [0, 1) for dy, then H·W for dx: fill before each run. */
  readonly uniforms: Float64Array;
  /** After run(): (dy, dx) per pixel, row-major, each −1 + 2u smoothed by the kernel. */
  readonly pairs: Float64Array;
  run(): void;
  /** Where available: fills `uniforms` from `rng` exactly as rng.rand(2·H·W, uniforms) would. */
  draw?(rng: RandomState): void;
  /**
   * After run(), where available: `x` (H·W·C) read at (h + α·dy, w + α·dx) by bilinear
   * interpolation into `out`, as resampleInto does.
   */
  warp?(x: Float64Array, out: Float64Array, alpha: number): void;
}

const PAGE = 65536;
let compiled: object | null | undefined;

function compiledModule(api: WasmApi | undefined): object | null {
  if (compiled === undefined) {
    try {
      const functions = new Map([
        ["blurPairs", blurPairsFunction()],
        ["warp", warpFunction()],
        ["uniforms", maskFunction(true)],
      ]);
      compiled = api ? new api.Module(encodeModule(functions)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * A PairBlur for H×W×C images and a kernel of odd length 2r + 1, or undefined where this runtime
 * has no WebAssembly SIMD.
 */
export function wasmPairBlur(
  height: number,
  width: number,
  channels: number,
  kernel: Float64Array,
): PairBlur | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const module = compiledModule(api);
  if (!api || !module) return undefined;
  const n = height * width;
  // Byte offsets: uniforms, pairs, the rows' pass, the kernel; then the image and the output with
  // a margin of a row and a pixel on each side (warp reads there, then discards what it read).
  const [U, P, T, K] = [0, 16 * n, 32 * n, 48 * n];
  const margin = 8 * (width + 2) * channels;
  const image = Math.ceil((K + 8 * kernel.length + margin) / 16) * 16;
  const output = image + 8 * n * channels;
  const state = Math.ceil((output + 8 * n * channels + margin) / 16) * 16;
  const pages = Math.ceil((state + MT_STATE_BYTES) / PAGE);
  const memory = new api.Memory({ initial: pages, maximum: pages });
  const fns = new api.Instance(module, { env: { memory } }).exports as Record<
    string,
    (...args: number[]) => number
  >;
  new Float64Array(memory.buffer, K, kernel.length).set(kernel);
  const r = (kernel.length - 1) / 2;
  const pixels = new Float64Array(memory.buffer, image, n * channels);
  const result = new Float64Array(memory.buffer, output, n * channels);
  const key = new Int32Array(memory.buffer, state, MT_STATE_BYTES / 4);
  return {
    uniforms: new Float64Array(memory.buffer, U, 2 * n),
    pairs: new Float64Array(memory.buffer, P, 2 * n),
    run: () => fns.blurPairs(U, P, T, K, height, width, r),
    draw(rng) {
      // The generator's words drawn here, in WebAssembly, then handed back advanced.
      const next = fns.uniforms(state, rng.copyStateTo(key), U, 2 * n, 0, 0);
      rng.restoreState(key, next);
    },
    warp(x, out, alpha) {
      pixels.set(x);
      fns.warp(P, image, output, height, width, channels, alpha);
      out.set(result);
    },
  };
}
