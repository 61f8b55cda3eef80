import type { Kernels } from "../../core/kernels.js";
import { matrix } from "../../core/matrix.js";
import type { RandomState } from "../../core/random.js";
import { kernelMemory } from "../../core/wasm-kernels.js";
import {
  type ColumnRemap,
  kernelColumnRemap,
  kernelRemapDoubles,
  wasmColumnRemap,
} from "../../core/wasm-remap.js";
import type { Dataset, ImageShape } from "../dataset.js";
import { PixelMaps } from "./pixel-map.js";
import { reusable, type Transform } from "./transform.js";

/**
 * Runs the transforms in order on `a`, with `b` (as long) as the other buffer; returns whichever
 * of the two holds the result. Both may be overwritten.
 */
function chain(
  a: Float64Array,
  b: Float64Array,
  shape: ImageShape | undefined,
  transforms: readonly Transform[],
  rng: RandomState,
): Float64Array {
  let cur = a;
  let other = b;
  for (const t of transforms) {
    const res = t.into(cur, other, shape, rng);
    if (res !== cur) {
      other = cur;
      cur = res;
    }
  }
  return cur;
}

/** The transforms applied in order to one example, in a new array (`x` is left alone). */
export function augmentExample(
  x: Float64Array,
  shape: ImageShape | undefined,
  transforms: readonly Transform[],
  rng: RandomState,
): Float64Array {
  return chain(x.slice(), new Float64Array(x.length), shape, transforms, rng);
}

/** Checks that every transform can run on this data; throws a RangeError naming the first that cannot. */
export function checkTransforms(transforms: readonly Transform[], shape: ImageShape | undefined): void {
  const t = transforms.find((t) => t.needsImage && !shape);
  if (t) {
    throw new RangeError(
      `${t.name.split(":")[0]} needs images; this data has plain features (use noise:sigma=…)`,
    );
  }
}

/**
 * Columns moved out of the features × examples layout at a time, and rows per tile of that move:
 * a 64 × 64 tile stays in cache while it is transposed, and wide groups cross each memory page
 * of X a few times per batch rather than once per cache line.
 */
const GROUP = 64;
const TILE = 64;
/** Slots are this many doubles longer than an example, so that no two start 4 KiB apart exactly. */
const PAD = 8;

/** Scratch for columnsInPlace, kept by the caller so that a run allocates it once. */
interface ColumnScratch {
  group: (n: number) => Float64Array;
  /** A copy of the block for PixelMaps: grows, never shrinks (mini-batches end short). */
  block: Float64Array;
  other: (n: number) => Float64Array;
  maps: PixelMaps;
  /** The WebAssembly copy of PixelMaps.copy, where the runtime has it. */
  remap: ColumnRemap | undefined;
  /** The same on the trainer's kernels' memory (see batchTransform's attach), writing in place. */
  inKernels?: ColumnRemap;
}

/** The WebAssembly remap that can write into `out`: the kernels' where out lives there. */
const remapFor = (scratch: ColumnScratch, out: Float64Array): ColumnRemap | undefined =>
  scratch.inKernels?.writes(out) ? scratch.inKernels : scratch.remap;

const newScratch = (): ColumnScratch => ({
  group: reusable(),
  block: new Float64Array(0),
  other: reusable(),
  maps: new PixelMaps(),
  remap: undefined,
});

/** The shape when every transform only moves pixels (so that PixelMaps can run the chain). */
function pixelMapShape(
  transforms: readonly Transform[],
  shape: ImageShape | undefined,
): ImageShape | undefined {
  return shape && transforms.length > 0 && transforms.every((t) => t.remap) ? shape : undefined;
}

/** Draws every example's map in column order, each through the transforms in order. */
function drawMaps(
  maps: PixelMaps,
  count: number,
  shape: ImageShape,
  transforms: readonly Transform[],
  rng: RandomState,
): void {
  maps.reset(count, shape);
  for (let j = 0; j < count; j++) for (const t of transforms) t.remap!(maps, j, shape, rng);
}

/**
 * Transforms `count` columns of X (`features` rows of `stride` values, columns from `first`) in
 * place, example by example in column order, so a seed fixes every draw. A chain of flips and
 * crops is one copy through PixelMaps (from a copy of the block); a transform that can work on
 * columns (Transform.columns) alone does so. Otherwise columns are moved
 * GROUP at a time into contiguous examples (cache lines read whole), transformed there, and
 * moved back.
 */
