import { activate, multiplyByDerivative } from "../activations.js";
import type { Kernels } from "../kernels.js";
import type { Layer, LayerContext } from "./layer.js";
import { axisGeometry, type Padding, type TensorShape } from "./spec.js";

/**
 * Patch values per chunk of output positions (2 MB): im2col's buffer stays in cache between its
 * writing and the product that reads it, however large the batch.
 */
export const PATCH_BUDGET = 1 << 18;

export interface ConvSettings {
  filters: number;
  size: number;
  stride: number;
  padding: Padding;
}

/**
 * 2-D convolution (cross-correlation, as Keras and the course) with `filters` square kernels of
 * `size`, a stride and `valid` or `same` padding (Keras's: see axisGeometry), then the activation.
 * W is f × f × C_in × C_out row-major (Keras's kernel layout, the course's W), b is C_out.
 *
 * The products run as im2col on the kernels' dense products, in the shape they are fastest in
 * (few output rows, many columns): the patches P are K × positions, K = f·f·C_in in (row, column,
 * channel) order and positions (output row, output column, example); Z = Wᵀ′·P + b with W′ the
 * C_out × K transpose of W, dW′ = dZ·Pᵀ, dP = W′ᵀ·dZ then added back onto the input (col2im).
 * Output positions go in chunks so P stays within PATCH_BUDGET values (or the context's). With f32
 * products the forward pass builds P in f32 from an f32 copy of the input, into the copy the
 * product reads (Kernels.mirrorView): the same values as converting f64 patches, half the bytes.
 */
export class Conv2D implements Layer {
  readonly output: TensorShape;
  readonly params: readonly Float64Array[];
  readonly grads: readonly Float64Array[];
  private readonly k: Kernels;
  private readonly K: number;
  private readonly top: number;
  private readonly left: number;
  private readonly perChunk: number;
  private readonly chunks: number;
  // W′ (C_out × K) in the kernels' memory, rebuilt from W at each forward pass.
  private readonly Wt: Float64Array;
  private readonly bk: Float64Array;
  private readonly patches: Float64Array;
  private readonly z: Float64Array;
  private readonly dz: Float64Array;
  private readonly dPatches: Float64Array | undefined;
  private readonly dWt: Float64Array;
  private readonly db: Float64Array;
  private readonly dWsum: Float64Array;
  private readonly dbSum: Float64Array;
  private readonly out: Float64Array;
  private readonly dx: Float64Array | undefined;
  // With f32 products: the input rounded to f32, from which the forward pass builds the patches
  // straight into the f32 copy the product reads (half the bytes, no conversion pass).
  private readonly x32: Float32Array | undefined;
  private x: Float64Array = new Float64Array(0);
  private patchesFor = -1;

  constructor(
    readonly input: TensorShape,
    readonly settings: ConvSettings,
    W: Float64Array,
    b: Float64Array,
    private readonly ctx: LayerContext,
  ) {
    const { size: f, stride: s, padding, filters } = settings;
    const v = axisGeometry(input.height, f, s, padding);
    const h = axisGeometry(input.width, f, s, padding);
    this.output = { height: v.out, width: h.out, channels: filters };
    this.top = v.before;
    this.left = h.before;
    this.K = f * f * input.channels;
    if (W.length !== this.K * filters || b.length !== filters)
      throw new RangeError(`conv: expected W ${f}×${f}×${input.channels}×${filters} and b ${filters}`);
    const k = ctx.kernels;
    this.k = k;
    const B = ctx.batch;
    const positions = v.out * h.out;
    const budget = ctx.patchBudget ?? PATCH_BUDGET;
    this.perChunk = Math.max(1, Math.min(positions, Math.floor(budget / (this.K * B))));
    this.chunks = Math.ceil(positions / this.perChunk);
    const P = this.perChunk * B;
    this.Wt = k.alloc(this.K * filters);
    this.bk = k.alloc(filters);
    this.patches = k.alloc(this.K * P);
    this.z = k.alloc(filters * P);
    this.dz = k.alloc(filters * P);
    this.dPatches = ctx.needsInputGradient ? k.alloc(this.K * P) : undefined;
    this.dWt = k.alloc(this.K * filters);
    this.db = k.alloc(filters);
    this.dWsum = new Float64Array(this.K * filters);
    this.dbSum = new Float64Array(filters);
    this.out = k.alloc(v.out * h.out * filters * B);
    this.dx = ctx.needsInputGradient ? k.alloc(input.height * input.width * input.channels * B) : undefined;
    const nIn = input.height * input.width * input.channels * B;
    const room = k.f32Products ? k.alloc(Math.ceil(nIn / 2)) : undefined;
    // (A counting allocator, sizing the kernels' memory, hands out empty arrays.)
    this.x32 = room?.length ? new Float32Array(room.buffer, room.byteOffset, nIn) : undefined;
    this.params = [W, b];
    this.grads = [new Float64Array(W.length), new Float64Array(filters)];
  }

