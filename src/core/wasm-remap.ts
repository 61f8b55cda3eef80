/**
 * Whole-batch flips and pad-crops in WebAssembly (./wasm/remap-module.ts). The source columns are
 * loaded by image rows (once per run for a full batch, whose source is the unchanging training
 * data) and remapped from there. On a memory of its own the result is then copied out in one
 * block; on the kernels' memory (kernelColumnRemap) it is written straight into the trainer's
 * batch, which lives there: one pass, no copy.
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
  /** Whether `run` can write into `out` (on the kernels' memory: only arrays in that memory). */
  writes(out: Float64Array): boolean;
  /** Writes the loaded columns, remapped by the first m maps, into `out` (H·W·C × m). */
  run(maps: MapArrays, out: Float64Array): void;
}

const PAGE = 65536;
/** Past this many bytes of memory the batch stays in JavaScript (PixelMaps.copy). */
const MAX_BYTES = 2 ** 30;
// The compiled module for a memory of its own or a shared one; null once compiling has failed.
const compiled = new Map<boolean, object | null>();

function compiledModule(api: WasmApi | undefined, shared: boolean): object | null {
  if (!compiled.has(shared)) {
    try {
      const bytes = encodeModule(new Map([["remap", remapFunction()]]), shared);
      compiled.set(shared, api ? new api.Module(bytes) : null);
    } catch {
      compiled.set(shared, null);
    }
  }
  return compiled.get(shared) ?? null;
}

/** Doubles of memory a kernelColumnRemap needs for m examples of n values: maps, then source. */
export const kernelRemapDoubles = (n: number, m: number): number => mapBytes(m) / 8 + n * m;

/** Where a remap keeps its maps and source in its memory; `room` makes room for `end` bytes. */
interface Area {
  readonly at: number;
  room(end: number): boolean;
}

function columnRemap(memory: WasmMemory, remap: (...args: number[]) => void, area: Area, own: boolean) {
  let loaded: { buffer: ArrayBufferLike; offset: number; shape: Dimensions; m: number } | undefined;
  // The maps' view, the output's (own memory only), and the byte offsets of maps, source and output.
  let ints: Int32Array<ArrayBufferLike> = new Int32Array(0);
  let result: Float64Array<ArrayBufferLike> = new Float64Array(0);
  let at = { maps: 0, src: 0, dst: 0 };
  const remapper: ColumnRemap = {
    load(source, shape, m, same) {
      const l = loaded;
      const { height: H, width: W, channels: C } = shape;
      const sameShape = l?.shape.height === H && l.shape.width === W && l.shape.channels === C;
      if (same && l?.buffer === source.buffer && l.offset === source.byteOffset && sameShape && l.m === m)
        return true;
      const n = H * W * C;
      const maps = area.at;
      const src = maps + mapBytes(m);
      const dst = src + 8 * n * m;
      if (!area.room(own ? dst + 8 * n * m : dst)) return false;
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
      ints = new Int32Array(memory.buffer, maps, MAP_FIELDS.length * m);
      if (own) result = new Float64Array(memory.buffer, dst, n * m);
      at = { maps, src, dst };
      return true;
    },
    writes: (out) => own || out.buffer === memory.buffer,
    run(maps, out) {
      const { shape, m } = loaded!;
      for (const [i, k] of MAP_FIELDS.entries()) ints.set(maps[k].subarray(0, m), i * m);
      const dst = own ? at.dst : out.byteOffset;
      remap(at.src, dst, at.maps, shape.height, shape.width, shape.channels, m);
      if (own) out.set(result);
    },
  };
  return remapper;
}

/** A ColumnRemap on a memory of its own, or undefined where this runtime has no WebAssembly. */
export function wasmColumnRemap(): ColumnRemap | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const module = compiledModule(api, false);
  if (!api || !module) return undefined;
  const memory = new api.Memory({ initial: 1 });
  const remap = new api.Instance(module, { env: { memory } }).exports.remap as (...args: number[]) => void;
  const room = (end: number) => {
    if (end > MAX_BYTES) return false;
    const missing = Math.ceil(end / PAGE) - memory.buffer.byteLength / PAGE;
    if (missing > 0) memory.grow(missing);
    return true;
  };
  return columnRemap(memory, remap, { at: 0, room }, true);
}

/**
 * A ColumnRemap on the kernels' memory (see wasm-kernels.ts's kernelMemory), keeping its maps
 * and source in `area` (an array in that memory of kernelRemapDoubles for the largest batch), and
 * writing only into arrays in that memory (the trainer's batch); undefined where it cannot.
 */
export function kernelColumnRemap(
  memory: object,
  shared: boolean,
  area: Float64Array,
): ColumnRemap | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const module = compiledModule(api, shared);
  const mem = memory as WasmMemory;
  if (!api || !module || area.buffer !== mem.buffer) return undefined;
  const remap = new api.Instance(module, { env: { memory } }).exports.remap as (...args: number[]) => void;
  const end = area.byteOffset + area.byteLength;
  return columnRemap(mem, remap, { at: area.byteOffset, room: (e) => e <= end }, false);
}
