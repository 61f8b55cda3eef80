/**
 * Flips and pad-crops of a whole batch in WebAssembly: every output value copied from where its
 * example's pixel map says, into the features × examples layout (see data/augment/pixel-map.ts,
 * whose JavaScript `copy` is the reference). A copy moves values unchanged, so the bits are the
 * reference's by construction; the gain is a tight loop with no bounds checks.
 */
import { FunctionBuilder, I32 } from "./encoder.js";

/** The map arrays' order in memory: m i32 each, from `maps`. */
export const MAP_FIELDS = ["oy", "ox", "sx", "hlo", "hhi", "wlo", "whi"] as const;
/** Bytes of the maps, from `maps`, rounded so that the addresses after them start 16-byte aligned. */
const fieldBytes = (m: number): number => Math.ceil((4 * MAP_FIELDS.length * m) / 16) * 16;

/**
 * Bytes of the maps and the kernel's scratch for m examples of width W (the table may start
 * there): after the maps, for one image row at a time, each pixel's source address for each
 * example (W rows of m i32).
 */
export const mapBytes = (m: number, W: number): number => fieldBytes(m) + Math.ceil((4 * W * m) / 16) * 16;

/**
 * Bytes between one image and the next in the source. Images of 64·64·3 bytes (or doubles) would
 * start a multiple of 4 KiB apart, so that the same pixel of every example fell in the same
 * cache set: flips alone, where every example reads the same row, ran 1.7× slower than crops.
 */
export const IMAGE_GAP = 64;

/** Bytes of a byte source's table: the value of each of the 256 codes, as a double. */
export const TABLE_BYTES = 256 * 8;

/**
 * (src, dst, maps, H, W, C, m, table): `dst` gets H·W·C rows of m doubles; `src` holds the m
 * images one after the other (H·W·C values each, as in the image, then IMAGE_GAP bytes), then
 * one black pixel (C values). With `bytes` a value is a code, read as table[code] (a table of
 * doubles, black coded 0); otherwise it is the double itself. For example j and output pixel (h, w), channel c:
 * dst[(h·W + w)·C + c][j] = the source's (h + oy, sx·w + ox, c) of example j inside
 * [hlo, hhi) × [wlo, whi), and black outside. Each output row is written front to back, all the
 * examples in turn, from one address per example and pixel: the writes stream like a copy's, and
 * the reads stay within each example's few source rows. The addresses are set once per image
 * row, example by example: black, its window's run stepping by a pixel, black (computing each
 * one per pixel, window test and all, took a fifth longer). (Writing each example's run of pixels
 * down a block of output rows, from a source laid out by image rows, measured 2.5× slower on the
 * cat batch: every value went to its own cache line, 1.6 KB from the last.) A byte source is an
 * eighth of the doubles: on the cat batch, 2.5 MB that stays in cache from one step to the next.
 */
