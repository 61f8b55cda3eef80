/**
 * The numeric kernels every forward and backward pass runs on: dense products over row-major
 * Float64Arrays with examples as columns. This is the one place a faster (WASM/SIMD) backend
 * would slot in. Kernels write into buffers they are given and never allocate.
 *
 * An output row is built in passes of up to four source rows, so each output entry is loaded
 * and stored once per four products; the bias enters in the first pass and the elementwise step
 * that follows a product (ReLU forward, the dropout-and-ReLU gate backward) in the last, so no
 * extra sweep over the row is needed.
 */

/** What the last pass applies to each finished entry. */
type Post = 0 | 1 | 2;
const Post = {
  None: 0,
  /** v ← max(v, 0) */
  Relu: 1,
  /** v ← gate > 0 ? v·gain : 0, the backward of ReLU after inverted dropout. */
  Gate: 2,
} as const;

/** Where a row goes and what its last pass applies; one per kernel call, reused across rows. */
interface RowTarget {
  out: Float64Array;
  o: number;
  m: number;
  bias: number;
  post: Post;
  gate: Float64Array | undefined;
  gain: number;
}

function finish(t: RowTarget, v: number, j: number): number {
  if (t.post === Post.Relu) return v > 0 ? v : 0;
  if (t.post === Post.Gate) return t.gate![t.o + j] > 0 ? v * t.gain : 0;
  return v;
}

function pass4(
  t: RowTarget,
  first: boolean,
  last: boolean,
  w: Float64Array,
  k: number,
  s: number,
  src: Float64Array,
  r: number,
): void {
  const { out, o, m, bias } = t;
  const w0 = w[k];
  const w1 = w[k + s];
  const w2 = w[k + 2 * s];
  const w3 = w[k + 3 * s];
  const r1 = r + m;
  const r2 = r1 + m;
  const r3 = r2 + m;
  for (let j = 0; j < m; j++) {
    const v =
      (first ? bias : out[o + j]) + w0 * src[r + j] + w1 * src[r1 + j] + w2 * src[r2 + j] + w3 * src[r3 + j];
    out[o + j] = last ? finish(t, v, j) : v;
  }
}

function pass2(
  t: RowTarget,
  first: boolean,
  last: boolean,
  w: Float64Array,
  k: number,
  s: number,
  src: Float64Array,
  r: number,
): void {
  const { out, o, m, bias } = t;
  const w0 = w[k];
  const w1 = w[k + s];
  const r1 = r + m;
  for (let j = 0; j < m; j++) {
    const v = (first ? bias : out[o + j]) + w0 * src[r + j] + w1 * src[r1 + j];
    out[o + j] = last ? finish(t, v, j) : v;
  }
}

function pass1(t: RowTarget, first: boolean, w: Float64Array, k: number, src: Float64Array, r: number): void {
  const { out, o, m, bias } = t;
  const w0 = w[k];
  for (let j = 0; j < m; j++) out[o + j] = finish(t, (first ? bias : out[o + j]) + w0 * src[r + j], j);
}

/** out[o + j] = bias + Σ_t coef[c + t·stride] · src[t·m + j], then the target's post step. */
function combineRows(
  t: RowTarget,
  coef: Float64Array,
  c: number,
  stride: number,
  src: Float64Array,
  terms: number,
): void {
  const m = t.m;
  for (let i = 0; i < terms; ) {
    const left = terms - i;
    const k = c + i * stride;
    if (left >= 4) {
      pass4(t, i === 0, left === 4, coef, k, stride, src, i * m);
      i += 4;
    } else if (left >= 2) {
      pass2(t, i === 0, left === 2, coef, k, stride, src, i * m);
      i += 2;
    } else {
      pass1(t, i === 0, coef, k, src, i * m);
      i += 1;
    }
  }
}

/** Z = W·A + b, rectified when `relu`, for W (nOut × nIn), A (nIn × m), Z (nOut × m). */
export function denseForward(
  Z: Float64Array,
  W: Float64Array,
  b: Float64Array,
  A: Float64Array,
  nOut: number,
  nIn: number,
  m: number,
  relu = false,
): void {
  const t: RowTarget = {
    out: Z,
    o: 0,
    m,
    bias: 0,
    post: relu ? Post.Relu : Post.None,
    gate: undefined,
    gain: 1,
  };
  for (let i = 0; i < nOut; i++) {
    t.o = i * m;
    t.bias = b[i];
    combineRows(t, W, i * nIn, 1, A, nIn);
  }
}

/**
 * dA = Wᵀ·dZ for W (nOut × nIn), dZ (nOut × m), dA (nIn × m). With `gate` (the layer's
 * post-dropout ReLU output), entries where gate ≤ 0 become 0 and the others are scaled by
 * `gain` (1/keepProb under dropout, else 1): dropout's mask and ReLU's derivative in one step.
 */
export function denseBackwardInput(
  dA: Float64Array,
  W: Float64Array,
  dZ: Float64Array,
  nOut: number,
  nIn: number,
  m: number,
  gate?: Float64Array,
  gain = 1,
): void {
  const t: RowTarget = { out: dA, o: 0, m, bias: 0, post: gate ? Post.Gate : Post.None, gate, gain };
  for (let k = 0; k < nIn; k++) {
    t.o = k * m;
    combineRows(t, W, k, nIn, dZ, nOut);
  }
}

/**
 * dW = scale · dZ·Aᵀ + decay · W and db = scale · Σ_j dZ, for dZ (nOut × m), A (nIn × m).
 * Four dot products share each loaded value, oriented along the longer side of dW.
 */
export function denseBackwardParams(
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
  const alongOut = nIn < 4 && nOut > nIn;
  // Dot products of one "fixed" row against up to four "moving" rows.
  const fixedCount = alongOut ? nIn : nOut;
  const movingCount = alongOut ? nOut : nIn;
  const fixed = alongOut ? A : dZ;
  const moving = alongOut ? dZ : A;
  for (let f = 0; f < fixedCount; f++) {
    const x = f * m;
    for (let g = 0; g < movingCount; g += 4) {
      const n = Math.min(4, movingCount - g);
      const y0 = g * m;
      const y1 = n > 1 ? y0 + m : y0;
      const y2 = n > 2 ? y0 + 2 * m : y0;
      const y3 = n > 3 ? y0 + 3 * m : y0;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < m; j++) {
        const v = fixed[x + j];
        s0 += v * moving[y0 + j];
        s1 += v * moving[y1 + j];
        s2 += v * moving[y2 + j];
        s3 += v * moving[y3 + j];
      }
      const sums = n === 4 ? 4 : n;
      for (let q = 0; q < sums; q++) {
        const s = q === 0 ? s0 : q === 1 ? s1 : q === 2 ? s2 : s3;
        const p = alongOut ? (g + q) * nIn + f : f * nIn + g + q;
        dW[p] = scale * s + decay * W[p];
      }
    }
  }
  for (let i = 0; i < nOut; i++) {
    let s = 0;
    const o = i * m;
    for (let j = 0; j < m; j++) s += dZ[o + j];
    db[i] = scale * s;
  }
}