  forward(x: Float64Array, m: number): Float64Array {
    const [W, b] = this.params;
    const { K, Wt } = this;
    const C = this.settings.filters;
    for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) Wt[c * K + k] = W[k * C + c];
    this.bk.set(b);
    this.x = x;
    const relu = this.ctx.activation === "relu";
    const nIn = this.input.height * this.input.width * this.input.channels * m;
    const x32 = this.x32 && this.k.narrow?.(this.x32, x, nIn) ? this.x32 : undefined;
    let f64Patches = true;
    for (let chunk = 0; chunk < this.chunks; chunk++) {
      const [p0, p1] = this.chunkPositions(chunk);
      const P = (p1 - p0) * m;
      const view = x32 && this.k.mirrorView?.(this.patches, K * P);
      if (x32 && view) this.im2col(x32, m, p0, p1, view);
      else this.im2col(x, m, p0, p1, this.patches);
      f64Patches = view === undefined;
      this.k.denseForward(this.z, Wt, this.bk, this.patches, C, K, P, relu);
      this.scatter(this.z, this.out, m, p0, p1);
    }
    this.patchesFor = this.chunks === 1 && f64Patches ? m : -1;
    const n = this.output.height * this.output.width * C * m;
    if (!relu) activate(this.ctx.activation, this.out, this.out, n);
    return this.out;
  }

  backward(dy: Float64Array, m: number, scale: number, decay: number): Float64Array | undefined {
    const { K, Wt, dz, dx } = this;
    const C = this.settings.filters;
    const n = this.output.height * this.output.width * C * m;
    multiplyByDerivative(this.ctx.activation, dy, this.out, n);
    if (dx) dx.fill(0, 0, this.input.height * this.input.width * this.input.channels * m);
    const [dW, db] = this.grads;
    const [W] = this.params;
    for (let chunk = 0; chunk < this.chunks; chunk++) {
      const [p0, p1] = this.chunkPositions(chunk);
      const P = (p1 - p0) * m;
      this.gather(dy, dz, m, p0, p1);
      if (this.patchesFor !== m) this.im2col(this.x, m, p0, p1, this.patches);
      // One chunk takes scale and decay in the kernel; several add up their plain sums first.
      const whole = this.chunks === 1;
      this.k.denseBackwardParams(
        this.dWt,
        this.db,
        dz,
        this.patches,
        Wt,
        C,
        K,
        P,
        whole ? scale : 1,
        whole ? decay : 0,
      );
      if (!whole) {
        for (let i = 0; i < K * C; i++)
          this.dWsum[i] = chunk === 0 ? this.dWt[i] : this.dWsum[i] + this.dWt[i];
        for (let c = 0; c < C; c++) this.dbSum[c] = chunk === 0 ? this.db[c] : this.dbSum[c] + this.db[c];
      }
      if (dx && this.dPatches) {
        this.k.denseBackwardInput(this.dPatches, Wt, dz, C, K, P);
        this.col2im(this.dPatches, dx, m, p0, p1);
      }
    }
    if (this.chunks === 1) {
      for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) dW[k * C + c] = this.dWt[c * K + k];
      db.set(this.db);
    } else {
      for (let k = 0; k < K; k++)
        for (let c = 0; c < C; c++) dW[k * C + c] = scale * this.dWsum[c * K + k] + decay * W[k * C + c];
      for (let c = 0; c < C; c++) db[c] = scale * this.dbSum[c];
    }
    return dx;
  }

  /** Output positions (row-major over output rows and columns) of one chunk. */
  private chunkPositions(chunk: number): [number, number] {
    const p0 = chunk * this.perChunk;
    return [p0, Math.min(this.output.height * this.output.width, p0 + this.perChunk)];
  }

  /**
   * The output columns [lo, hi) of output row `oh` whose input column under kernel column `dj`
   * lies inside the image (the others read the padding).
   */
  private inside(dj: number): [number, number] {
    const { stride: s } = this.settings;
    const Wd = this.input.width;
    const lo = Math.max(0, Math.ceil((this.left - dj) / s));
    const hi = Math.min(this.output.width, Math.floor((Wd - 1 + this.left - dj) / s) + 1);
    return [lo, Math.max(lo, hi)];
  }

  /**
   * patches[k][(p − p0, j)] = x at the input pixel under kernel offset k, 0 in the padding. Walked
   * row segment by row segment: the padding is filled whole, the pixels inside are runs of m values
   * (one run for a whole segment when stride 1 and one channel), moved by `copy` (native memmove).
   */
  private im2col<T extends Float64Array | Float32Array>(
    x: T,
    m: number,
    p0: number,
    p1: number,
    out: T,
  ): void {
    const { height: H, width: Wd, channels: Cin } = this.input;
    const { size: f, stride: s } = this.settings;
    const Wo = this.output.width;
    const P = (p1 - p0) * m;
    const copy = copier(out, x);
    const pixel = Cin * m;
    const runs = s === 1 && Cin === 1;
    for (let di = 0; di < f; di++) {
      for (let dj = 0; dj < f; dj++) {
        const [lo, hi] = this.inside(dj);
        for (let c = 0; c < Cin; c++) {
          const row = ((di * f + dj) * Cin + c) * P - p0 * m;
          for (let p = p0; p < p1; ) {
            const oh = Math.floor(p / Wo);
            const a = p - oh * Wo;
            const b = Math.min(Wo, a + p1 - p);
            const at = row + p * m;
            const ih = oh * s + di - this.top;
            if (ih < 0 || ih >= H) {
              out.fill(0, at, at + (b - a) * m);
            } else {
              const u = Math.min(Math.max(a, lo), b);
              const v = Math.max(Math.min(b, hi), u);
              if (u > a) out.fill(0, at, at + (u - a) * m);
              if (v < b) out.fill(0, at + (v - a) * m, at + (b - a) * m);
              const from = ((ih * Wd + u * s + dj - this.left) * Cin + c) * m;
              if (runs) copy(at + (u - a) * m, from, (v - u) * m);
              else for (let ow = u; ow < v; ow++) copy(at + (ow - a) * m, from + (ow - u) * s * pixel, m);
            }
            p += b - a;
          }
        }
      }
    }
  }

  /** The inverse walk of im2col: each patch gradient is added onto its input pixel, in k order. */
  private col2im(dp: Float64Array, dx: Float64Array, m: number, p0: number, p1: number): void {
    const { height: H, width: Wd, channels: Cin } = this.input;
    const { size: f, stride: s } = this.settings;
    const Wo = this.output.width;
    const P = (p1 - p0) * m;
    const pixel = Cin * m;
    for (let di = 0; di < f; di++) {
      for (let dj = 0; dj < f; dj++) {
        const [lo, hi] = this.inside(dj);
        for (let c = 0; c < Cin; c++) {
          const row = ((di * f + dj) * Cin + c) * P - p0 * m;
          for (let p = p0; p < p1; ) {
            const oh = Math.floor(p / Wo);
            const a = p - oh * Wo;
            const b = Math.min(Wo, a + p1 - p);
            const ih = oh * s + di - this.top;
            if (ih >= 0 && ih < H) {
              const u = Math.min(Math.max(a, lo), b);
              const v = Math.max(Math.min(b, hi), u);
              let to = ((ih * Wd + u * s + dj - this.left) * Cin + c) * m;
              for (let ow = u; ow < v; ow++, to += s * pixel) {
                const at = row + (p + ow - a) * m;
                for (let j = 0; j < m; j++) dx[to + j] += dp[at + j];
              }
            }
            p += b - a;
          }
        }
      }
    }
  }

  /** z (C_out × positions p0..p1) into the HWC output. */
  private scatter(z: Float64Array, out: Float64Array, m: number, p0: number, p1: number): void {
    const C = this.settings.filters;
    const P = (p1 - p0) * m;
    const copy = copier(out, z);
    for (let p = p0; p < p1; p++) for (let c = 0; c < C; c++) copy((p * C + c) * m, c * P + (p - p0) * m, m);
  }

  /** The HWC output gradient of positions p0..p1 into C_out × positions. */
  private gather(dy: Float64Array, dz: Float64Array, m: number, p0: number, p1: number): void {
    const C = this.settings.filters;
    const P = (p1 - p0) * m;
    const copy = copier(dz, dy);
    for (let p = p0; p < p1; p++) for (let c = 0; c < C; c++) copy(c * P + (p - p0) * m, (p * C + c) * m, m);
  }
}

