/**
 * Elastic distortion's field smoothing in WebAssembly SIMD (./wasm/blur-module.ts), on a memory of
 * its own sized for one image: the caller draws the uniforms straight into `uniforms`, calls
 * run(), and reads both smoothed fields from `pairs`. The same bits as the JavaScript smoothing in
 * data/augment/elastic.ts, which runs where this is unavailable.
 */
import { blurPairsFunction } from "./wasm/blur-module.js";
import { encodeModule } from "./wasm/encoder.js";

// The parts of the WebAssembly API used here, typed locally (the engine has no DOM or Node typings).
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBufferLike };
}

/** Smooths an image's two displacement fields at once (see blurPairsFunction). */
export interface PairBlur {
  /** H·W uniforms in [0, 1) for dy, then H·W for dx: fill before each run. */
  readonly uniforms: Float64Array;
  /** After run(): (dy, dx) per pixel, row-major, each −1 + 2u smoothed by the kernel. */
  readonly pairs: Float64Array;
  run(): void;
}

const PAGE = 65536;
let compiled: object | null | undefined;

function compiledModule(api: WasmApi | undefined): object | null {
  if (compiled === undefined) {
    try {
      compiled = api ? new api.Module(encodeModule(new Map([["blurPairs", blurPairsFunction()]]))) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * A PairBlur for H×W fields and a kernel of odd length 2r + 1, or undefined where this runtime
 * has no WebAssembly SIMD.
 */
export function wasmPairBlur(height: number, width: number, kernel: Float64Array): PairBlur | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const module = compiledModule(api);
  if (!api || !module) return undefined;
  const n = height * width;
  const [U, P, T, K] = [0, 16 * n, 32 * n, 48 * n];
  const pages = Math.ceil((K + 8 * kernel.length) / PAGE);
  const memory = new api.Memory({ initial: pages, maximum: pages });
  const blur = new api.Instance(module, { env: { memory } }).exports.blurPairs as (...args: number[]) => void;
  new Float64Array(memory.buffer, K, kernel.length).set(kernel);
  const r = (kernel.length - 1) / 2;
  return {
    uniforms: new Float64Array(memory.buffer, U, 2 * n),
    pairs: new Float64Array(memory.buffer, P, 2 * n),
    run: () => blur(U, P, T, K, height, width, r),
  };
}