export function remapFunction(bytes: boolean): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [src, dst, maps, H, W, C, m, table] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [h, w, j, c, n, pixel, black, rowD, d, p, end, lo, hi, step, shift, at, q, a, rowA] = Array.from(
    { length: 19 },
    () => f.local(I32),
  );
  const size = bytes ? 0 : 3;
  /** dst row's value k (from d) from example k's pixel (from p), channel `shift` bytes in. */
  const copy = (k: number) => {
    f.get(d);
    if (bytes) f.get(table);
    f.get(p)
      .i32Load(4 * k)
      .get(shift)
      .i32Add();
    if (bytes) f.i32Load8U().i32(3).i32Shl().i32Add();
    f.f64Load().f64Store(8 * k);
  };
  /** Pushes map field `name`'s entry j. */
  const load = (name: (typeof MAP_FIELDS)[number]) =>
    f
      .get(maps)
      .get(m)
      .i32(4 * MAP_FIELDS.indexOf(name))
      .i32Mul()
      .i32Add()
      .get(j)
      .i32(2)
      .i32Shl()
      .i32Add()
      .i32Load();
  /** `while (w < limit) { q ← address(); q += rowA; w++ }`: example j's addresses for pixels w…. */
  const fill = (limit: number, address: () => void) =>
    f.whileBelow(
      w,
      () => f.get(limit),
      () => {
        f.get(q);
        address();
        f.i32Store();
        f.get(q).get(rowA).i32Add().set(q);
      },
    );

  f.get(H).get(W).i32Mul().get(C).i32Mul().i32(size).i32Shl().i32(IMAGE_GAP).i32Add().set(n);
  f.get(C).i32(size).i32Shl().set(pixel);
  f.get(src).get(m).get(n).i32Mul().i32Add().set(black);
  f.get(m).i32(3).i32Shl().set(rowD);
  f.get(m).i32(2).i32Shl().set(rowA);
  // The addresses from maps + fieldBytes(m): pixel w's, example j's at at + w·rowA + 4j.
  f.get(maps)
    .get(m)
    .i32(4 * MAP_FIELDS.length)
    .i32Mul()
    .i32(15)
    .i32Add()
    .i32(-16)
    .i32And()
    .i32Add()
    .set(at);
  f.i32(0).set(h);
  f.whileBelow(
    h,
    () => f.get(H),
    () => {
      // Each example's addresses for row h: black before its columns [lo, hi) (none on a row
      // outside [hlo, hhi)), then base + w·step from base = src + j·n + ((h + oy)·W + ox)·pixel
      // (n the bytes from one image to the next) and step = sx·pixel, then black again.
      f.i32(0).set(j);
      f.whileBelow(
        j,
        () => f.get(m),
        () => {
          f.get(h);
          load("hlo");
          f.i32GeS().get(h);
          load("hhi");
          f.i32LtS().i32And().if();
          load("wlo");
          f.set(lo);
          f.get(lo).get(W).get(lo).get(W).i32LtS().select().set(lo);
          load("whi");
          f.set(hi);
          f.get(hi).get(lo).get(hi).get(lo).i32GtS().select().set(hi);
          f.else();
          f.i32(0).tee(lo).set(hi);
          f.end();
          load("sx");
          f.get(pixel).i32Mul().set(step);
          f.get(src).get(j).get(n).i32Mul().i32Add().get(h);
          load("oy");
          f.i32Add().get(W).i32Mul();
          load("ox");
          f.i32Add().get(pixel).i32Mul().i32Add().get(lo).get(step).i32Mul().i32Add().set(a);
          f.get(at).get(j).i32(2).i32Shl().i32Add().set(q);
          f.i32(0).set(w);
          fill(lo, () => f.get(black));
          fill(hi, () => {
            f.get(a);
            f.get(a).get(step).i32Add().set(a);
          });
          fill(W, () => f.get(black));
        },
      );
      f.i32(0).set(w);
      f.whileBelow(
        w,
        () => f.get(W),
        () => {
          f.i32(0).set(c);
          f.whileBelow(
            c,
            () => f.get(C),
            () => {
              // Output row ((h·W + w)·C + c), from each example's pixel's channel c.
              f.get(dst).get(h).get(W).i32Mul().get(w).i32Add().get(C).i32Mul().get(c).i32Add();
              f.get(rowD).i32Mul().i32Add().set(d);
              f.get(c).i32(size).i32Shl().set(shift);
              f.get(at).get(w).get(rowA).i32Mul().i32Add().tee(p).get(rowA).i32Add().set(end);
              // Two examples a turn, then the last one if m is odd.
              f.whileBelow(
                p,
                () => f.get(end).i32(-4).i32Add(),
                () => {
                  copy(0);
                  copy(1);
                  f.get(d).i32(16).i32Add().set(d);
                },
                8,
              );
              f.get(p).get(end).i32LtS().if();
              copy(0);
              f.end();
            },
          );
        },
      );
    },
  );
  return f;
}
