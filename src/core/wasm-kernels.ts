/**
 * The WebAssembly SIMD backend of the kernels: the computations of ../kernels.ts (and of
 * drawMask and σ − y), bit for bit, two examples at a time, on buffers that live in the
 * instance's own memory. Each method is one call into the module (./wasm/), whose drivers walk
 * row pairs, passes and dW blocks as kernels.ts does; arrays from elsewhere go to kernels.ts.
 */
import { drawMask } from "./dropout.js";
import {
  denseBackwardInput,
  denseBackwardParams,
  denseForward,
  GATE,
  jsKernels,
  type KernelBackend,
  type Kernels,
  multiply,
  NONE,
  outputGradient,
  paramBlocks,
  RELU,
} from "./kernels.js";
import type { RandomState } from "./random.js";
import { F32_TILE_COLUMNS, TILE_ROWS } from "./wasm/blocked-module.js";
import { encodeModule, FunctionBuilder, V128 } from "./wasm/encoder.js";
import { kernelModuleBytes } from "./wasm/kernel-module.js";
import { MT_STATE_BYTES } from "./wasm/mask-module.js";
import { CONTROL_BYTES, type HelperFunction, HelperPool, type SpawnHelper } from "./wasm/threads.js";

// The few parts of the WebAssembly API used here, typed locally so the engine needs no DOM or
// Node typings.
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
}

/** (out, coef, bias, hasBias, src, rows, terms, m, rowStride, termStride, post, gateDelta, gain) */
type DenseFn = (...args: number[]) => void;
/** (dW, db, fixed, moving, W, fixedCount, movingCount, m, nIn, alongOut, dZ, nOut, scale, decay) */
type ParamsFn = (...args: number[]) => void;
/** (out, coef, bias, hasBias, src, rows, terms, m, rowStride, termStride, post, gateDelta, gain, kc, mc, pack, panel, slice, sliceBytes, columns) */
type BlockedDenseFn = (...args: number[]) => void;
/** (dW, dZ, A, W, nOut, nIn, m, scale, decay, kc, mc, pack, panel, columns) */
type BlockedWeightsFn = (...args: number[]) => void;
type BiasGradientFn = (db: number, dZ: number, nOut: number, m: number, scale: number) => void;
type MultiplyFn = (out: number, a: number, b: number, n: number) => void;
type OutputGradientFn = (dZ: number, Z: number, Y: number, m: number) => void;
type DrawMaskFn = (
  state: number,
  pos: number,
  out: number,
  n: number,
  keepProb: number,
  scale: number,
) => number;

const PAGE = 65536;
/** A 32-bit WebAssembly memory holds at most 65 536 pages: 4 GiB. */
const MAX_PAGES = 65536;
/** Bytes at the start of memory where the module's `dots` and `rowSums` leave their sums (16 at most). */
const SUMS_BYTES = 128;
/** The most terms a block of the blocked products takes (their source panel is sized for it). */
const MAX_BLOCK_TERMS = 1024;
/** The most output rows a block of the blocked products takes. */
const MAX_BLOCK_ROWS = 1024;
/** Columns of the widest f64 tile: threads split f64 products at multiples of it. */
const TILE_COLUMNS = 4;
/** The most threads one run uses. */
const MAX_THREADS = 64;
/** Then a generator's state while drawMask runs, then the helper threads' control blocks. */
const CONTROL_OFFSET = SUMS_BYTES + MT_STATE_BYTES;
/** Bytes of a source panel (kc × 32 bytes: 4 doubles or 8 floats per term), one per thread, after the control blocks. */
const PANEL_BYTES = 8 * TILE_ROWS * MAX_BLOCK_TERMS;
/**
 * A blocked product splits its columns between threads only when it has at least this many
 * multiply-adds: below it, waking a helper costs about what it saves.
 */
const MIN_SPLIT_WORK = 1 << 20;

/**
 * Bytes of a thread's slice: the panels of all whole tiles of one block of W·A or Wᵀ·dZ when they
 * fit (kc × columns × 8 bytes, e.g. 256 terms × 209 examples, the cat model's first layer).
 */
const SLICE_BYTES = 512 * 1024;

