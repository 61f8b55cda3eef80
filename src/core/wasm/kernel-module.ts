/**
 * The WebAssembly SIMD versions of the kernels in ../kernels.ts, emitted as bytes. Every value
 * is computed with the same operations in the same order as the JavaScript kernels (two examples
 * per f64x2 lane pair, no fused multiply-add), so both backends give the same bits.
 *
 * Arguments are byte offsets into the module's memory.
 */
import { GATE, POSTS, type Post, RELU } from "../kernels.js";
import { blockedFunctions } from "./blocked-module.js";
import { encodeModule, F64, FunctionBuilder, I32, V128 } from "./encoder.js";
import { forEachExample, forEachPair } from "./loops.js";
import { maskFunction } from "./mask-module.js";
import { narrowFunction } from "./narrow-module.js";
import { outputGradientFunction } from "./sigmoid-module.js";

/**
 * One variant of the pass kernel (pass1–pass4 in ../kernels.ts): how many source rows it adds,
 * whether it starts from the bias (the first pass) or from the output row, and the post step it
 * applies (a last pass; others take NONE).
 */
export interface PassVariant {
  readonly terms: number;
  readonly first: boolean;
  readonly post: Post;
}

/** The most source rows one pass adds. */
const MAX_TERMS = 4;
const FIRSTS = [false, true] as const;

/**
 * The dispatch contract between the `dense` driver and the pass functions: the variant's
 * function number. The module adds the passes first, at these numbers (PASS_VARIANTS), and the
 * driver computes the same formula at run time (emitPassIndex, built from the same constants).
 */
export function passIndex({ terms, first, post }: PassVariant): number {
  return ((terms - 1) * FIRSTS.length + (first ? 1 : 0)) * POSTS.length + post;
}

/** Every pass variant, at its function number. */
export const PASS_VARIANTS: readonly PassVariant[] = Array.from(
  { length: MAX_TERMS * FIRSTS.length * POSTS.length },
  (_, index) => ({
    terms: 1 + Math.floor(index / (FIRSTS.length * POSTS.length)),
    first: FIRSTS[Math.floor(index / POSTS.length) % FIRSTS.length],
    post: POSTS[index % POSTS.length],
  }),
);

/**
 * Emits passIndex for the locals n (terms of this pass), t (terms before it), terms (all of
 * them) and post: the pass that starts at t = 0 is first, the one that reaches `terms` is last.
 */
function emitPassIndex(f: FunctionBuilder, n: number, t: number, terms: number, post: number): void {
  f.get(n).i32(-1).i32Add().i32(FIRSTS.length).i32Mul().get(t).i32Eqz().i32Add().i32(POSTS.length).i32Mul();
  f.get(post).i32(0).get(t).get(n).i32Add().get(terms).i32GeS().select().i32Add();
}

/** Export name of a pass variant. */
export function passName({ terms, first, post }: PassVariant): string {
  return `pass${terms}${first ? "first" : ""}${post}`;
}

/**
 * (out0, out1, c0, c1, stride, src, rowBytes, m, bias0, bias1, gain, gateDelta): rows out0 and
 * out1 (m values each) ← (first ? bias : row) + Σ_t coef_t · src row t, coefficients at
 * c + t·stride, then the post step; the gate of an output value lies gateDelta bytes after it.
 */
