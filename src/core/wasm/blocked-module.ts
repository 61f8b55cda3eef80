/**
 * Cache-blocked products for large layers, emitted as WebAssembly: W·A (forward), Wᵀ·dZ (dA) and
 * dZ·Aᵀ (dW), the BLIS/GotoBLAS recipe cut down to what keeps f64 bits.
 *
 * Every output value is a sum over the inner dimension taken in order, as in ../kernels.ts:
 * out = start + c_0·x_0 + c_1·x_1 + …, one product added at a time. Blocking over output rows and
 * columns reorders nothing; blocking over the inner dimension (`kc` terms at a time) keeps the
 * running sum in the output buffer between blocks, where a double is stored exactly, so each sum
 * still adds the same products in the same order. The start is the bias (forward), 0 (dA, dW) or
 * the stored partial sum; the post step (ReLU, the dropout gate, dW's scale·s + decay·W) runs on
 * the last block only.
 *
 * A tile is 4 output rows × 4, 2 or 1 columns held in registers over `kc` terms: each term loads
 * the 4 columns of the source row once and one coefficient per output row (splat), then adds 16
 * products — against 8 per output load and store in the pass kernels. Loops: terms in blocks of
 * kc, output rows in blocks of mc, whose coefficients are first packed term by term (4 per term
 * per row tile, read at fixed offsets from one pointer), columns in tiles (the kc × 4 source
 * panel stays in L1 across the row tiles), row tiles.
 *
 * The same drivers also run in f32 (`--precision f32`): coefficients are converted to floats as
 * they are packed, the dW panel as it is copied, and the W·A and Wᵀ·dZ sources are f32 copies
 * (wasm-kernels.ts makes them). A tile is then 4 rows × 8, 4 or 1 columns of f32x4 accumulators
 * over kc terms; between blocks the running sum waits in the f64 output (a float is exactly a
 * double, so the f32 sum goes on unchanged), and the post step runs in f64 on the promoted sum.
 * With FMA (precision "f32-fma") each term is one f32x4.relaxed_madd instead of a multiply and an
 * add; the one-column tile uses lane 0 of the same vector operations, so every column of a
 * product is computed the same way whichever tile it falls in.
 */
import { GATE, NONE, RELU } from "../kernels.js";
import { F64, FunctionBuilder, I32, V128, type ValueType } from "./encoder.js";

/** What the drivers need to know of an arithmetic. */
interface Format {
  /** Bytes of a source, panel or packed coefficient value. */
  readonly bytes: 8 | 4;
  /** log2(bytes). */
  readonly shift: 3 | 2;
  /** Columns of the three tiles, widest first; the last is one column. */
  readonly widths: readonly [number, number, number];
}
const F64_FORMAT: Format = { bytes: 8, shift: 3, widths: [4, 2, 1] };
const F32_FORMAT: Format = { bytes: 4, shift: 2, widths: [8, 4, 1] };
/** Columns of the widest f32 tile: threads split f32 products at multiples of it. */
export const F32_TILE_COLUMNS = 8;

/** Output rows of a tile. */
export const TILE_ROWS = 4;
/** The step after a tile's last block: ../kernels.ts's NONE, RELU and GATE, and dW's epilogue. */
export const TILE_NONE = NONE;
export const TILE_RELU = RELU;
export const TILE_GATE = GATE;
/** v ← p·v + q·(the value `delta` bytes after v): dW = scale · sum + decay · W. */
export const TILE_AFFINE = 3;

/** Tile widths in f64x2 vectors (2, 1) and 0 for one column in scalar f64. */
export const TILE_VECTORS = [2, 1, 0] as const;
type TileVectors = (typeof TILE_VECTORS)[number];

/** `for (i = from; i < end; i += step) body()` over i32 locals (`from` pushed by the caller). */
function loop(
  f: FunctionBuilder,
  i: number,
  from: () => void,
  end: number,
  step: number | (() => void),
  body: () => void,
) {
  from();
  f.set(i).whileBelow(i, () => f.get(end), body, step);
}

/** The locals a tile's loop over its kc terms walks. */
interface TermLocals {
  coef: number;
  src: number;
  srcStride: number;
  kc: number;
  at: number;
  cp: number;
  cpEnd: number;
}

/**
 * A tile's loop over its kc terms: `term` adds the source row at local `at` times the packed
 * coefficients at local `cp` (`bytes` per term). The coefficient pointer counts the terms (one
 * instruction less per term than a counter); `at` steps one source row per term.
 */
