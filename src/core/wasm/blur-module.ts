/**
 * Elastic distortion's smoothing in WebAssembly: the two displacement fields of an image (dy and
 * dx) blurred together, one f64x2 per pixel holding (dy, dx), so each multiply and add serves both
 * fields. The arithmetic is that of the JavaScript reference (data/augment/elastic.ts): every sum
 * starts at 0 and adds kernel[t]·value in increasing t over the taps inside the image. Here the
 * fields sit in zero margins and every sum runs over all the taps: a tap outside adds
 * kernel[t]·(+0) = +0, which leaves any sum but −0 unchanged, and a sum that starts at +0 is never
 * −0 (x + y is −0 only when both are). So the bits are the reference's.
 */
import { F64, FunctionBuilder, I32, V128 } from "./encoder.js";

/** Bytes per pixel of a pair field: two doubles. */
const PAIR = 16;

/** Outputs summed at once, each in its own register: enough independent adds to fill the pipes. */
const BLOCKS = [7, 4, 1] as const;

/**
 * Byte offsets of blurPairsFunction's buffers after the uniforms (2n doubles at 0), for H×W
 * fields and radius r: the smoothed pairs, the raw pairs in rows with r zero pairs each side,
 * the rows' pass with r zero rows above and below, then the 2r + 1 taps. The margins must be
 * zero (a fresh memory is) and are never written.
 */
export function blurLayout(H: number, W: number, r: number) {
  const n = H * W;
  const pairs = 16 * n;
  const raw = pairs + PAIR * n;
  const rows = raw + PAIR * H * (W + 2 * r);
  const taps = rows + PAIR * (H + 2 * r) * W;
  return { pairs, raw, rows, taps, end: taps + 8 * (2 * r + 1) };
}

/**
 * (U, P, Rw, T, K, H, W, r), laid out as blurLayout says: U holds n = H·W uniforms for dy then n
 * for dx. Writes into P the pairs (−1 + 2·U[i], −1 + 2·U[n + i]) smoothed along rows and then
 * along columns, zeros beyond the edges.
 */