function pass({ terms, first, post }: PassVariant): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, I32]);
  const [out0, out1, c0, c1, stride, src, rowBytes, m, bias0, bias1, gain, gateDelta] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  const coef: number[][] = [[], []];
  const splat: number[][] = [[], []];
  const rows: number[] = [];
  for (let t = 0; t < terms; t++) {
    for (const [side, c] of [c0, c1].entries()) {
      coef[side].push(f.local(F64));
      splat[side].push(f.local(V128));
      f.get(c).get(stride).i32(t).i32Mul().i32Add().f64Load().tee(coef[side][t]);
      f.f64x2Splat().set(splat[side][t]);
    }
    rows.push(f.local(I32));
    f.get(src).get(rowBytes).i32(t).i32Mul().i32Add().set(rows[t]);
  }
  const biasSplat = [f.local(V128), f.local(V128)];
  const gainSplat = f.local(V128);
  const zero = f.local(V128);
  f.get(bias0).f64x2Splat().set(biasSplat[0]);
  f.get(bias1).f64x2Splat().set(biasSplat[1]);
  f.get(gain).f64x2Splat().set(gainSplat);
  f.f64(0).f64x2Splat().set(zero);
  const at = f.local(I32);
  const vec = [f.local(V128), f.local(V128)];
  const scalar = [f.local(F64), f.local(F64)];
  const temp = f.local(V128);
  const tempScalar = f.local(F64);
  const outs = [out0, out1];
  const biases = [bias0, bias1];
  // Both rows are computed before either is stored: out0 and out1 coincide for a lone last row.
  const vectorRow = (side: number) => {
    if (first) f.get(biasSplat[side]);
    else f.get(outs[side]).get(at).i32Add().v128Load();
    for (let t = 0; t < terms; t++) {
      f.get(splat[side][t]).get(rows[t]).get(at).i32Add().v128Load().f64x2Mul().f64x2Add();
    }
    if (post === RELU) f.set(temp).get(zero).get(temp).f64x2Pmax();
    if (post === GATE) {
      f.get(gainSplat).f64x2Mul();
      f.get(outs[side]).get(at).i32Add().get(gateDelta).i32Add().v128Load().get(zero).f64x2Gt();
      f.v128And();
    }
    f.set(vec[side]);
  };
  const scalarRow = (side: number) => {
    if (first) f.get(biases[side]);
    else f.get(outs[side]).get(at).i32Add().f64Load();
    for (let t = 0; t < terms; t++) {
      f.get(coef[side][t]).get(rows[t]).get(at).i32Add().f64Load().f64Mul().f64Add();
    }
    if (post === RELU) f.tee(tempScalar).f64(0).get(tempScalar).f64(0).f64Gt().select();
    if (post === GATE) {
      f.get(gain).f64Mul().f64(0);
      f.get(outs[side]).get(at).i32Add().get(gateDelta).i32Add().f64Load().f64(0).f64Gt().select();
    }
    f.set(scalar[side]);
  };

  forEachPair(
    f,
    m,
    at,
    () => {
      vectorRow(0);
      vectorRow(1);
      f.get(out0).get(at).i32Add().get(vec[0]).v128Store();
      f.get(out1).get(at).i32Add().get(vec[1]).v128Store();
    },
    () => {
      scalarRow(0);
      scalarRow(1);
      f.get(out0).get(at).i32Add().get(scalar[0]).f64Store();
      f.get(out1).get(at).i32Add().get(scalar[1]).f64Store();
    },
  );
  return f;
}

/**
 * Loads (x0[j], x1[j]) as one vector: a pair of rows side by side in the two lanes, so each lane
 * sums one row over the examples in order, as the scalar loop does.
 */
function loadRowPair(f: FunctionBuilder, x0: number, x1: number, at: number): void {
  f.get(x1).get(at).i32Add();
  f.get(x0).get(at).i32Add().v128Load64Zero();
  f.v128Load64Lane(1);
}

/** Row counts of the `dots` variants: blocks of 2 × width dot products. */
export const DOT_WIDTHS = [4, 8] as const;
/** Rows `rowSums` adds at once. */
export const ROW_SUM_ROWS = 8;

/**
 * dots{width}(x0, x1, y0, …, y_{width−1}, m, out): the dot products x_a · y_b of m-value rows,
 * written to out as [x0·y0, …, x0·y_{width−1}, x1·y0, …]. Lanes hold x0 and x1, so every sum runs
 * over the examples in order, as in denseBackwardParams; a reduction is bound by the latency of
 * its additions, so the wider block keeps more of them in flight.
 */