function termLoop(f: FunctionBuilder, l: TermLocals, bytes: number, term: () => void): void {
  f.get(l.src).set(l.at);
  f.get(l.coef).get(l.kc).i32(Math.log2(bytes)).i32Shl().i32Add().set(l.cpEnd);
  loop(
    f,
    l.cp,
    () => f.get(l.coef),
    l.cpEnd,
    bytes,
    () => {
      term();
      f.get(l.at).get(l.srcStride).i32Add().set(l.at);
    },
  );
}

/** Pushes min(a, b) of two i32 expressions. */
function min(f: FunctionBuilder, a: () => void, b: () => void): void {
  a();
  b();
  a();
  b();
  f.i32LtS().select();
}

/** A finished f64 value of a tile (a double or an f64x2 in `local`), to store at o + offset. */
interface TileValue {
  readonly o: number;
  readonly offset: number;
  readonly local: number;
  readonly scalar: boolean;
}

/**
 * The step after a tile's last block (local `post`: TILE_NONE, RELU, GATE or AFFINE with p, q
 * and the delta of the gate or W), in f64, then each value stored at its address.
 */
function postAndStore(
  f: FunctionBuilder,
  values: readonly TileValue[],
  post: number,
  p: number,
  q: number,
  delta: number,
): void {
  const zero = (scalar: boolean) => (scalar ? f.f64(0) : f.f64(0).f64x2Splat());
  f.get(post).i32(TILE_RELU).i32Eq().if();
  for (const { local: a, scalar } of values) {
    if (scalar) f.get(a).f64(0).get(a).f64(0).f64Gt().select().set(a);
    else
      f.inline(() => zero(false))
        .get(a)
        .f64x2Pmax()
        .set(a);
  }
  f.end();
  f.get(post).i32(TILE_GATE).i32Eq().if();
  for (const { o, offset, local: a, scalar } of values) {
    if (scalar) {
      f.get(a).get(p).f64Mul().f64(0);
      f.get(o).get(delta).i32Add().f64Load(offset).f64(0).f64Gt().select().set(a);
    } else {
      f.get(a).get(p).f64x2Splat().f64x2Mul();
      f.get(o)
        .get(delta)
        .i32Add()
        .v128Load(offset)
        .inline(() => zero(false))
        .f64x2Gt()
        .v128And()
        .set(a);
    }
  }
  f.end();
  f.get(post).i32(TILE_AFFINE).i32Eq().if();
  for (const { o, offset, local: a, scalar } of values) {
    if (scalar) {
      f.get(p).get(a).f64Mul();
      f.get(q).get(o).get(delta).i32Add().f64Load(offset).f64Mul().f64Add().set(a);
    } else {
      f.get(p).f64x2Splat().get(a).f64x2Mul();
      f.get(q).f64x2Splat().get(o).get(delta).i32Add().v128Load(offset).f64x2Mul().f64x2Add().set(a);
    }
  }
  f.end();
  for (const { o, offset, local: a, scalar } of values) {
    f.get(o).get(a);
    if (scalar) f.f64Store(offset);
    else f.v128Store(offset);
  }
}

/**
 * tile{v}(o0, o1, o2, o3, coef, src, srcStride, kc, from, post, b0, b1, b2, b3, p, q, delta):
 * output rows o_r (byte addresses of the tile's first column; rows may repeat, for a lone last
 * row) ← (from = 0 ? b_r : o_r: 0 starts from the bias, 1 from what the output holds) + Σ_{t<kc} coef[4t + r] · src row t (row t at
 * src + t·srcStride), then `post`. All rows are computed before any is stored.
 */
