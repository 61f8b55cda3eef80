/**
 * Whole-batch flips and pad-crops in WebAssembly (./wasm/remap-module.ts). The source columns are
 * loaded as images, one after the other (once per run for a full batch, whose source is the
 * unchanging training data), and remapped from there; a source of at most 256 distinct values
 * (pixels over 255, whatever the scaling) is loaded as one byte per value and a table. On a
 * memory of its own the result is then copied out in one block; on the kernels' memory
 * (kernelColumnRemap) it is written straight into the trainer's batch, which lives there: one
 * pass, no copy.
 */
import { encodeModule } from "./wasm/encoder.js";
import { IMAGE_GAP, MAP_FIELDS, mapBytes, remapFunction, TABLE_BYTES } from "./wasm/remap-module.js";

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
   * Makes `source` (H·W·C rows of m values) the columns to read, laid out as images; false when
   * they are too many for this memory (the caller then remaps in JavaScript). With `same`, a
   * source over the same memory as the one loaded last, of the same size, is not loaded again:
   * the caller promises its values have not changed (a full batch: the training data), and it is
   * kept as byte codes where it can be.
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
      const functions = new Map([
        ["remap8", remapFunction(true)],
        ["remap64", remapFunction(false)],
      ]);
      const bytes = encodeModule(functions, shared);
      compiled.set(shared, api ? new api.Module(bytes) : null);
    } catch {
      compiled.set(shared, null);
    }
  }
  return compiled.get(shared) ?? null;
}

/** Bytes from the table to past the source, for m examples of n values and a black pixel of C. */
const sourceBytes = (n: number, m: number, C: number, bytes: boolean): number =>
  TABLE_BYTES + Math.ceil((((bytes ? 1 : 8) * n + IMAGE_GAP) * m + (bytes ? 1 : 8) * C) / 8) * 8;

/**
 * Doubles of memory a kernelColumnRemap needs for m examples of `shape`: maps and scratch, table,
 * then source.
 */
export const kernelRemapDoubles = (shape: Dimensions, m: number): number => {
  const { height: H, width: W, channels: C } = shape;
  return (mapBytes(m, W) + sourceBytes(H * W * C, m, C, false)) / 8;
};

/** Slots of encodeBytes's hash of doubles: four times the codes, the top 10 bits of a hash. */
const SLOTS = 1024;
const SLOT_SHIFT = 22;

/**
 * Writes `source` (n rows of m values) into `codes` as m images of n values, `stride` codes
 * apart, each value's code in `table` (code 0 is +0, black); false, with `codes` partly written,
 * past 256 distinct values. Values are told apart by their bits (−0 is not +0), through a hash of
 * them: a Map took 110 ms on the cat batch; this takes half that.
 */
function encodeBytes(
  source: Float64Array,
  n: number,
  m: number,
  stride: number,
  codes: Uint8Array,
  table: Float64Array,
): boolean {
  const value = new Float64Array(1);
  const word = new Uint32Array(value.buffer);
  const lows = new Uint32Array(SLOTS);
  const highs = new Uint32Array(SLOTS);
  const slotCode = new Int16Array(SLOTS).fill(-1);
  slotCode[0] = 0;
  table[0] = 0;
  let size = 1;
  for (let f = 0; f < n; f++) {
    for (let j = 0, from = f * m, to = f; j < m; j++, to += stride) {
      value[0] = source[from + j];
      const lo = word[0];
      const hi = word[1];
      let s = Math.imul(lo ^ hi, 0x9e3779b1) >>> SLOT_SHIFT;
      if (lo === 0 && hi === 0) s = 0;
      else {
        if (s === 0) s = 1;
        while (slotCode[s] >= 0 && (lows[s] !== lo || highs[s] !== hi)) s = (s + 1) & (SLOTS - 1) || 1;
      }
      if (slotCode[s] < 0) {
        if (size === 256) return false;
        lows[s] = lo;
        highs[s] = hi;
        slotCode[s] = size;
        table[size++] = value[0];
      }
      codes[to] = slotCode[s];
    }
  }
  return true;
}