function dots(width: number): FunctionBuilder {
  const y = Array.from({ length: width }, (_, b) => 2 + b);
  const [x0, x1, m, out] = [0, 1, 2 + width, 3 + width];
  const f = new FunctionBuilder(Array.from({ length: width + 4 }, () => I32));
  const sums = y.map(() => f.local(V128));
  const pair = f.local(V128);
  const at = f.local(I32);
  forEachExample(f, m, at, () => {
    loadRowPair(f, x0, x1, at);
    f.set(pair);
    for (const [b, yb] of y.entries()) {
      f.get(sums[b]).get(pair).get(yb).get(at).i32Add().v128Load64Splat().f64x2Mul().f64x2Add().set(sums[b]);
    }
  });
  for (const b of y.keys()) {
    f.get(out)
      .get(sums[b])
      .f64x2ExtractLane(0)
      .f64Store(8 * b);
    f.get(out)
      .get(sums[b])
      .f64x2ExtractLane(1)
      .f64Store(8 * (width + b));
  }
  return f;
}

/** (r0, …, r7, m, out): out[k] = Σ_j r_k[j], each in example order, four pairs in flight. */
function rowSums(): FunctionBuilder {
  const rows = Array.from({ length: ROW_SUM_ROWS }, (_, k) => k);
  const [m, out] = [ROW_SUM_ROWS, ROW_SUM_ROWS + 1];
  const f = new FunctionBuilder(Array.from({ length: ROW_SUM_ROWS + 2 }, () => I32));
  const sums = Array.from({ length: ROW_SUM_ROWS / 2 }, () => f.local(V128));
  const at = f.local(I32);
  forEachExample(f, m, at, () => {
    for (const [p, sum] of sums.entries()) {
      f.get(sum);
      loadRowPair(f, rows[2 * p], rows[2 * p + 1], at);
      f.f64x2Add().set(sum);
    }
  });
  for (const [p, sum] of sums.entries())
    f.get(out)
      .get(sum)
      .v128Store(16 * p);
  return f;
}

/** (out, a, b, n): out = a ⊙ b over n values, two at a time. */
function multiply(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32]);
  const [out, a, b, n] = [0, 1, 2, 3];
  const at = f.local(I32);
  forEachPair(
    f,
    n,
    at,
    () => {
      f.get(out).get(at).i32Add();
      f.get(a).get(at).i32Add().v128Load().get(b).get(at).i32Add().v128Load().f64x2Mul();
      f.v128Store();
    },
    () => {
      f.get(out).get(at).i32Add();
      f.get(a).get(at).i32Add().f64Load().get(b).get(at).i32Add().f64Load().f64Mul();
      f.f64Store();
    },
  );
  return f;
}

/**
 * dense(out, coef, bias, hasBias, src, rows, terms, m, rowStride, termStride, post, gateDelta,
 * gain): the product driver — what denseForward and denseBackwardInput in ../kernels.ts do, in
 * one call. Output rows go two at a time, each pair in passes of up to four terms; the
 * coefficient of row r, term t lies at coef + r·rowStride + t·termStride; biases (when hasBias)
 * at bias + 8r; the last pass applies `post`.
 */