/** One thread's scratch: its source panel, its block of packed coefficients and its slice. */
interface Scratch {
  readonly panel: number;
  readonly pack: number;
  readonly slice: number;
}

/**
 * When and how the products run in cache blocks (wasm/blocked-module.ts): a product with at
 * least 4 output rows and `minTerms` terms per sum goes in blocks of `terms` terms × `rows`
 * output rows; smaller ones take the pass kernels, which are faster there. Either way the bits
 * are the same; tests shrink the blocks to cross their edges.
 */
export interface BlockSizes {
  readonly terms: number;
  readonly rows: number;
  readonly minTerms: number;
  /** Bytes of each thread's slice scratch (see SLICE_BYTES, the default; 0: none). */
  readonly slice?: number;
}
export const DEFAULT_BLOCKS: BlockSizes = { terms: 256, rows: 256, minTerms: 8 };

/**
 * The arithmetic of the large (blocked) products. "f64", the default, gives the reference's bits.
 * "f32" runs them in f32x4 with f32 sums: their coefficients (W, or dZ for dW) and sources (the
 * input batch, hidden activations, dZ) are rounded to floats; their outputs, the bias, the fused
 * post steps (ReLU, dropout gate, dW's scale and decay) and every other step stay f64, as do the
 * weights, the optimizer's state and the heads. Small products (the pass kernels) stay f64.
 * "f32-fma" also fuses each multiply-add (relaxed SIMD: the runtime must have it, see
 * relaxedSimdAvailable).
 */
export type Precision = "f64" | "f32" | "f32-fma";
export const PRECISIONS: readonly Precision[] = ["f64", "f32", "f32-fma"];

/** How the WebAssembly kernels run (all optional). */
export interface KernelOptions {
  blocks?: BlockSizes;
  /**
   * Threads for one run (1 by default). More than 1 needs `spawnHelper` (reglab/node's
   * nodeHelperSpawner in Node) and WebAssembly threads with shared memory (in a browser: a
   * cross-origin isolated page). Results have the same bits for any count.
   */
  threads?: number;
  spawnHelper?: SpawnHelper;
  /**
   * Whether the first product large enough to share waits for the helper threads to start (the
   * default; Node starts them at once). false in a browser worker, whose Web Workers start only
   * once it yields: products then use the helpers that have started. Bits are the same either way.
   */
  awaitHelpers?: boolean;
  /** The blocked products' arithmetic ("f64" by default). */
  precision?: Precision;
  /**
   * With f32: floats to reserve for the input batch's f32 copy (see Kernels.mirror) and for the
   * largest other source a blocked product converts (activations of a hidden layer, or dZ).
   */
  f32Sources?: { readonly input: number; readonly hidden: number };
}

// The compiled modules (for a memory of its own or a shared one, with f32 FMA tiles or without)
// are immutable and shared; each Kernels object gets its own instance and memory. null once
// compiling has failed (no WebAssembly, or no SIMD; for the shared one, no threads).
const compiled = new Map<string, object | null>();

function compiledModule(api: WasmApi | undefined, shared = false, fma = false): object | null {
  const key = `${shared} ${fma}`;
  if (!compiled.has(key)) {
    try {
      compiled.set(key, api ? new api.Module(kernelModuleBytes(shared, fma)) : null);
    } catch {
      compiled.set(key, null);
    }
  }
  return compiled.get(key) ?? null;
}

/**
 * Whether this runtime has relaxed SIMD (f32x4.relaxed_madd, for precision "f32-fma"): a tiny
 * module with the instruction is compiled to find out. Node 20 (V8 11.3) has it only behind the
 * V8 flag --experimental-wasm-relaxed-simd (reglab/node's enableRelaxedSimd sets it); Chrome ≥ 114
 * and Node ≥ 22 have it on.
 */
export function relaxedSimdAvailable(): boolean {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return false;
  const f = new FunctionBuilder([V128, V128, V128], [V128]);
  f.get(0).get(1).get(2).f32x4RelaxedMadd();
  try {
    new api.Module(encodeModule(new Map([["madd", f]])));
    return true;
  } catch {
    return false;
  }
}