function tile(vectors: TileVectors): FunctionBuilder {
  const params: ValueType[] = [...Array<ValueType>(10).fill(I32), ...Array<ValueType>(6).fill(F64), I32];
  const f = new FunctionBuilder(params);
  const outs = [0, 1, 2, 3];
  const [coef, src, srcStride, kc, from, post] = [4, 5, 6, 7, 8, 9];
  const biases = [10, 11, 12, 13];
  const [p, q, delta] = [14, 15, 16];
  const lanes = Math.max(vectors, 1);
  const scalar = vectors === 0;
  const type = scalar ? F64 : V128;
  const acc = outs.map(() => Array.from({ length: lanes }, () => f.local(type)));
  const x = Array.from({ length: lanes }, () => f.local(type));
  const at = f.local(I32);
  const cp = f.local(I32);
  const cpEnd = f.local(I32);
  const temp = f.local(type);
  const load = (offset: number) => (scalar ? f.f64Load(offset) : f.v128Load(offset));
  const splat = () => {
    if (!scalar) f.f64x2Splat();
  };
  /** Adds one term: source row at local `row`, coefficients at cp + 32·step. */
  const term = (row: number, step: number) => {
    for (const [v, xv] of x.entries())
      f.get(row)
        .inline(() => load(16 * v))
        .set(xv);
    for (const r of outs) {
      f.get(cp);
      if (scalar) f.f64Load(32 * step + 8 * r).set(temp);
      else f.v128Load64Splat(32 * step + 8 * r).set(temp);
      for (const [v, a] of acc[r].entries()) {
        f.get(a).get(temp).get(x[v]);
        if (scalar) f.f64Mul().f64Add();
        else f.f64x2Mul().f64x2Add();
        f.set(a);
      }
    }
  };

  f.get(from).if();
  for (const [r, o] of outs.entries())
    for (const [v, a] of acc[r].entries())
      f.get(o)
        .inline(() => load(16 * v))
        .set(a);
  f.else();
  for (const [r, b] of biases.entries()) for (const a of acc[r]) f.get(b).inline(splat).set(a);
  f.end();

  // One term per turn: unrolled by two, TurboFan hoists both terms' loads and spills accumulators.
  termLoop(f, { coef, src, srcStride, kc, at, cp, cpEnd }, 32, () => term(at, 0));

  const values: TileValue[] = [];
  for (const [r, o] of outs.entries())
    for (const [v, a] of acc[r].entries()) values.push({ o, offset: 16 * v, local: a, scalar });
  postAndStore(f, values, post, p, q, delta);
  return f;
}

/**
 * The f32 tile, same signature: output rows o_r (f64) ← (from = 0 ? f32(b_r) : o_r) +
 * Σ_{t<kc} coef[4t + r] · src row t in f32 arithmetic (coef and src f32, src row t at
 * src + t·srcStride), then `post` in f64. `vectors` f32x4 per row (8 or 4 columns), or 0 for one
 * column in lane 0.
 */
function tile32(vectors: TileVectors, fma: boolean): FunctionBuilder {
  const params: ValueType[] = [...Array<ValueType>(10).fill(I32), ...Array<ValueType>(6).fill(F64), I32];
  const f = new FunctionBuilder(params);
  const outs = [0, 1, 2, 3];
  const [coef, src, srcStride, kc, from, post] = [4, 5, 6, 7, 8, 9];
  const biases = [10, 11, 12, 13];
  const [p, q, delta] = [14, 15, 16];
  const lanes = Math.max(vectors, 1);
  const scalar = vectors === 0;
  const acc = outs.map(() => Array.from({ length: lanes }, () => f.local(V128)));
  const x = Array.from({ length: lanes }, () => f.local(V128));
  const at = f.local(I32);
  const cp = f.local(I32);
  const cpEnd = f.local(I32);
  const temp = f.local(V128);
  // Lanes 0–1 of the first vector, then 0–1 of the second.
  const lowHalves = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
  const highHalf = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

  f.get(from).if();
  for (const [r, o] of outs.entries())
    for (const [v, a] of acc[r].entries()) {
      if (scalar) f.get(o).f64Load().f32DemoteF64().f32x4Splat().set(a);
      else {
        f.get(o)
          .v128Load(32 * v)
          .f32x4DemoteF64x2Zero();
        f.get(o)
          .v128Load(32 * v + 16)
          .f32x4DemoteF64x2Zero()
          .i8x16Shuffle(lowHalves)
          .set(a);
      }
    }
  f.else();
  for (const [r, b] of biases.entries()) for (const a of acc[r]) f.get(b).f32DemoteF64().f32x4Splat().set(a);
  f.end();

  termLoop(f, { coef, src, srcStride, kc, at, cp, cpEnd }, 16, () => {
    for (const [v, xv] of x.entries()) {
      f.get(at);
      if (scalar) f.v128Load32Zero();
      else f.v128Load4(16 * v);
      f.set(xv);
    }
    for (const r of outs) {
      f.get(cp)
        .v128Load32Splat(4 * r)
        .set(temp);
      for (const [v, a] of acc[r].entries()) {
        if (fma) f.get(temp).get(x[v]).get(a).f32x4RelaxedMadd();
        else f.get(a).get(temp).get(x[v]).f32x4Mul().f32x4Add();
        f.set(a);
      }
    }
  });

  // The sums as doubles (exact), then the f64 post step.
  const values: TileValue[] = [];
  for (const [r, o] of outs.entries())
    for (const [v, a] of acc[r].entries()) {
      if (scalar) {
        const d = f.local(F64);
        f.get(a).f32x4ExtractLane(0).f64PromoteF32().set(d);
        values.push({ o, offset: 0, local: d, scalar });
        continue;
      }
      for (const half of [0, 1]) {
        const d = f.local(V128);
        f.get(a);
        if (half === 1) f.get(a).i8x16Shuffle(highHalf);
        f.f64x2PromoteLowF32x4().set(d);
        values.push({ o, offset: 32 * v + 16 * half, local: d, scalar });
      }
    }
  postAndStore(f, values, post, p, q, delta);
  return f;
}