function dense(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64]);
  const [out, coef, bias, hasBias, src, rows, terms, m, rowStride, termStride, post, gateDelta, gain] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  ];
  const [i, k, t, n, index, rowBytes, out0, out1, c0, c1, from] = Array.from({ length: 11 }, () =>
    f.local(I32),
  );
  const [b0, b1] = [f.local(F64), f.local(F64)];
  const biasOf = (row: number, target: number) => {
    f.get(hasBias).if();
    f.get(bias).get(row).i32(3).i32Shl().i32Add().f64Load().set(target);
    f.else();
    f.f64(0).set(target);
    f.end();
  };
  f.get(m).i32(3).i32Shl().set(rowBytes);
  f.block().loop();
  f.get(i).get(rows).i32GeS().brIf(1);
  // k = i + 1, or i again for a lone last row.
  f.get(i).get(i).i32(1).i32Add().get(i).i32(1).i32Add().get(rows).i32GeS().select().set(k);
  biasOf(i, b0);
  biasOf(k, b1);
  f.get(out).get(i).get(rowBytes).i32Mul().i32Add().set(out0);
  f.get(out).get(k).get(rowBytes).i32Mul().i32Add().set(out1);
  f.i32(0).set(t);
  f.block().loop();
  f.get(t).get(terms).i32GeS().brIf(1);
  // n = min(MAX_TERMS, terms − t)
  f.i32(MAX_TERMS).get(terms).get(t).i32Sub().tee(n).get(n).i32(MAX_TERMS).i32GtS().select().set(n);
  emitPassIndex(f, n, t, terms, post);
  f.set(index);
  f.get(coef).get(i).get(rowStride).i32Mul().i32Add().get(t).get(termStride).i32Mul().i32Add().set(c0);
  f.get(coef).get(k).get(rowStride).i32Mul().i32Add().get(t).get(termStride).i32Mul().i32Add().set(c1);
  f.get(src).get(t).get(rowBytes).i32Mul().i32Add().set(from);
  // Dispatch: block c_last … block c0 { br_table } — the end of block c_j runs pass j (function
  // number j), then leaves.
  const count = PASS_VARIANTS.length;
  f.block();
  for (let j = 0; j < count; j++) f.block();
  f.get(index).brTable(
    Array.from({ length: count }, (_, j) => j),
    count - 1,
  );
  for (let j = 0; j < count; j++) {
    f.end();
    for (const a of [out0, out1, c0, c1, termStride, from, rowBytes, m, b0, b1, gain, gateDelta]) f.get(a);
    f.call(j).br(count - 1 - j);
  }
  f.end();
  f.get(t).get(n).i32Add().set(t).br(0);
  f.end().end();
  f.get(i).i32(2).i32Add().set(i).br(0);
  f.end().end();
  return f;
}

/** biasGradient(db, dZ, nOut, m, scale): db = scale · Σ_j dZ, eight rows at a time through `rowSums`. */
function biasGradient(rowSumsIndex: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, F64]);
  const [db, dZ, nOut, m, scale] = [0, 1, 2, 3, 4];
  const [rowBytes, i, n, q, y] = Array.from({ length: 5 }, () => f.local(I32));
  /** Pushes the address of row r of a block of n rows at `first`, or `first` past the block. */
  const rowAt = (first: number, r: number) => {
    f.get(first).get(rowBytes).i32(r).i32Mul().i32Add().get(first).get(n).i32(r).i32GtS().select();
  };
  f.get(m).i32(3).i32Shl().set(rowBytes);
  f.i32(0).set(i);
  f.block().loop();
  f.get(i).get(nOut).i32GeS().brIf(1);
  f.i32(ROW_SUM_ROWS).get(nOut).get(i).i32Sub().tee(n).get(n).i32(ROW_SUM_ROWS).i32GtS().select().set(n);
  f.get(dZ).get(i).get(rowBytes).i32Mul().i32Add().set(y);
  f.get(y);
  for (let r = 1; r < ROW_SUM_ROWS; r++) rowAt(y, r);
  f.get(m).i32(0).call(rowSumsIndex);
  f.i32(0).set(q);
  f.block().loop();
  f.get(q).get(n).i32GeS().brIf(1);
  f.get(db).get(i).get(q).i32Add().i32(3).i32Shl().i32Add();
  f.get(scale).get(q).i32(3).i32Shl().f64Load().f64Mul().f64Store();
  f.get(q).i32(1).i32Add().set(q).br(0);
  f.end().end();
  f.get(i).get(n).i32Add().set(i).br(0);
  f.end().end();
  return f;
}

/**
 * params(dW, db, fixed, moving, W, fixedCount, movingCount, m, nIn, alongOut, dZ, nOut, scale,
 * decay): denseBackwardParams of ../kernels.ts in one call — dW in blocks of two fixed rows
 * against eight (or four) moving rows through `dots8`/`dots4`, each entry dW = scale · sum +
 * decay · W, then db through `biasGradient`. The other functions are called by their numbers in
 * the module.
 */