// Helper threads end when their kernels are collected (or closed).
const helperPools = new FinalizationRegistry<HelperPool>((pool) => pool.stop());

/** Whether this runtime can run the WASM backend. */
export function wasmKernelsAvailable(): boolean {
  return compiledModule((globalThis as { WebAssembly?: WasmApi }).WebAssembly) !== null;
}

/**
 * A run whose buffers do not fit the WebAssembly backend's memory. Raised rather than falling
 * back to the JavaScript kernels, which would be several times slower without a word.
 */
export class KernelMemoryError extends RangeError {
  override name = "KernelMemoryError";
  constructor(
    readonly bytes: number,
    reason: string,
  ) {
    super(
      `this run needs ${(bytes / 2 ** 30).toFixed(2)} GiB of kernel memory (weights, gradients and ` +
        `activations for every example of a batch), ${reason}; train on mini-batches (batch size) ` +
        `or a smaller network`,
    );
  }
}

class WasmKernels implements Kernels {
  readonly backend = "wasm";
  fallbacks = 0;
  private readonly buffer: ArrayBufferLike;
  /** The instance's memory (kernelMemory), and whether it is shared (threads). */
  readonly memory: WasmMemory;
  readonly shared: boolean;
  private readonly dense: DenseFn;
  private readonly params: ParamsFn;
  private readonly blockedDense: BlockedDenseFn;
  private readonly blockedWeights: BlockedWeightsFn;
  private readonly blockedDense32: BlockedDenseFn;
  private readonly blockedWeights32: BlockedWeightsFn;
  /** Whether the blocked products run in f32. */
  private readonly f32: boolean;
  /** f32 copies of sources: the input batch's (kept while it is unchanged) and a product's. */
  private readonly inputCopy: Float32Array;
  private readonly sourceCopy: Float32Array;
  /** The byte offset of the array inputCopy mirrors (−1: none), and how many values it holds. */
  private mirrored = -1;
  private mirroredLength = 0;
  private readonly biasGradient: BiasGradientFn;
  private readonly multiplyFn: MultiplyFn;
  private readonly drawMaskFn: DrawMaskFn;
  private readonly outputGradientFn: OutputGradientFn;
  private readonly narrowFn: (dst: number, src: number, n: number) => void;
  private readonly mtState: Int32Array;
  /** Per thread (this one first): where its scratch lies, and its share's arguments. */
  private readonly scratch: Scratch[] = [];
  private readonly sliceBytes: number;
  private readonly shareArgs: { dense: number[]; weights: number[] }[] = [];
  // The arguments of the blocked products common to every share (see splitColumns).
  private readonly denseArgs: number[] = new Array<number>(15).fill(0);
  private readonly weightsArgs: number[] = new Array<number>(11).fill(0);
  private helpers: HelperPool | undefined;
  private startHelpers: (() => HelperPool) | undefined;
  private top: number;
  private readonly end: number;