/** The format, and the function numbers of its three tile widths (widest first) and of its packCoefficients. */
interface Callees {
  readonly format: Format;
  readonly tiles: readonly [number, number, number];
  readonly pack: number;
}

/**
 * packCoefficients(pack, coef, rowStride, termStride, i0, i1, t0, kc): for each tile of 4 rows
 * from i0 (rows ≥ i1 repeat row i1 − 1), the coefficients of terms t0 … t0 + kc − 1 term by term:
 * pack[(tile·kc + t)·4 + r] = coef[row·rowStride + (t0 + t)·termStride] (strides in bytes;
 * coef is f64, pack holds the format's values: doubles, or floats rounded to nearest).
 */
function packCoefficients(format: Format): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [pack, coef, rowStride, termStride, i0, i1, t0, kc] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, t, to, base] = Array.from({ length: 4 }, () => f.local(I32));
  const rowAt = Array.from({ length: TILE_ROWS }, () => f.local(I32));
  f.get(pack).set(to);
  loop(
    f,
    i,
    () => f.get(i0),
    i1,
    TILE_ROWS,
    () => {
      for (const [r, row] of rowAt.entries()) {
        f.get(coef);
        min(
          f,
          () => f.get(i).i32(r).i32Add(),
          () => f.get(i1).i32(-1).i32Add(),
        );
        f.get(rowStride).i32Mul().i32Add().get(t0).get(termStride).i32Mul().i32Add().set(row);
      }
      f.i32(0).set(base);
      loop(
        f,
        t,
        () => f.i32(0),
        kc,
        1,
        () => {
          for (const [r, row] of rowAt.entries()) {
            f.get(to).get(row).get(base).i32Add().f64Load();
            if (format.bytes === 8) f.f64Store(8 * r);
            else f.f32DemoteF64().f32Store(4 * r);
          }
          f.get(base).get(termStride).i32Add().set(base);
          f.get(to)
            .i32(TILE_ROWS * format.bytes)
            .i32Add()
            .set(to);
        },
      );
    },
  );
  return f;
}

/**
 * Emits the column loop of one block: tiles of the widest width (4 columns in f64, 8 in f32),
 * then at most one of the middle width and one-column tiles for the ragged edge;
 * `rowTiles(width, tileFunction)` runs the row tiles of a column tile at local j.
 */
function columnTiles(
  f: FunctionBuilder,
  j: number,
  columns: number,
  format: Format,
  tiles: Callees["tiles"],
  rowTiles: (width: number, tileFunction: number) => void,
): void {
  const [wide, middle] = format.widths;
  const endWide = f.local(I32);
  f.get(columns).i32(-wide).i32And().set(endWide);
  loop(
    f,
    j,
    () => f.i32(0),
    endWide,
    wide,
    () => rowTiles(wide, tiles[0]),
  );
  f.get(columns).get(j).i32Sub().i32(middle).i32GeS().if();
  rowTiles(middle, tiles[1]);
  f.get(j).i32(middle).i32Add().set(j);
  f.end();
  loop(
    f,
    j,
    () => f.get(j),
    columns,
    1,
    () => rowTiles(1, tiles[2]),
  );
}

/**
 * Emits the row tiles of one column tile: `outputs(row)` pushes the output address of a row at
 * column j; `rest()` pushes the tile's arguments after its coefficients. Rows past the block's
 * end repeat its last row.
 */