function columnsInPlace(
  X: Float64Array,
  stride: number,
  first: number,
  count: number,
  features: number,
  shape: ImageShape | undefined,
  transforms: readonly Transform[],
  rng: RandomState,
  scratch: ColumnScratch,
): void {
  const mapped = pixelMapShape(transforms, shape);
  if (mapped) {
    drawMaps(scratch.maps, count, mapped, transforms, rng);
    if (first === 0 && stride === count && scratch.maps.mirrorsOnly(count, mapped)) {
      scratch.maps.mirrorInPlace(mapped, count, X);
      return;
    }
    const remap = remapFor(scratch, X);
    if (remap && first === 0 && stride === count && remap.load(X, mapped, count, false)) {
      remap.run(scratch.maps, X);
      return;
    }
    if (scratch.block.length < features * count) scratch.block = new Float64Array(features * count);
    const block = scratch.block;
    for (let f = 0; f < features; f++)
      block.set(X.subarray(f * stride + first, f * stride + first + count), f * count);
    scratch.maps.copy(mapped, count, block, count, 0, X, stride, first);
    return;
  }
  if (transforms.length === 1 && transforms[0].columns?.(X, stride, first, count, shape, rng)) return;
  const P = features + PAD;
  const block = scratch.group(GROUP * P);
  const other = scratch.other(features);
  const slots = Array.from({ length: GROUP }, (_, k) => block.subarray(k * P, k * P + features));
  for (let j0 = first; j0 < first + count; j0 += GROUP) {
    const g = Math.min(GROUP, first + count - j0);
    for (let f0 = 0; f0 < features; f0 += TILE) {
      const f1 = Math.min(features, f0 + TILE);
      for (let k = 0; k < g; k++) {
        for (let f = f0, at = f0 * stride + j0 + k, to = k * P; f < f1; f++, at += stride) {
          block[to + f] = X[at];
        }
      }
    }
    for (let k = 0; k < g; k++) {
      const slot = slots[k];
      const res = chain(slot, other, shape, transforms, rng);
      if (res !== slot) slot.set(res);
    }
    for (let f0 = 0; f0 < features; f0 += TILE) {
      const f1 = Math.min(features, f0 + TILE);
      for (let f = f0, at = f0 * stride + j0; f < f1; f++, at += stride) {
        for (let k = 0; k < g; k++) X[at + k] = block[k * P + f];
      }
    }
  }
}

/**
 * Transforms the columns of a features × examples block in place, example by example in column
 * order (so a seed fixes every draw).
 */
export function augmentColumns(
  X: Float64Array,
  features: number,
  examples: number,
  shape: ImageShape | undefined,
  transforms: readonly Transform[],
  rng: RandomState,
): void {
  columnsInPlace(X, examples, 0, examples, features, shape, transforms, rng, newScratch());
}

/**
 * The hook the trainer calls on each batch after copying it (`TrainerOptions.transform`); its
 * scratch is allocated on the first batch and reused. Its `from` writes the transformed batch
 * from the columns where they lie (a full batch: the data itself), so that a chain of flips and
 * crops costs one copy, the one the trainer would make anyway. `from` keeps a copy of the source
 * it is given while the same array comes back (the trainer's unchanging data): one hook per run.
 * With `attach` (the trainer's kernels, where its batch lives) that copy is kept in the kernels'
 * memory and the batch written there directly, with no copy out of a memory of the remap's own.
 */
export function batchTransform(transforms: readonly Transform[], shape: ImageShape | undefined) {
  checkTransforms(transforms, shape);
  const mapped = pixelMapShape(transforms, shape);
  const scratch = { ...newScratch(), remap: mapped ? wasmColumnRemap() : undefined };
  const hook = (X: Float64Array, features: number, examples: number, rng: RandomState): void =>
    columnsInPlace(X, examples, 0, examples, features, shape, transforms, rng, scratch);
  const from = (
    source: Float64Array,
    X: Float64Array,
    features: number,
    examples: number,
    rng: RandomState,
  ) => {
    if (mapped) {
      drawMaps(scratch.maps, examples, mapped, transforms, rng);
      const remap = remapFor(scratch, X);
      if (remap !== scratch.inKernels && scratch.maps.mirrorsOnly(examples, mapped)) {
        // Flips only: a copy, then the mirrored examples' pixel rows swapped in place, costs
        // less than the remap and its copy out (measured on the cat batch); written in place
        // by the remap, they cost less still.
        X.set(source.subarray(0, features * examples));
        scratch.maps.mirrorInPlace(mapped, examples, X);
      } else if (remap?.load(source, mapped, examples, true)) {
        remap.run(scratch.maps, X);
      } else scratch.maps.copy(mapped, examples, source, examples, 0, X, examples, 0);
    } else {
      X.set(source.subarray(0, features * examples));
      hook(X, features, examples, rng);
    }
  };
  // A batch in the kernels' memory is written there in one pass, from a source kept there too.
  const kernelDoubles = (_features: number, examples: number) =>
    scratch.remap && mapped ? kernelRemapDoubles(mapped, examples) : 0;
  const attach = (kernels: Kernels, _features: number, examples: number) => {
    const at = kernelMemory(kernels);
    const area = at && mapped && kernels.alloc(kernelRemapDoubles(mapped, examples));
    scratch.inKernels = at && area ? kernelColumnRemap(at.memory, at.shared, area) : undefined;
  };
  return Object.assign(hook, { from, kernelDoubles, attach });
}

/**
 * Expand mode ("now your training set is doubled"): the originals followed by `copies`
 * transformed copies of every example, drawn once, copy by copy; labels are repeated unchanged.
 */
export function expandDataset(
  d: Dataset,
  transforms: readonly Transform[],
  copies: number,
  rng: RandomState,
): Dataset {
  if (!Number.isInteger(copies) || copies < 1)
    throw new RangeError(`copies must be a whole number ≥ 1, got ${copies}`);
  checkTransforms(transforms, d.shape);
  const nx = d.X.rows;
  const m = d.X.cols;
  const total = m * (copies + 1);
  const X = matrix(nx, total);
  const y = new Uint8Array(total);
  for (let f = 0; f < nx; f++) {
    const row = d.X.data.subarray(f * m, (f + 1) * m);
    for (let k = 0; k <= copies; k++) X.data.set(row, f * total + k * m);
  }
  for (let k = 0; k <= copies; k++) y.set(d.y, k * m);
  const scratch = newScratch();
  for (let k = 1; k <= copies; k++)
    columnsInPlace(X.data, total, k * m, m, nx, d.shape, transforms, rng, scratch);
  return d.shape ? { X, y, shape: d.shape } : { X, y };
}