  constructor(
    api: WasmApi,
    module: object,
    doubles: number,
    private readonly blocks: BlockSizes,
    threads: number,
    spawnHelper: SpawnHelper | undefined,
    precision: Precision,
    f32Sources: { readonly input: number; readonly hidden: number },
    awaitHelpers: boolean,
  ) {
    const packBytes = 8 * TILE_ROWS * Math.ceil(blocks.rows / TILE_ROWS) * blocks.terms;
    this.sliceBytes = blocks.slice ?? SLICE_BYTES;
    let at = CONTROL_OFFSET + (threads - 1) * CONTROL_BYTES;
    for (let t = 0; t < threads; t++) {
      this.scratch.push({ panel: at, pack: at + PANEL_BYTES, slice: at + PANEL_BYTES + packBytes });
      this.shareArgs.push({ dense: new Array<number>(20).fill(0), weights: new Array<number>(14).fill(0) });
      at += PANEL_BYTES + packBytes + this.sliceBytes;
    }
    this.f32 = precision !== "f64";
    const input = this.f32 ? f32Sources.input : 0;
    const hidden = this.f32 ? f32Sources.hidden : 0;
    const inputAt = at;
    const sourceAt = inputAt + 16 * Math.ceil(input / 4);
    at = sourceAt + 16 * Math.ceil(hidden / 4);
    this.top = at;
    this.end = this.top + 8 * doubles;
    const pages = Math.ceil(this.end / PAGE);
    if (pages > MAX_PAGES) {
      throw new KernelMemoryError(this.end, "more than the 4 GiB a WebAssembly memory can hold");
    }
    let memory: WasmMemory;
    try {
      memory = new api.Memory({ initial: pages, maximum: pages, shared: threads > 1 });
    } catch {
      throw new KernelMemoryError(this.end, "and this runtime refused to allocate it");
    }
    const { exports } = new api.Instance(module, { env: { memory } });
    // The memory never grows, so views into it stay valid.
    this.dense = exports.dense as DenseFn;
    this.params = exports.params as ParamsFn;
    this.blockedDense = exports.blockedDense as BlockedDenseFn;
    this.blockedWeights = exports.blockedWeights as BlockedWeightsFn;
    this.blockedDense32 = exports.blockedDense32 as BlockedDenseFn;
    this.blockedWeights32 = exports.blockedWeights32 as BlockedWeightsFn;
    this.biasGradient = exports.biasGradient as BiasGradientFn;
    this.multiplyFn = exports.multiply as MultiplyFn;
    this.drawMaskFn = exports.drawMask as DrawMaskFn;
    this.outputGradientFn = exports.outputGradient as OutputGradientFn;
    this.narrowFn = exports.narrow as (dst: number, src: number, n: number) => void;
    this.buffer = memory.buffer;
    this.memory = memory;
    this.shared = threads > 1;
    this.mtState = new Int32Array(this.buffer, SUMS_BYTES, MT_STATE_BYTES / 4);
    this.inputCopy = new Float32Array(this.buffer, inputAt, input);
    this.sourceCopy = new Float32Array(this.buffer, sourceAt, hidden);
    if (threads > 1 && spawnHelper) {
      // Started on the first product large enough to share, so small runs never start them.
      this.startHelpers = () => {
        this.startHelpers = undefined;
        const pool = new HelperPool(
          memory,
          CONTROL_OFFSET,
          threads - 1,
          spawnHelper,
          precision === "f32-fma",
          awaitHelpers,
        );
        helperPools.register(this, pool, this);
        return pool;
      };
    }
  }

  threadsInUse(): number {
    return this.helpers ? this.helpers.ready() + 1 : 1;
  }

  /** Ends the helper threads; the kernels then run on this thread alone. */
  close(): void {
    this.startHelpers = undefined;
    if (!this.helpers) return;
    this.helpers.stop();
    helperPools.unregister(this);
    this.helpers = undefined;
  }

  /**
   * Runs `name` with arguments `base` over `columns` output columns split between this thread
   * and the helpers, at multiples of the widest tile (4 columns in f64, 8 in f32: every share but
   * the last is whole tiles, so each column meets the same tile for any thread count). A share that
   * starts at column c gets base's output pointer (argument 0) moved by c·outStep bytes and its
   * source pointer (argument 4 of blockedDense, 2 of blockedWeights; W, argument 3, moves with
   * dW) by c·srcStep, its thread's scratch, and its column count last. Allocates nothing.
   */
  private splitColumns(
    name: HelperFunction,
    base: number[],
    columns: number,
    work: number,
    outStep: number,
    srcStep: number,
  ): void {
    const dense = name === "blockedDense" || name === "blockedDense32";
    const f32 = name === "blockedDense32" || name === "blockedWeights32";
    const call = f32
      ? dense
        ? this.blockedDense32
        : this.blockedWeights32
      : dense
        ? this.blockedDense
        : this.blockedWeights;
    const unit = f32 ? F32_TILE_COLUMNS : TILE_COLUMNS;
    const shared = work >= MIN_SPLIT_WORK && columns >= 2 * unit;
    if (shared && this.startHelpers) this.helpers = this.startHelpers();
    const helpers = this.helpers;
    const threads = helpers && shared ? helpers.ready() + 1 : 1;
    let end = columns;
    for (let p = threads - 1; p >= 0; p--) {
      const first = p === 0 ? 0 : Math.min(columns, unit * Math.round((p * columns) / threads / unit));
      const count = end - first;
      end = first;
      const a = dense ? this.shareArgs[p].dense : this.shareArgs[p].weights;
      for (let k = 0; k < base.length; k++) a[k] = base[k];
      a[0] += outStep * first;
      if (dense) {
        a[4] += srcStep * first;
        a[15] = this.scratch[p].pack;
        a[16] = this.scratch[p].panel;
        a[17] = this.scratch[p].slice;
        a[18] = this.sliceBytes;
        a[19] = count;
      } else {
        a[2] += srcStep * first;
        a[3] += outStep * first;
        a[11] = this.scratch[p].pack;
        a[12] = this.scratch[p].panel;
        a[13] = count;
      }
      if (p === 0) call(...a);
      else if (count > 0) helpers?.start(p - 1, name, a);
    }
    if (threads > 1) helpers?.join(threads - 1);
  }