function rowTiles(
  f: FunctionBuilder,
  format: Format,
  locals: { i: number; ib: number; iEnd: number; kc: number; pack: number },
  rowOf: readonly number[],
  outputs: (row: number) => void,
  rest: (row: readonly number[]) => void,
  tileFunction: number,
): void {
  const { i, ib, iEnd, kc, pack } = locals;
  loop(
    f,
    i,
    () => f.get(ib),
    iEnd,
    TILE_ROWS,
    () => {
      for (const [r, row] of rowOf.entries()) {
        min(
          f,
          () => f.get(i).i32(r).i32Add(),
          () => f.get(iEnd).i32(-1).i32Add(),
        );
        f.set(row);
      }
      for (const row of rowOf) outputs(row);
      // This row tile's packed coefficients: (i − ib)/4 tiles of kc terms of 4 values in.
      f.get(pack).get(i).get(ib).i32Sub().get(kc).i32Mul().i32(format.shift).i32Shl().i32Add();
      rest(rowOf);
      f.call(tileFunction);
    },
  );
}

/**
 * Packs every whole (widest) tile's panel of one block into `slice`, reading the block's source
 * rows in order: slice + (jt / wide)·kc·wideSize + t·wideSize ← the wide values of source row
 * kb + t from column jt, bit for bit, for t < kc and jt < endWide.
 */
function packSlice(
  f: FunctionBuilder,
  format: Format,
  l: {
    src: number;
    kb: number;
    kc: number;
    srcRowBytes: number;
    slice: number;
    endWide: number;
    t: number;
    jt: number;
    at: number;
    to: number;
    next: number;
  },
): void {
  const wide = format.widths[0];
  const size = wide * format.bytes;
  f.get(l.src).get(l.kb).get(l.srcRowBytes).i32Mul().i32Add().set(l.at);
  loop(
    f,
    l.t,
    () => f.i32(0),
    l.kc,
    1,
    () => {
      f.get(l.slice).get(l.t).i32(size).i32Mul().i32Add().set(l.to);
      f.get(l.at).set(l.next);
      loop(
        f,
        l.jt,
        () => f.i32(0),
        l.endWide,
        wide,
        () => {
          for (let o = 0; o < size; o += 16) f.get(l.to).get(l.next).v128Load(o).v128Store(o);
          f.get(l.next).i32(size).i32Add().set(l.next);
          f.get(l.to).get(l.kc).i32(size).i32Mul().i32Add().set(l.to);
        },
      );
      f.get(l.at).get(l.srcRowBytes).i32Add().set(l.at);
    },
  );
}

/**
 * blockedDense(out, coef, bias, hasBias, src, rows, terms, m, rowStride, termStride, post,
 * gateDelta, gain, kcMax, mcMax, pack, panel, slice, sliceBytes, columns): the `dense` driver's product
 * (kernel-module.ts)
 * in blocks, for the first `columns` of the m columns (a thread's share: out and src then point
 * at its first column); `pack` holds a block's packed coefficients (mcMax rounded up to 4, times
 * kcMax, values). Each column tile's kc × width slice of the source is first copied into `panel`
 * (kc rows of width values, contiguous): the tiles then read one page instead of kc rows m values
 * apart, which cost TLB misses on every term. Where all the whole tiles' panels of a block fit the
 * `slice` scratch (sliceBytes), they are packed there at once instead, reading each source row
 * front to back (packSlice): a wide source with few output rows (the cat model's first layer)
 * otherwise waits on memory for each strided panel copy. In f32, src is an f32 copy of the source (rows of m
 * floats); out, coef and bias stay f64.
 */