function params(dots4: number, dots8: number, biasIndex: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64]);
  const [dW, db, fixed, moving, W, fixedCount, movingCount, m, nIn, alongOut, dZ, nOut, scale, decay] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
  ];
  const [rowBytes, i, i1, g, n, q, width, x0, x1, y, at] = Array.from({ length: 11 }, () => f.local(I32));
  /** Pushes the address of row q of a block of n rows at `first`, or `first` past the block. */
  const rowAt = (first: number, row: number) => {
    f.get(first).get(rowBytes).i32(row).i32Mul().i32Add().get(first).get(n).i32(row).i32GtS().select();
  };
  /** dW[a] = scale · sums[sum] + decay · W[a], for the entry index on the stack. */
  const store = (sum: () => void) => {
    f.i32(3).i32Shl().set(at);
    f.get(dW).get(at).i32Add();
    f.get(scale);
    sum();
    f.i32(3).i32Shl().f64Load().f64Mul();
    f.get(decay).get(W).get(at).i32Add().f64Load().f64Mul().f64Add().f64Store();
  };
  /** The dW index of fixed row `row`, moving row g + q. */
  const entry = (row: number) => {
    f.get(g).get(q).i32Add().get(nIn).i32Mul().get(row).i32Add();
    f.get(row).get(nIn).i32Mul().get(g).i32Add().get(q).i32Add();
    f.get(alongOut).select();
  };

  f.get(m).i32(3).i32Shl().set(rowBytes);
  f.block().loop();
  f.get(i).get(fixedCount).i32GeS().brIf(1);
  f.get(i).get(i).i32(1).i32Add().get(i).i32(1).i32Add().get(fixedCount).i32GeS().select().set(i1);
  f.get(fixed).get(i).get(rowBytes).i32Mul().i32Add().set(x0);
  f.get(fixed).get(i1).get(rowBytes).i32Mul().i32Add().set(x1);
  f.i32(0).set(g);
  f.block().loop();
  f.get(g).get(movingCount).i32GeS().brIf(1);
  f.i32(8).get(movingCount).get(g).i32Sub().tee(n).get(n).i32(8).i32GtS().select().set(n);
  f.get(moving).get(g).get(rowBytes).i32Mul().i32Add().set(y);
  f.get(n).i32(4).i32GtS().if();
  f.get(x0).get(x1).get(y);
  for (let r = 1; r < 8; r++) rowAt(y, r);
  f.get(m).i32(0).call(dots8).i32(8).set(width);
  f.else();
  f.get(x0).get(x1).get(y);
  for (let r = 1; r < 4; r++) rowAt(y, r);
  f.get(m).i32(0).call(dots4).i32(4).set(width);
  f.end();
  f.i32(0).set(q);
  f.block().loop();
  f.get(q).get(n).i32GeS().brIf(1);
  entry(i);
  store(() => f.get(q));
  entry(i1);
  store(() => f.get(width).get(q).i32Add());
  f.get(q).i32(1).i32Add().set(q).br(0);
  f.end().end();
  f.get(g).get(n).i32Add().set(g).br(0);
  f.end().end();
  f.get(i).i32(2).i32Add().set(i).br(0);
  f.end().end();

  f.get(db).get(dZ).get(nOut).get(m).get(scale).call(biasIndex);
  return f;
}

/**
 * The module's bytes: every pass variant at its function number (passIndex), then the product
 * drivers and the other kernels. `fma` builds the f32 blocked tiles with relaxed-SIMD FMA (which
 * the runtime must support); nothing else changes.
 */
export function kernelModuleBytes(sharedMemory = false, fma = false): Uint8Array<ArrayBuffer> {
  const functions = new Map<string, FunctionBuilder>();
  for (const variant of PASS_VARIANTS) functions.set(passName(variant), pass(variant));
  functions.set("dense", dense());
  for (const width of DOT_WIDTHS) functions.set(`dots${width}`, dots(width));
  functions.set("rowSums", rowSums());
  const index = (name: string) => [...functions.keys()].indexOf(name);
  functions.set("biasGradient", biasGradient(index("rowSums")));
  functions.set("params", params(index("dots4"), index("dots8"), index("biasGradient")));
  functions.set("multiply", multiply());
  functions.set("drawMask", maskFunction());
  functions.set("outputGradient", outputGradientFunction());
  for (const [name, fn] of blockedFunctions(functions.size, fma)) functions.set(name, fn);
  functions.set("narrow", narrowFunction());
  return encodeModule(functions, sharedMemory);
}