/** Where a remap keeps its maps and source in its memory; `room` makes room for `end` bytes. */
interface Area {
  readonly at: number;
  room(end: number): boolean;
}

/** The module's two kernels: from codes and a table, or from doubles. */
interface Kernels {
  readonly remap8: (...args: number[]) => void;
  readonly remap64: (...args: number[]) => void;
}

function columnRemap(memory: WasmMemory, remap: Kernels, area: Area, own: boolean) {
  let loaded:
    | { buffer: ArrayBufferLike; offset: number; shape: Dimensions; m: number; bytes: boolean }
    | undefined;
  // The maps' view, the output's (own memory only), and the byte offsets of maps, source and output.
  let ints: Int32Array<ArrayBufferLike> = new Int32Array(0);
  let result: Float64Array<ArrayBufferLike> = new Float64Array(0);
  let at = { maps: 0, table: 0, src: 0, dst: 0 };
  const remapper: ColumnRemap = {
    load(source, shape, m, same) {
      const l = loaded;
      const { height: H, width: W, channels: C } = shape;
      const sameShape = l?.shape.height === H && l.shape.width === W && l.shape.channels === C;
      if (same && l?.buffer === source.buffer && l.offset === source.byteOffset && sameShape && l.m === m)
        return true;
      const n = H * W * C;
      const maps = area.at;
      const table = maps + mapBytes(m, W);
      const src = table + TABLE_BYTES;
      // Codes are tried for the unchanging data only, where one pass pays for every step.
      let bytes = same && area.room(table + sourceBytes(n, m, C, true));
      bytes &&= encodeBytes(
        source,
        n,
        m,
        n + IMAGE_GAP,
        new Uint8Array(memory.buffer, src, (n + IMAGE_GAP) * m),
        new Float64Array(memory.buffer, table, 256),
      );
      const dst = table + sourceBytes(n, m, C, bytes);
      if (!area.room(own ? dst + 8 * n * m : dst)) return false;
      const stride = n + IMAGE_GAP / (bytes ? 1 : 8);
      const black = bytes
        ? new Uint8Array(memory.buffer, src + stride * m, C)
        : new Float64Array(memory.buffer, src + 8 * stride * m, C);
      black.fill(0);
      if (!bytes) {
        const images = new Float64Array(memory.buffer, src, stride * m);
        for (let f = 0; f < n; f++) {
          for (let j = 0, from = f * m, to = f; j < m; j++, to += stride) images[to] = source[from + j];
        }
      }
      loaded = {
        buffer: source.buffer,
        offset: source.byteOffset,
        shape: { height: H, width: W, channels: C },
        m,
        bytes,
      };
      ints = new Int32Array(memory.buffer, maps, MAP_FIELDS.length * m);
      if (own) result = new Float64Array(memory.buffer, dst, n * m);
      at = { maps, table, src, dst };
      return true;
    },
    writes: (out) => own || out.buffer === memory.buffer,
    run(maps, out) {
      const { shape, m, bytes } = loaded!;
      for (const [i, k] of MAP_FIELDS.entries()) ints.set(maps[k].subarray(0, m), i * m);
      const dst = own ? at.dst : out.byteOffset;
      (bytes ? remap.remap8 : remap.remap64)(
        at.src,
        dst,
        at.maps,
        shape.height,
        shape.width,
        shape.channels,
        m,
        at.table,
      );
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
  const remap = new api.Instance(module, { env: { memory } }).exports as unknown as Kernels;
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
  const remap = new api.Instance(module, { env: { memory } }).exports as unknown as Kernels;
  const end = area.byteOffset + area.byteLength;
  return columnRemap(mem, remap, { at: area.byteOffset, room: (e) => e <= end }, false);
}