function blockedDense(callees: Callees): FunctionBuilder {
  const f = new FunctionBuilder([
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    F64,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
  ]);
  const [
    out,
    coef,
    bias,
    hasBias,
    src,
    rows,
    terms,
    m,
    rowStride,
    termStride,
    post,
    gateDelta,
    gain,
    kcMax,
    mcMax,
    pack,
    panel,
    slice,
    sliceBytes,
    columns,
  ] = Array.from({ length: 20 }, (_, k) => k);
  const { format } = callees;
  const [kb, kc, ib, iEnd, j, i, t, at, to, from, tilePost, rowBytes, srcRowBytes] = Array.from(
    { length: 13 },
    () => f.local(I32),
  );
  const [tilePanel, endWide, jt, next, useSlice] = Array.from({ length: 5 }, () => f.local(I32));
  const rowOf = Array.from({ length: TILE_ROWS }, () => f.local(I32));
  const wide = format.widths[0];
  f.get(m).i32(3).i32Shl().set(rowBytes);
  f.get(m).i32(format.shift).i32Shl().set(srcRowBytes);
  // Whether every whole tile's panel of a block fits `slice` (the first test keeps the product
  // below 2³¹).
  f.get(columns).i32(-wide).i32And().set(endWide);
  f.get(sliceBytes).i32(5).i32ShrU().get(endWide).i32GeS();
  f.get(sliceBytes).get(endWide).get(kcMax).i32Mul().i32(format.shift).i32Shl().i32GeS();
  f.i32And().set(useSlice);
  loop(
    f,
    kb,
    () => f.i32(0),
    terms,
    () => f.get(kc),
    () => {
      min(
        f,
        () => f.get(kcMax),
        () => f.get(terms).get(kb).i32Sub(),
      );
      f.set(kc);
      f.get(kb).i32(0).i32GtS().set(from);
      f.get(post).i32(TILE_NONE).get(kb).get(kc).i32Add().get(terms).i32GeS().select().set(tilePost);
      f.get(useSlice).if();
      packSlice(f, format, { src, kb, kc, srcRowBytes, slice, endWide, t, jt, at, to, next });
      f.end();
      loop(
        f,
        ib,
        () => f.i32(0),
        rows,
        () => f.get(mcMax),
        () => {
          min(
            f,
            () => f.get(ib).get(mcMax).i32Add(),
            () => f.get(rows),
          );
          f.set(iEnd);
          f.get(pack)
            .get(coef)
            .get(rowStride)
            .get(termStride)
            .get(ib)
            .get(iEnd)
            .get(kb)
            .get(kc)
            .call(callees.pack);
          columnTiles(f, j, columns, format, callees.tiles, (width, tileFunction) => {
            // panel[t] = the width values of source row kb + t from column j, bit for bit.
            const size = width * format.bytes;
            const copy = () => {
              f.get(src)
                .get(kb)
                .get(srcRowBytes)
                .i32Mul()
                .i32Add()
                .get(j)
                .i32(format.shift)
                .i32Shl()
                .i32Add()
                .set(at);
              f.get(panel).set(to);
              loop(
                f,
                t,
                () => f.i32(0),
                kc,
                1,
                () => {
                  for (let o = 0; o + 16 <= size; o += 16) f.get(to).get(at).v128Load(o).v128Store(o);
                  if (size === 8) f.get(to).get(at).f64Load().f64Store();
                  if (size === 4) f.get(to).get(at).i32Load().i32Store();
                  f.get(at).get(srcRowBytes).i32Add().set(at);
                  f.get(to).i32(size).i32Add().set(to);
                },
              );
              f.get(panel).set(tilePanel);
            };
            if (width === wide) {
              // The tile's panel already in the slice: tile j / wide, kc rows of wide values.
              f.get(useSlice).if();
              f.get(slice).get(j).get(kc).i32Mul().i32(format.shift).i32Shl().i32Add().set(tilePanel);
              f.else();
              copy();
              f.end();
            } else {
              copy();
            }
            rowTiles(
              f,
              format,
              { i, ib, iEnd, kc, pack },
              rowOf,
              (row) => f.get(out).get(row).get(rowBytes).i32Mul().i32Add().get(j).i32(3).i32Shl().i32Add(),
              (rowAt) => {
                f.get(tilePanel).i32(size).get(kc).get(from).get(tilePost);
                // Without a bias the load reads some address below the output: in bounds, unused.
                for (const row of rowAt)
                  f.get(bias).get(row).i32(3).i32Shl().i32Add().f64Load().f64(0).get(hasBias).select();
                f.get(gain).f64(0).get(gateDelta);
              },
              tileFunction,
            );
          });
        },
      );
    },
  );
  return f;
}

/** Bytes of 32-bit lanes `lanes` of the first (0–3) and second (4–7) operand: an i8x16.shuffle mask. */
function lanes32(...lanes: number[]): number[] {
  return lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
}

/**
 * The widest dW tile's panel copy, vectorized over terms (a bit-for-bit copy of what the scalar
 * loop writes; in f32 each double rounded to nearest as f32.demote does): while 4 (f32) or 2
 * (f64) terms remain, load them from each row of A at rowAt[q] + offset and transpose them into
 * panel rows at `to` with shuffles. Leaves t, offset and to after the last whole group.
 */
