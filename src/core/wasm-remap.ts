/**
 * Whole-batch flips and pad-crops in WebAssembly (./wasm/remap-module.ts) on a memory of their own:
 * the source columns are loaded into it by image rows (once per run for a full batch, whose
 * source is the unchanging training data), remapped there, and the result copied out in one block.
 */
import { encodeModule } from "./wasm/encoder.js";
import { MAP_FIELDS, mapBytes, remapFunction } from "./wasm/remap-module.js";

// The parts of the WebAssembly API used here, typed locally (the engine has no DOM or Node typings).
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

/** Per example, the integer pixel map (data/augment/pixel-map.ts's PixelMaps has these fields). */
export type MapArrays = { readonly [K in (typeof MAP_FIELDS)[number]]: Int32Array };

/** Image dimensions (data/dataset.ts's ImageShape has these fields). */
export interface Dimensions {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** One batch's remapping: load the columns, then run the maps into a destination. */
export interface ColumnRemap {
  /**
   * Makes `source` (H·W·C rows of m values) the columns to read, laid out by image rows; false
   * when they are too many for this memory (the caller then remaps in JavaScript). With `same`,
   * a source over the same memory as the one loaded last, of the same size, is not loaded again:
   * the caller promises its values have not changed (a full batch: the training data).
   */
  load(source: Float64Array, shape: Dimensions, m: number, same: boolean): boolean;
  /** Writes the loaded columns, remapped by the first m maps, into `out` (H·W·C × m). */
  run(maps: MapArrays, out: Float64Array): void;
}

const PAGE = 65536;
/** Past this many bytes of memory the batch stays in JavaScript (PixelMaps.copy). */
const MAX_BYTES = 2 ** 30;
let compiled: object | null | undefined;

/** A ColumnRemap, or undefined where this runtime has no WebAssembly. */
export function wasmColumnRemap(): ColumnRemap | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (compiled === undefined) {
    try {
      compiled = api ? new api.Module(encodeModule(new Map([["remap", remapFunction()]]))) : null;
    } catch {
      compiled = null;
    }
  }
  if (!api || !compiled) return undefined;
  const memory = new api.Memory({ initial: 1 });
  const remap = new api.Instance(compiled, { env: { memory } }).exports.remap as (...args: number[]) => void;
  let loaded: { buffer: ArrayBufferLike; offset: number; shape: Dimensions; m: number } | undefined;
  // The maps' and the output's views, and the byte offsets of source and output.
  let ints: Int32Array<ArrayBufferLike> = new Int32Array(0);
  let result: Float64Array<ArrayBufferLike> = new Float64Array(0);
  let at = { src: 0, dst: 0 };
  return {
    load(source, shape, m, same) {
      const l = loaded;
      const { height: H, width: W, channels: C } = shape;
      const sameShape = l?.shape.height === H && l.shape.width === W && l.shape.channels === C;
      if (same && l?.buffer === source.buffer && l.offset === source.byteOffset && sameShape && l.m === m)
        return true;
      const n = H * W * C;
      const src = mapBytes(m);
      const dst = src + 8 * n * m;
      const end = dst + 8 * n * m;
      if (end > MAX_BYTES) return false;
      const missing = Math.ceil(end / PAGE) - memory.buffer.byteLength / PAGE;
      if (missing > 0) memory.grow(missing);
      // By image rows: row h of example j at (h·m + j)·W·C.
      const rows = new Float64Array(memory.buffer, src, n * m);
      const WC = W * C;
      for (let h = 0, f = 0; h < H; h++) {
        for (let wc = 0; wc < WC; wc++, f++) {
          for (let j = 0, to = h * m * WC + wc, from = f * m; j < m; j++, to += WC)
            rows[to] = source[from + j];
        }
      }
      loaded = {
        buffer: source.buffer,
        offset: source.byteOffset,
        shape: { height: H, width: W, channels: C },
        m,
      };
      ints = new Int32Array(memory.buffer, 0, MAP_FIELDS.length * m);
      result = new Float64Array(memory.buffer, dst, n * m);
      at = { src, dst };
      return true;
    },
    run(maps, out) {
      const { shape, m } = loaded!;
      for (const [i, k] of MAP_FIELDS.entries()) ints.set(maps[k].subarray(0, m), i * m);
      remap(at.src, at.dst, 0, shape.height, shape.width, shape.channels, m);
      out.set(result);
    },
  };
}