export function blurPairsFunction(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [U, P, Rw, T, K, H, W, R] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [n, at, to, end, h, w, t, last, tapBytes, i, k] = Array.from({ length: 11 }, () => f.local(I32));
  const c = f.local(V128);
  const sums = Array.from({ length: BLOCKS[0] }, () => f.local(V128));
  /** Pushes max(x, y), or min(x, y) with `least`, of what `x` and `y` push. */
  const extreme = (x: () => void, y: () => void, least = false) => {
    x();
    y();
    x();
    y();
    (least ? f.i32LtS() : f.i32GtS()).select();
  };
  const max = (x: () => void, y: () => void) => extreme(x, y);
  const min = (x: () => void, y: () => void) => extreme(x, y, true);

  /**
   * `to[j] = Σ_t K[t]·at[j + t·tapBytes]` for the `count` pairs from `to` and `at` (locals,
   * advanced past them): BLOCKS[0] sums at a time, then fewer for what is left. `taps(block)` sets
   * t and last to the taps [t, last] that reach inside the image for some output of the block
   * starting at output w (a local, counted from 0); the others read zeros and are skipped.
   */
  const convolve = (count: number, taps: (block: number) => void) => {
    f.get(to).get(count).i32(4).i32Shl().i32Add().set(end);
    f.i32(0).set(w);
    for (const block of BLOCKS) {
      const bytes = block * PAIR;
      f.block().loop();
      f.get(to).i32(bytes).i32Add().get(end).i32GtS().brIf(1);
      for (let j = 0; j < block; j++) f.f64(0).f64x2Splat().set(sums[j]);
      taps(block);
      f.get(at).get(t).get(tapBytes).i32Mul().i32Add().set(i);
      f.get(K).get(t).i32(3).i32Shl().i32Add().set(k);
      f.get(k).get(last).get(t).i32Sub().i32(3).i32Shl().i32Add().set(last);
      // k runs over the taps' addresses, to the last one's.
      f.block().loop();
      f.get(k).get(last).i32GtS().brIf(1);
      f.get(k).v128Load64Splat().set(c);
      for (let j = 0; j < block; j++)
        f.get(sums[j])
          .get(c)
          .get(i)
          .v128Load(j * PAIR)
          .f64x2Mul()
          .f64x2Add()
          .set(sums[j]);
      f.get(i).get(tapBytes).i32Add().set(i);
      f.get(k).i32(8).i32Add().set(k);
      f.br(0).end().end();
      for (let j = 0; j < block; j++)
        f.get(to)
          .get(sums[j])
          .v128Store(j * PAIR);
      f.get(to).i32(bytes).i32Add().set(to);
      f.get(at).i32(bytes).i32Add().set(at);
      f.get(w).i32(block).i32Add().set(w);
      f.br(0).end().end();
    }
  };

  f.get(H).get(W).i32Mul().set(n);

  // The raw pairs, −1 + 2u as rng.uniform(−1, 1) computes it, into the rows inside the margins.
  f.i32(0).set(h);
  f.whileBelow(
    h,
    () => f.get(H),
    () => {
      f.get(h).get(W).i32Mul().i32(3).i32Shl().get(U).i32Add().set(at);
      f.get(Rw)
        .get(h)
        .get(W)
        .get(R)
        .i32(1)
        .i32Shl()
        .i32Add()
        .i32Mul()
        .get(R)
        .i32Add()
        .i32(4)
        .i32Shl()
        .i32Add();
      f.set(to);
      f.get(to).get(W).i32(4).i32Shl().i32Add().set(end);
      f.whileBelow(
        to,
        () => f.get(end),
        () => {
          f.get(to).f64(-1).f64x2Splat().f64(2).f64x2Splat();
          // dx's uniform's address, then (dy's, dy's), whose lane 1 it replaces.
          f.get(at).get(n).i32(3).i32Shl().i32Add().get(at).v128Load64Splat().v128Load64Lane(1);
          f.f64x2Mul().f64x2Add().v128Store();
          f.get(at).i32(8).i32Add().set(at);
        },
        PAIR,
      );
    },
  );

  // Along rows: T[r + h, w] = Σ_t K[t]·Rw[h, w + t] (Rw's row h starts r pairs before pixel 0);
  // tap t reaches inside for outputs r − t ≤ w < r + W − t.
  f.i32(PAIR).set(tapBytes);
  f.i32(0).set(h);
  f.whileBelow(
    h,
    () => f.get(H),
    () => {
      f.get(Rw).get(h).get(W).get(R).i32(1).i32Shl().i32Add().i32Mul().i32(4).i32Shl().i32Add().set(at);
      f.get(T).get(R).get(h).i32Add().get(W).i32Mul().i32(4).i32Shl().i32Add().set(to);
      convolve(W, (block) => {
        max(
          () => f.i32(0),
          () =>
            f
              .get(R)
              .get(w)
              .i32Sub()
              .i32(block - 1)
              .i32Sub(),
        );
        f.set(t);
        min(
          () => f.get(R).i32(1).i32Shl(),
          () => f.get(R).get(W).i32Add().i32(1).i32Sub().get(w).i32Sub(),
        );
        f.set(last);
      });
    },
  );

  // Along columns, row by row: P[h, w] = Σ_t K[t]·T[h + t, w] (T's row h + t is image row
  // h − r + t); tap t reaches inside for r − t ≤ h < r + H − t.
  f.get(W).i32(4).i32Shl().set(tapBytes);
  f.get(P).set(to);
  f.i32(0).set(h);
  f.whileBelow(
    h,
    () => f.get(H),
    () => {
      f.get(T).get(h).get(W).i32Mul().i32(4).i32Shl().i32Add().set(at);
      convolve(W, () => {
        max(
          () => f.i32(0),
          () => f.get(R).get(h).i32Sub(),
        );
        f.set(t);
        min(
          () => f.get(R).i32(1).i32Shl(),
          () => f.get(R).get(H).i32Add().i32(1).i32Sub().get(h).i32Sub(),
        );
        f.set(last);
      });
    },
  );
  return f;
}

/**
 * (P, img, out, H, W, C, α, g): the distorted image. Output pixel (h, w) reads `img` at
 * (h + α·dy, w + α·dx), (dy, dx) the pair at P, by bilinear interpolation with 0 outside the
 * image: the arithmetic of data/augment/bilinear.ts's resampleInto, term for term. Both images
 * are columns of a block of g columns (consecutive values g doubles apart; g = 1: an image as
 * it is): `out` H×W×C, `img` (H + 2)×(W + 2)×C with a border of one zero pixel, where the
 * neighbours outside the image are read as the reference's 0 with no test. A point whose four
 * neighbours all lie outside writes 0 without reading.
 */
