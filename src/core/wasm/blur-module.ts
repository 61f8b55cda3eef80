/**
 * Elastic distortion's smoothing in WebAssembly: the two displacement fields of an image (dy and
 * dx) blurred together, one f64x2 per pixel holding (dy, dx), so each multiply and add serves both
 * fields. The arithmetic is that of the JavaScript reference (data/augment/elastic.ts): every sum
 * starts at 0 and adds kernel[t]·value for the taps that fall inside the image, in increasing t;
 * only the loop order differs (tap by tap over a row instead of pixel by pixel), so the bits are
 * the same.
 */
import { F64, FunctionBuilder, I32, V128 } from "./encoder.js";

/** Bytes per pixel of a pair field: two doubles. */
const PAIR = 16;

/**
 * (U, P, T, K, H, W, r): with n = H·W, U holds n uniforms for dy then n for dx; K the 2r + 1
 * kernel taps. Writes into P the pairs (−1 + 2·U[i], −1 + 2·U[n + i]) smoothed along rows (into
 * T) and then along columns (back into P), zeros beyond the edges.
 */
export function blurPairsFunction(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32]);
  const [U, P, T, K, H, W, R] = [0, 1, 2, 3, 4, 5, 6];
  const n = f.local(I32);
  const at = f.local(I32);
  const to = f.local(I32);
  const end = f.local(I32);
  const h = f.local(I32);
  const t = f.local(I32);
  const shift = f.local(I32);
  const lo = f.local(I32);
  const hi = f.local(I32);
  const rowBytes = f.local(I32);
  const c = f.local(V128);

  /** `while (at < end) { body(); at += PAIR; to += PAIR }` */
  const pairLoop = (body: () => void) => {
    f.block().loop();
    f.get(to).get(end).i32GeS().brIf(1);
    body();
    f.get(at).i32(PAIR).i32Add().set(at);
    f.get(to).i32(PAIR).i32Add().set(to);
    f.br(0);
    f.end().end();
  };
  /** `to[·] += c · at[·]` over one run. */
  const accumulate = () =>
    pairLoop(() => {
      f.get(to).get(to).v128Load().get(c).get(at).v128Load().f64x2Mul().f64x2Add().v128Store();
    });
  /** Zeros `bytes` from `start` (a local), one pair at a time. */
  const zero = (start: number) => {
    f.get(start).set(to);
    f.get(start).get(n).i32(4).i32Shl().i32Add().set(end);
    pairLoop(() => {
      f.get(to).f64(0).f64x2Splat().v128Store();
    });
  };
  /** `for (x = from; x < to; x++) body()` over a local. */
  const count = (x: number, from: () => void, limit: () => void, body: () => void) => {
    from();
    f.set(x).whileBelow(x, limit, body);
  };
  /** Pushes max(a, b) or min(a, b) of two i32 locals. */
  const max = (a: number, b: number) => f.get(a).get(b).get(a).get(b).i32GtS().select();
  const min = (a: number, b: number) => f.get(a).get(b).get(a).get(b).i32LtS().select();
  const splatTap = () => f.get(K).get(t).i32(3).i32Shl().i32Add().v128Load64Splat().set(c);

  f.get(H).get(W).i32Mul().set(n);
  f.get(W).i32(4).i32Shl().set(rowBytes);

  // The raw pairs: −1 + 2u, as rng.uniform(−1, 1) computes it.
  f.i32(0).set(at);
  f.get(P).set(to);
  f.get(P).get(n).i32(4).i32Shl().i32Add().set(end);
  pairLoop(() => {
    f.get(to).f64(-1).f64x2Splat().f64(2).f64x2Splat();
    f.get(U).get(at).i32(1).i32ShrU().i32Add().get(n).i32(3).i32Shl().i32Add();
    f.get(U).get(at).i32(1).i32ShrU().i32Add().v128Load64Splat();
    f.v128Load64Lane(1);
    f.f64x2Mul().f64x2Add().v128Store();
  });

  // Along rows, tap by tap: T[h, w] += k[t]·P[h, w + t − r] for 0 ≤ w + t − r < W.
  zero(T);
  count(
    h,
    () => f.i32(0),
    () => f.get(H),
    () => {
      count(
        t,
        () => f.i32(0),
        () => f.get(R).i32(1).i32Shl().i32(1).i32Add(),
        () => {
          splatTap();
          f.get(t).get(R).i32Sub().set(shift);
          f.i32(0).set(lo);
          f.i32(0).get(shift).i32Sub().set(hi);
          max(lo, hi).set(lo);
          f.get(W).set(hi);
          f.get(W).get(shift).i32Sub().set(end);
          min(hi, end).set(hi);
          f.get(T).get(h).get(rowBytes).i32Mul().i32Add().set(to);
          f.get(to).get(hi).i32(4).i32Shl().i32Add().set(end);
          f.get(to).get(lo).i32(4).i32Shl().i32Add().set(to);
          f.get(P)
            .get(h)
            .get(rowBytes)
            .i32Mul()
            .i32Add()
            .get(lo)
            .get(shift)
            .i32Add()
            .i32(4)
            .i32Shl()
            .i32Add()
            .set(at);
          accumulate();
        },
      );
    },
  );

  // Along columns: P[h, w] += k[t]·T[h + t − r, w] for 0 ≤ h + t − r < H.
  zero(P);
  count(
    h,
    () => f.i32(0),
    () => f.get(H),
    () => {
      f.get(R).get(h).i32Sub().set(lo);
      f.i32(0).set(t);
      max(lo, t).set(lo);
      f.get(H).get(h).i32Sub().get(R).i32Add().set(hi);
      f.get(R).i32(1).i32Shl().i32(1).i32Add().set(t);
      min(hi, t).set(hi);
      count(
        t,
        () => f.get(lo),
        () => f.get(hi),
        () => {
          splatTap();
          f.get(P).get(h).get(rowBytes).i32Mul().i32Add().set(to);
          f.get(to).get(rowBytes).i32Add().set(end);
          f.get(T).get(h).get(t).i32Add().get(R).i32Sub().get(rowBytes).i32Mul().i32Add().set(at);
          accumulate();
        },
      );
    },
  );
  return f;
}