function transposeTerms(
  f: FunctionBuilder,
  format: Format,
  rowAt: readonly number[],
  locals: {
    t: number;
    kc: number;
    offset: number;
    to: number;
    kcVector: number;
    rows: number[];
    pairs: number[];
  },
): void {
  const { t, kc, offset, to, kcVector, rows, pairs } = locals;
  const f32 = format.bytes === 4;
  const step = f32 ? 4 : 2;
  const width = rowAt.length;
  f.get(kc).i32(-step).i32And().set(kcVector);
  loop(
    f,
    t,
    () => f.i32(0),
    kcVector,
    step,
    () => {
      // rows[q] = A[j + q][kb + t … t + step − 1], as floats or doubles.
      for (const [q, row] of rowAt.entries()) {
        f.get(row).get(offset).i32Add().v128Load();
        if (f32) {
          f.f32x4DemoteF64x2Zero();
          f.get(row).get(offset).i32Add().v128Load(16).f32x4DemoteF64x2Zero();
          f.i8x16Shuffle(lanes32(0, 1, 4, 5));
        }
        f.set(rows[q]);
      }
      if (f32) {
        // Two 4 × 4 transposes: panel row t + i, columns 4g … 4g + 3 = rows[4g + r] lane i.
        for (const g of [0, 1]) {
          const [a, b, c, d] = rows.slice(4 * g, 4 * g + 4);
          f.get(a)
            .get(b)
            .i8x16Shuffle(lanes32(0, 4, 1, 5))
            .set(pairs[0]);
          f.get(a)
            .get(b)
            .i8x16Shuffle(lanes32(2, 6, 3, 7))
            .set(pairs[1]);
          f.get(c)
            .get(d)
            .i8x16Shuffle(lanes32(0, 4, 1, 5))
            .set(pairs[2]);
          f.get(c)
            .get(d)
            .i8x16Shuffle(lanes32(2, 6, 3, 7))
            .set(pairs[3]);
          for (let i = 0; i < 4; i++) {
            const [lo, hi] = i < 2 ? [pairs[0], pairs[2]] : [pairs[1], pairs[3]];
            const mask = i % 2 === 0 ? lanes32(0, 1, 4, 5) : lanes32(2, 3, 6, 7);
            f.get(to)
              .get(lo)
              .get(hi)
              .i8x16Shuffle(mask)
              .v128Store(32 * i + 16 * g);
          }
        }
      } else {
        // Panel row t + i, columns 2p, 2p + 1 = lane i of rows[2p] and rows[2p + 1].
        for (let i = 0; i < 2; i++)
          for (let p = 0; p < width / 2; p++) {
            const mask = i === 0 ? lanes32(0, 1, 4, 5) : lanes32(2, 3, 6, 7);
            f.get(to)
              .get(rows[2 * p])
              .get(rows[2 * p + 1])
              .i8x16Shuffle(mask)
              .v128Store(8 * width * i + 16 * p);
          }
      }
      f.get(offset)
        .i32(8 * step)
        .i32Add()
        .set(offset);
      f.get(to)
        .i32(format.bytes * width * step)
        .i32Add()
        .set(to);
    },
  );
}

/**
 * blockedWeights(dW, dZ, A, W, nOut, nIn, m, scale, decay, kcMax, mcMax, pack, panel, columns):
 * dW = scale · dZ·Aᵀ + decay · W in blocks, for the first `columns` columns of dW (a thread's
 * share: dW, A and W then point at its first column; rows keep their length nIn). The source
 * rows are columns of A: each column tile's kc × width slice of A is copied, transposed, into
 * `panel` (kc rows of `width` values; floats in f32) first.
 */