/**
 * copy(to, from, n): to[to..to+n) = from[from..from+n) (values, not bytes; no overlap). Arrays in
 * one memory (the WebAssembly kernels') move through copyWithin on a view of all of it, a native
 * memmove with no allocation; others through set and subarray.
 */
function copier<T extends Float64Array | Float32Array>(
  to: T,
  from: T,
): (at: number, src: number, n: number) => void {
  const size = to.BYTES_PER_ELEMENT;
  if (to.buffer === from.buffer && size === from.BYTES_PER_ELEMENT) {
    const all = wholeView(to.buffer, size);
    const t0 = to.byteOffset / size;
    const f0 = from.byteOffset / size;
    return (at, src, n) => {
      all.copyWithin(t0 + at, f0 + src, f0 + src + n);
    };
  }
  return (at, src, n) => {
    to.set(from.subarray(src, src + n) as T, at);
  };
}

// Whole-memory views per buffer, f64 and f32 (the kernels' memory never grows: they stay valid).
const views = new WeakMap<ArrayBufferLike, { f64: Float64Array; f32: Float32Array }>();

function wholeView(buffer: ArrayBufferLike, size: number): Float64Array | Float32Array {
  let v = views.get(buffer);
  if (!v) {
    v = {
      f64: new Float64Array(buffer, 0, Math.floor(buffer.byteLength / 8)),
      f32: new Float32Array(buffer, 0, Math.floor(buffer.byteLength / 4)),
    };
    views.set(buffer, v);
  }
  return size === 8 ? v.f64 : v.f32;
}