export function warpFunction(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, F64, I32]);
  const [P, img, out, H, W, C, alpha, g] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [h, w, c, a, b, o, p, pixel, row, step, origin] = Array.from({ length: 11 }, () => f.local(I32));
  const [fy, fx, gy, gx, top] = Array.from({ length: 5 }, () => f.local(F64));
  // (h, w), the point (h + α·dy, w + α·dx), its floor and fractions, and constant pairs.
  const [hw, point, floor, frac, alphas, size, nextW] = Array.from({ length: 7 }, () => f.local(V128));
  /** `for (x = 0; x < limit; x++) body()`. */
  const count = (x: number, limit: number, body: () => void) => {
    f.i32(0)
      .set(x)
      .whileBelow(x, () => f.get(limit), body);
  };
  /** The same over the channels, tested after each (C ≥ 1): one test for a gray image, not two. */
  const channels = (body: () => void) => {
    f.i32(0).set(c).loop();
    body();
    f.get(c).i32(1).i32Add().tee(c).get(C).i32LtS().brIf(0).end();
  };
  /** Pushes the pair (x, y) of what `x` and `y` push (f64 each). */
  const pair = (x: () => void, y: () => void) => {
    x();
    f.f64x2Splat();
    y();
    f.f64x2ReplaceLane(1);
  };

  f.get(g).i32(3).i32Shl().set(step);
  f.get(C).get(step).i32Mul().set(pixel);
  f.get(W).i32(2).i32Add().get(pixel).i32Mul().set(row);
  // Pixel (0, 0) of the bordered image: (y0, x0) is at origin + y0·row + x0·pixel.
  f.get(img).get(row).i32Add().get(pixel).i32Add().set(origin);
  f.get(alpha).f64x2Splat().set(alphas);
  pair(
    () => f.get(H).f64ConvertI32U(),
    () => f.get(W).f64ConvertI32U(),
  );
  f.set(size);
  pair(
    () => f.f64(0),
    () => f.f64(1),
  );
  f.set(nextW);
  f.get(P).set(p);
  f.get(out).set(o);
  count(h, H, () => {
    pair(
      () => f.get(h).f64ConvertI32U(),
      () => f.f64(0),
    );
    f.set(hw);
    count(w, W, () => {
      // Both coordinates at once, lane by lane the reference's h + α·dy and w + α·dx.
      f.get(hw).get(p).v128Load().get(alphas).f64x2Mul().f64x2Add().set(point);
      f.get(hw).get(nextW).f64x2Add().set(hw);
      f.get(p).i32(PAIR).i32Add().set(p);
      // Inside when −1 ≤ point < (H, W) in both lanes.
      f.get(point).f64(-1).f64x2Splat().f64x2Ge().get(point).get(size).f64x2Lt().v128And().i64x2AllTrue();
      f.if();
      f.get(point).f64x2Floor().tee(floor);
      f.get(point).get(floor).f64x2Sub().tee(frac).f64x2ExtractLane(0).set(fy);
      f.get(frac).f64x2ExtractLane(1).set(fx);
      f.f64(1).get(fy).f64Sub().set(gy);
      f.f64(1).get(fx).f64Sub().set(gx);
      f.i32x4TruncSatF64x2SZero();
      f.tee(floor).i32x4ExtractLane(0).get(row).i32Mul().get(origin).i32Add();
      f.get(floor).i32x4ExtractLane(1).get(pixel).i32Mul().i32Add().set(a);
      f.get(a).get(row).i32Add().set(b);
      channels(() => {
        // top = v00·gx + v01·fx, bottom = v10·gx + v11·fx, out = top·gy + bottom·fy.
        f.get(a).f64Load().get(gx).f64Mul();
        f.get(a).get(pixel).i32Add().f64Load().get(fx).f64Mul().f64Add().set(top);
        f.get(o).get(top).get(gy).f64Mul();
        f.get(b).f64Load().get(gx).f64Mul();
        f.get(b).get(pixel).i32Add().f64Load().get(fx).f64Mul().f64Add();
        f.get(fy).f64Mul().f64Add().f64Store();
        f.get(a).get(step).i32Add().set(a);
        f.get(b).get(step).i32Add().set(b);
        f.get(o).get(step).i32Add().set(o);
      });
      f.else();
      channels(() => {
        f.get(o).f64(0).f64Store();
        f.get(o).get(step).i32Add().set(o);
      });
      f.end();
    });
  });
  return f;
}

/** The functions of the elastic module, in the order elasticColumnsFunction calls them by. */
export const ELASTIC_FUNCTIONS = ["blurPairs", "warp", "uniforms", "elasticColumns"] as const;

/**
 * (state, pos, U, P, Rw, T, K, H, W, r, C, α, src, dst, g) → pos: each of the g columns of the
 * features × g block at `src` distorted into the same column at `dst`, in turn: its 2·H·W
 * uniforms drawn from the generator at `state` (next word number `pos`) into U, the pair fields
 * smoothed (blurPairs) and the image warped (warp). Returns the generator's new position. One call
 * per block: the generator's state crosses into WebAssembly once, not once per image.
 */
export function elasticColumnsFunction(): FunctionBuilder {
  const f = new FunctionBuilder(
    [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, I32, I32, I32],
    [I32],
  );
  const [state, pos, U, P, Rw, T, K, H, W, R, C, alpha, src, dst, g] = Array.from(
    { length: 15 },
    (_, i) => i,
  );
  const [j, column] = [f.local(I32), f.local(I32)];
  const index = (name: (typeof ELASTIC_FUNCTIONS)[number]) => ELASTIC_FUNCTIONS.indexOf(name);
  f.i32(0).set(j);
  f.whileBelow(
    j,
    () => f.get(g),
    () => {
      f.get(state).get(pos).get(U).get(H).get(W).i32Mul().i32(1).i32Shl().f64(0).f64(0);
      f.call(index("uniforms")).set(pos);
      f.get(U).get(P).get(Rw).get(T).get(K).get(H).get(W).get(R).call(index("blurPairs"));
      f.get(j).i32(3).i32Shl().set(column);
      f.get(P).get(src).get(column).i32Add().get(dst).get(column).i32Add();
      f.get(H).get(W).get(C).get(alpha).get(g).call(index("warp"));
    },
  );
  f.get(pos);
  return f;
}