  alloc(n: number): Float64Array {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`cannot allocate ${n} values`);
    if (this.top + 8 * n > this.end) throw new RangeError("kernel memory exhausted");
    const view = new Float64Array(this.buffer, this.top, n);
    this.top += 8 * n;
    return view;
  }

  mirror(x: Float64Array, n: number): void {
    if (!this.f32) return;
    const copy = this.inputCopy;
    if (!this.owns(x) || n > copy.length) {
      this.mirrored = -1;
      return;
    }
    if (n > 0) this.narrowFn(copy.byteOffset, x.byteOffset, n);
    this.mirrored = x.byteOffset;
    this.mirroredLength = n;
  }

  get f32Products(): boolean {
    return this.f32;
  }

  mirrorView(x: Float64Array, n: number): Float32Array | undefined {
    if (!this.f32 || !this.owns(x) || n > this.inputCopy.length) return undefined;
    this.mirrored = x.byteOffset;
    this.mirroredLength = n;
    return this.inputCopy;
  }

  narrow(dst: Float32Array, src: Float64Array, n: number): boolean {
    if (dst.buffer !== this.buffer || !this.owns(src) || n > dst.length || n > src.length) return false;
    if (n > 0) this.narrowFn(dst.byteOffset, src.byteOffset, n);
    return true;
  }

  /**
   * The byte offset of an f32 copy of the first n values of x: the input batch's mirror when x
   * is the mirrored array, else a fresh copy (one product's source at a time).
   */
  private source32(x: Float64Array, n: number): number {
    if (x.byteOffset === this.mirrored && n <= this.mirroredLength) return this.inputCopy.byteOffset;
    const copy = this.sourceCopy;
    if (n > copy.length) {
      throw new RangeError(
        `an f32 source of ${n} values does not fit the ${copy.length} reserved (f32Sources)`,
      );
    }
    if (n > 0) this.narrowFn(copy.byteOffset, x.byteOffset, n);
    return copy.byteOffset;
  }

  /** Whether a product of `rows` output rows and `terms` terms per sum runs in blocks. */
  private blocked(rows: number, terms: number): boolean {
    return rows >= TILE_ROWS && terms >= this.blocks.minTerms;
  }

  /** Whether all the arrays live in this instance's memory (fixed arity: no array per call). */
  private owns(a: Float64Array, b: Float64Array = a, c: Float64Array = a): boolean {
    const buffer = this.buffer;
    return a.buffer === buffer && b.buffer === buffer && c.buffer === buffer;
  }

  denseForward(
    Z: Float64Array,
    W: Float64Array,
    b: Float64Array,
    A: Float64Array,
    nOut: number,
    nIn: number,
    m: number,
    relu = false,
  ): void {
    if (!this.owns(Z, W, A) || !this.owns(b)) {
      this.fallbacks++;
      denseForward(Z, W, b, A, nOut, nIn, m, relu);
      return;
    }
    const post = relu ? RELU : NONE;
    if (!this.blocked(nOut, nIn)) {
      this.dense(
        Z.byteOffset,
        W.byteOffset,
        b.byteOffset,
        1,
        A.byteOffset,
        nOut,
        nIn,
        m,
        8 * nIn,
        8,
        post,
        0,
        1,
      );
      return;
    }
    const { terms, rows } = this.blocks;
    const a = this.denseArgs;
    a[0] = Z.byteOffset;
    a[1] = W.byteOffset;
    a[2] = b.byteOffset;
    a[3] = 1;
    a[4] = A.byteOffset;
    a[5] = nOut;
    a[6] = nIn;
    a[7] = m;
    a[8] = 8 * nIn;
    a[9] = 8;
    a[10] = post;
    a[11] = 0;
    a[12] = 1;
    a[13] = terms;
    a[14] = rows;
    if (this.f32) {
      a[4] = this.source32(A, nIn * m);
      this.splitColumns("blockedDense32", a, m, nOut * nIn * m, 8, 4);
    } else {
      this.splitColumns("blockedDense", a, m, nOut * nIn * m, 8, 8);
    }
  }

  denseBackwardInput(
    dA: Float64Array,
    W: Float64Array,
    dZ: Float64Array,
    nOut: number,
    nIn: number,
    m: number,
    gate?: Float64Array,
    gain = 1,
  ): void {
    if (!this.owns(dA, W, dZ) || (gate && !this.owns(gate))) {
      this.fallbacks++;
      denseBackwardInput(dA, W, dZ, nOut, nIn, m, gate, gain);
      return;
    }
    const post = gate ? GATE : NONE;
    const gateDelta = gate ? gate.byteOffset - dA.byteOffset : 0;
    if (!this.blocked(nIn, nOut)) {
      this.dense(
        dA.byteOffset,
        W.byteOffset,
        0,
        0,
        dZ.byteOffset,
        nIn,
        nOut,
        m,
        8,
        8 * nIn,
        post,
        gateDelta,
        gain,
      );
      return;
    }
    const { terms, rows } = this.blocks;
    const a = this.denseArgs;
    a[0] = dA.byteOffset;
    a[1] = W.byteOffset;
    a[2] = 0;
    a[3] = 0;
    a[4] = dZ.byteOffset;
    a[5] = nIn;
    a[6] = nOut;
    a[7] = m;
    a[8] = 8;
    a[9] = 8 * nIn;
    a[10] = post;
    a[11] = gateDelta;
    a[12] = gain;
    a[13] = terms;
    a[14] = rows;
    if (this.f32) {
      a[4] = this.source32(dZ, nOut * m);
      this.splitColumns("blockedDense32", a, m, nOut * nIn * m, 8, 4);
    } else {
      this.splitColumns("blockedDense", a, m, nOut * nIn * m, 8, 8);
    }
  }

  denseBackwardParams(
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
    if (!this.owns(dZ, A, W) || !this.owns(dW, db)) {
      this.fallbacks++;
      denseBackwardParams(dW, db, dZ, A, W, nOut, nIn, m, scale, decay);
      return;
    }
    if (this.blocked(nOut, m) && nIn >= TILE_ROWS) {
      const { terms, rows } = this.blocks;
      const a = this.weightsArgs;
      a[0] = dW.byteOffset;
      a[1] = dZ.byteOffset;
      a[2] = A.byteOffset;
      a[3] = W.byteOffset;
      a[4] = nOut;
      a[5] = nIn;
      a[6] = m;
      a[7] = scale;
      a[8] = decay;
      a[9] = terms;
      a[10] = rows;
      this.splitColumns(this.f32 ? "blockedWeights32" : "blockedWeights", a, nIn, nOut * nIn * m, 8, 8 * m);
      this.biasGradient(db.byteOffset, dZ.byteOffset, nOut, m, scale);
      return;
    }
    const blocks = paramBlocks(nOut, nIn);
    const fixed = blocks.alongOut ? A : dZ;
    const moving = blocks.alongOut ? dZ : A;
    this.params(
      dW.byteOffset,
      db.byteOffset,
      fixed.byteOffset,
      moving.byteOffset,
      W.byteOffset,
      blocks.fixedCount,
      blocks.movingCount,
      m,
      nIn,
      blocks.alongOut ? 1 : 0,
      dZ.byteOffset,
      nOut,
      scale,
      decay,
    );
  }

  drawMask(rng: RandomState, mask: Float64Array, n: number, keepProb: number): void {
    if (!this.owns(mask)) {
      this.fallbacks++;
      drawMask(rng, mask, n, keepProb);
      return;
    }
    const position = rng.copyStateTo(this.mtState);
    const next = this.drawMaskFn(SUMS_BYTES, position, mask.byteOffset, n, keepProb, 1 / keepProb);
    rng.restoreState(this.mtState, next);
  }

  outputGradient(dZ: Float64Array, Z: Float64Array, Y: Float64Array, m: number): void {
    if (this.owns(dZ, Z, Y)) {
      this.outputGradientFn(dZ.byteOffset, Z.byteOffset, Y.byteOffset, m);
    } else {
      this.fallbacks++;
      outputGradient(dZ, Z, Y, m);
    }
  }

  multiply(out: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
    if (this.owns(out, a, b)) {
      this.multiplyFn(out.byteOffset, a.byteOffset, b.byteOffset, n);
    } else {
      this.fallbacks++;
      multiply(out, a, b, n);
    }
  }
}