function blockedWeights(callees: Callees): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, F64, F64, I32, I32, I32, I32, I32]);
  const [dW, dZ, A, W, nOut, nIn, m, scale, decay, kcMax, mcMax, pack, panel, columns] = Array.from(
    { length: 14 },
    (_, k) => k,
  );
  const [kb, kc, ib, iEnd, j, i, t, from, tilePost, rowBytes, outBytes] = Array.from({ length: 11 }, () =>
    f.local(I32),
  );
  const { format } = callees;
  const rowOf = Array.from({ length: TILE_ROWS }, () => f.local(I32));
  const rowAt = Array.from({ length: format.widths[0] }, () => f.local(I32));
  const [to, offset, kcVector] = [f.local(I32), f.local(I32), f.local(I32)];
  const rows = rowAt.map(() => f.local(V128));
  const pairs = Array.from({ length: 4 }, () => f.local(V128));
  f.get(m).i32(3).i32Shl().set(rowBytes);
  f.get(nIn).i32(3).i32Shl().set(outBytes);
  loop(
    f,
    kb,
    () => f.i32(0),
    m,
    () => f.get(kc),
    () => {
      min(
        f,
        () => f.get(kcMax),
        () => f.get(m).get(kb).i32Sub(),
      );
      f.set(kc);
      f.get(kb).i32(0).i32GtS().set(from);
      f.i32(TILE_AFFINE).i32(TILE_NONE).get(kb).get(kc).i32Add().get(m).i32GeS().select().set(tilePost);
      loop(
        f,
        ib,
        () => f.i32(0),
        nOut,
        () => f.get(mcMax),
        () => {
          min(
            f,
            () => f.get(ib).get(mcMax).i32Add(),
            () => f.get(nOut),
          );
          f.set(iEnd);
          f.get(pack).get(dZ).get(rowBytes).i32(8).get(ib).get(iEnd).get(kb).get(kc).call(callees.pack);
          columnTiles(f, j, columns, format, callees.tiles, (width, tileFunction) => {
            // panel[t][q] = A[j + q][kb + t], from a pointer per row of A.
            for (let q = 0; q < width; q++) {
              f.get(A).get(j).i32(q).i32Add().get(rowBytes).i32Mul().i32Add();
              f.get(kb).i32(3).i32Shl().i32Add().set(rowAt[q]);
            }
            f.get(panel).set(to);
            f.i32(0).set(offset);
            f.i32(0).set(t);
            if (width === format.widths[0])
              transposeTerms(f, format, rowAt, { t, kc, offset, to, kcVector, rows, pairs });
            loop(
              f,
              t,
              () => f.get(t),
              kc,
              1,
              () => {
                for (let q = 0; q < width; q++) {
                  f.get(to).get(rowAt[q]).get(offset).i32Add().f64Load();
                  if (format.bytes === 8) f.f64Store(8 * q);
                  else f.f32DemoteF64().f32Store(4 * q);
                }
                f.get(offset).i32(8).i32Add().set(offset);
                f.get(to)
                  .i32(format.bytes * width)
                  .i32Add()
                  .set(to);
              },
            );
            rowTiles(
              f,
              format,
              { i, ib, iEnd, kc, pack },
              rowOf,
              (row) => f.get(dW).get(row).get(outBytes).i32Mul().i32Add().get(j).i32(3).i32Shl().i32Add(),
              () => {
                f.get(panel)
                  .i32(format.bytes * width)
                  .get(kc)
                  .get(from)
                  .get(tilePost);
                f.f64(0).f64(0).f64(0).f64(0);
                f.get(scale).get(decay).get(W).get(dW).i32Sub();
              },
              tileFunction,
            );
          });
        },
      );
    },
  );
  return f;
}

/**
 * The blocked functions, added to the module by kernel-module.ts starting at function number
 * `first`: for f64 then f32, the three tiles, packCoefficients, blockedDense and blockedWeights
 * (f32 ones suffixed 32, tiles _32). `fma` makes the f32 tiles use f32x4.relaxed_madd (the module then needs
 * relaxed SIMD); the f64 functions never change.
 */
export function blockedFunctions(first: number, fma = false): [string, FunctionBuilder][] {
  const list: [string, FunctionBuilder][] = [];
  for (const format of [F64_FORMAT, F32_FORMAT]) {
    const at = first + list.length;
    const callees: Callees = { format, tiles: [at, at + 1, at + 2], pack: at + 3 };
    const f64 = format.bytes === 8;
    const suffix = f64 ? "" : "32";
    for (const v of TILE_VECTORS) list.push(f64 ? [`tile${v}`, tile(v)] : [`tile${v}_32`, tile32(v, fma)]);
    list.push([`packCoefficients${suffix}`, packCoefficients(format)]);
    list.push([`blockedDense${suffix}`, blockedDense(callees)]);
    list.push([`blockedWeights${suffix}`, blockedWeights(callees)]);
  }
  return list;
}