/**
 * (P, img, out, H, W, C, α): the distorted image. Output pixel (h, w) reads `img` (H×W×C) at
 * (h + α·dy, w + α·dx), (dy, dx) the pair at P, by bilinear interpolation with 0 outside the
 * image: the arithmetic of data/augment/bilinear.ts's resampleInto, term for term. A point
 * whose four neighbours all lie outside writes 0 without reading; otherwise neighbours outside
 * are read (from the margins the caller leaves around `img`) and replaced by 0.
 */
export function warpFunction(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, F64]);
  const [P, img, out, H, W, C, alpha] = [0, 1, 2, 3, 4, 5, 6];
  const [h, w, c, y0, x0, a, b, o, p, inY0, inY1, inX0, inX1, pixel, row] = Array.from({ length: 15 }, () =>
    f.local(I32),
  );
  const [py, px, fy, fx, gy, gx, top, Hf, Wf] = Array.from({ length: 9 }, () => f.local(F64));
  /** `for (x = 0; x < limit; x++) body()`. */
  const count = (x: number, limit: number, body: () => void) => {
    f.i32(0)
      .set(x)
      .whileBelow(x, () => f.get(limit), body);
  };
  /** Pushes the f64 at the address `at()` pushes, or 0 where `inside()` pushes 0. */
  const read = (at: () => void, inside: () => void) => {
    at();
    f.f64Load().f64(0);
    inside();
    f.select();
  };

  f.get(C).i32(3).i32Shl().set(pixel);
  f.get(W).get(pixel).i32Mul().set(row);
  f.get(H).f64ConvertI32U().set(Hf);
  f.get(W).f64ConvertI32U().set(Wf);
  f.get(P).set(p);
  f.get(out).set(o);
  count(h, H, () => {
    count(w, W, () => {
      f.get(h).f64ConvertI32U().get(p).f64Load().get(alpha).f64Mul().f64Add().set(py);
      f.get(w).f64ConvertI32U().get(p).f64Load(8).get(alpha).f64Mul().f64Add().set(px);
      f.get(p).i32(16).i32Add().set(p);
      f.get(py).f64(-1).f64Ge().get(py).get(Hf).f64Lt().i32And();
      f.get(px).f64(-1).f64Ge().i32And().get(px).get(Wf).f64Lt().i32And();
      f.if();
      f.get(py).f64Floor().tee(fy).i32TruncF64S().set(y0);
      f.get(py).get(fy).f64Sub().set(fy);
      f.get(px).f64Floor().tee(fx).i32TruncF64S().set(x0);
      f.get(px).get(fx).f64Sub().set(fx);
      f.f64(1).get(fy).f64Sub().set(gy);
      f.f64(1).get(fx).f64Sub().set(gx);
      f.get(y0).i32(0).i32GeS().set(inY0);
      f.get(y0).i32(1).i32Add().get(H).i32LtS().set(inY1);
      f.get(x0).i32(0).i32GeS().set(inX0);
      f.get(x0).i32(1).i32Add().get(W).i32LtS().set(inX1);
      f.get(img).get(y0).get(W).i32Mul().get(x0).i32Add().get(pixel).i32Mul().i32Add().set(a);
      f.get(a).get(row).i32Add().set(b);
      count(c, C, () => {
        // top = v00·gx + v01·fx, bottom = v10·gx + v11·fx, out = top·gy + bottom·fy.
        read(
          () => f.get(a),
          () => f.get(inY0).get(inX0).i32And(),
        );
        f.get(gx).f64Mul();
        read(
          () => f.get(a).get(pixel).i32Add(),
          () => f.get(inY0).get(inX1).i32And(),
        );
        f.get(fx).f64Mul().f64Add().set(top);
        f.get(o).get(top).get(gy).f64Mul();
        read(
          () => f.get(b),
          () => f.get(inY1).get(inX0).i32And(),
        );
        f.get(gx).f64Mul();
        read(
          () => f.get(b).get(pixel).i32Add(),
          () => f.get(inY1).get(inX1).i32And(),
        );
        f.get(fx).f64Mul().f64Add();
        f.get(fy).f64Mul().f64Add().f64Store();
        f.get(a).i32(8).i32Add().set(a);
        f.get(b).i32(8).i32Add().set(b);
        f.get(o).i32(8).i32Add().set(o);
      });
      f.else();
      count(c, C, () => {
        f.get(o).f64(0).f64Store();
        f.get(o).i32(8).i32Add().set(o);
      });
      f.end();
    });
  });
  return f;
}