/**
 * The WebAssembly memory of kernels from createKernels (and whether it is shared), so that another
 * module may work on their buffers in place (online augmentation writes the trainer's batch);
 * undefined for the JavaScript kernels.
 */
export function kernelMemory(k: Kernels): { readonly memory: object; readonly shared: boolean } | undefined {
  return k instanceof WasmKernels ? { memory: k.memory, shared: k.shared } : undefined;
}

/**
 * Kernels with room for `doubles` values of buffers. `wasm` (the default where the runtime
 * supports WebAssembly SIMD) falls back to `js` where it does not; a run too large for the
 * WebAssembly memory throws a KernelMemoryError with the size it needs.
 */
export function createKernels(
  doubles: number,
  backend: KernelBackend = "wasm",
  options: KernelOptions = {},
): Kernels {
  const {
    blocks = DEFAULT_BLOCKS,
    threads = 1,
    spawnHelper,
    precision = "f64",
    f32Sources = { input: 0, hidden: 0 },
    awaitHelpers = true,
  } = options;
  if (!PRECISIONS.includes(precision)) {
    throw new RangeError(`precision must be one of ${PRECISIONS.join(", ")}, got ${String(precision)}`);
  }
  if (
    !(
      blocks.terms >= 1 &&
      blocks.terms <= MAX_BLOCK_TERMS &&
      blocks.rows >= 1 &&
      blocks.rows <= MAX_BLOCK_ROWS &&
      blocks.minTerms >= 1 &&
      (blocks.slice === undefined ||
        (Number.isInteger(blocks.slice) && blocks.slice >= 0 && blocks.slice <= 1 << 26))
    )
  ) {
    throw new RangeError(`block sizes out of range: ${JSON.stringify(blocks)}`);
  }
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new RangeError(`threads must be an integer from 1 to ${MAX_THREADS}, got ${threads}`);
  }
  if (threads > 1 && !spawnHelper) throw new RangeError("more than one thread needs a way to start helpers");
  const f32 = precision !== "f64";
  if (backend === "js") {
    if (f32) throw new RangeError(`precision ${precision} needs the WebAssembly kernels`);
    return jsKernels;
  }
  const fma = precision === "f32-fma";
  if (fma && !relaxedSimdAvailable()) {
    throw new RangeError(
      "precision f32-fma needs relaxed SIMD, which this runtime lacks (Node 20: --experimental-wasm-relaxed-simd)",
    );
  }
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const module = compiledModule(api, threads > 1, fma);
  if (!api || !module) {
    if (threads > 1 && compiledModule(api)) {
      throw new RangeError("this runtime has no WebAssembly threads (shared memory): run with one thread");
    }
    if (f32) throw new RangeError(`precision ${precision} needs WebAssembly SIMD, which this runtime lacks`);
    return jsKernels;
  }
  return new WasmKernels(
    api,
    module,
    doubles,
    blocks,
    threads,
    spawnHelper,
    precision,
    f32Sources,
    awaitHelpers,
  );
}
