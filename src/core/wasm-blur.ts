/**
 * Elastic distortion in WebAssembly SIMD (./wasm/blur-module.ts), on a memory of its own sized
 * for a block of COLUMNS images: the block's columns are copied in, each one's uniforms drawn,
 * its two displacement fields smoothed together and the image warped, all in one call, and the
 * block copied back. No image is moved out of the features × examples layout. The same bits as
 * the JavaScript path in data/augment/elastic.ts, which runs where this is unavailable.
 */
import type { RandomState } from "./random.js";
import {
  blurLayout,
  blurPairsFunction,
  ELASTIC_FUNCTIONS,
  elasticColumnsFunction,
  warpFunction,
} from "./wasm/blur-module.js";
import { encodeModule } from "./wasm/encoder.js";
import { MT_STATE_BYTES, maskFunction } from "./wasm/mask-module.js";

// The parts of the WebAssembly API used here, typed locally (the engine has no DOM or Node typings).
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBufferLike };
}

/** Elastic distortion of columns in place (see elasticColumnsFunction). */
export interface ElasticColumns {
  /**
   * Distorts `count` columns of X (H·W·C rows, `stride` values apart), from column `first`, in
   * place, one after the other: each draws 2·H·W uniforms from `rng` (dy's, then dx's, as
   * rng.rand would), smooths them and reads its image at (h + α·dy, w + α·dx).
   */
  columns(
    X: Float64Array,
    stride: number,
    first: number,
    count: number,
    alpha: number,
    rng: RandomState,
  ): void;
}

/** Images per block: a mini-batch of 64 is one block, copied in and out whole. */
const COLUMNS = 64;
const PAGE = 65536;
let compiled: object | null | undefined;

function compiledModule(api: WasmApi | undefined): object | null {
  if (compiled === undefined) {
    try {
      const builders = {
        blurPairs: blurPairsFunction,
        warp: warpFunction,
        uniforms: () => maskFunction(true),
        elasticColumns: elasticColumnsFunction,
      };
      const functions = new Map(ELASTIC_FUNCTIONS.map((name) => [name, builders[name]()]));
      compiled = api ? new api.Module(encodeModule(functions)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * ElasticColumns for H×W×C images and a kernel of odd length 2r + 1, or undefined where this
 * runtime has no WebAssembly SIMD.
 */
export function wasmElasticColumns(
  height: number,
  width: number,
  channels: number,
  kernel: Float64Array,
): ElasticColumns | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const module = compiledModule(api);
  if (!api || !module) return undefined;
  const features = height * width * channels;
  const r = (kernel.length - 1) / 2;
  // Byte offsets: the smoothing's buffers (uniforms at 0), the source block (each image with a
  // border of one zero pixel, for warp), the result, then the generator's state.
  const { pairs, raw, rows, taps, end } = blurLayout(height, width, r);
  const bordered = (height + 2) * (width + 2) * channels;
  const src = Math.ceil(end / 16) * 16;
  const dst = src + 8 * bordered * COLUMNS;
  const state = dst + 8 * features * COLUMNS;
  const pages = Math.ceil((state + MT_STATE_BYTES) / PAGE);
  const memory = new api.Memory({ initial: pages, maximum: pages });
  const run = (
    new api.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => number>
  ).elasticColumns;
  new Float64Array(memory.buffer, taps, kernel.length).set(kernel);
  const key = new Int32Array(memory.buffer, state, MT_STATE_BYTES / 4);
  const from = new Float64Array(memory.buffer, src, bordered * COLUMNS);
  const to = new Float64Array(memory.buffer, dst, features * COLUMNS);
  // Values per image row, and the columns the block was last laid out for (its borders zeroed).
  const WC = width * channels;
  let laidOut = 0;
  return {
    columns(X, stride, first, count, alpha, rng) {
      let pos = rng.copyStateTo(key);
      for (let j0 = first; j0 < first + count; j0 += COLUMNS) {
        const g = Math.min(COLUMNS, first + count - j0);
        if (g !== laidOut) {
          from.fill(0);
          laidOut = g;
        }
        // Image row h into the bordered block's row h + 1, from its pixel 1.
        for (let h = 0; h < height; h++) {
          const at = ((h + 1) * (width + 2) + 1) * channels * g;
          if (g === stride) from.set(X.subarray(h * WC * g, (h + 1) * WC * g), at);
          else {
            // Row by row of g values, by index: no subarray per row in the training loop.
            for (let k = 0, i = h * WC * stride + j0; k < WC; k++, i += stride)
              for (let q = 0; q < g; q++) from[at + k * g + q] = X[i + q];
          }
        }
        pos = run(state, pos, 0, pairs, raw, rows, taps, height, width, r, channels, alpha, src, dst, g);
        if (g === stride) X.set(to.subarray(0, features * g));
        else {
          for (let f = 0, i = j0; f < features; f++, i += stride)
            for (let q = 0; q < g; q++) X[i + q] = to[f * g + q];
        }
      }
      rng.restoreState(key, pos);
    },
  };
}
