/**
 * Flips and pad-crops of a whole batch in WebAssembly: every output value copied from where its
 * example's pixel map says, into the features × examples layout (see data/augment/pixel-map.ts,
 * whose JavaScript `copy` is the reference). A copy moves doubles unchanged, so the bits are the
 * reference's by construction; the gain is a tight loop with no bounds checks.
 */
import { FunctionBuilder, I32 } from "./encoder.js";

/** The map arrays' order in memory: m i32 each, from `maps`. */
export const MAP_FIELDS = ["oy", "ox", "sx", "hlo", "hhi", "wlo", "whi"] as const;

/** Bytes of the maps for m examples (the source may start there). */
export const mapBytes = (m: number): number => Math.ceil((4 * MAP_FIELDS.length * m) / 16) * 16;

/**
 * (src, dst, maps, H, W, C, m): `dst` gets H·W·C rows of m doubles; `src` holds the same values
 * by image rows: for each row h, each example's row h (W·C values, as in its image) in turn. For
 * each example j and output pixel (h, w), channel c: dst[(h·W + w)·C + c][j] = the source's
 * ((h + oy), sx·w + ox, c) of example j inside [hlo, hhi) × [wlo, whi), and 0 outside. The
 * output rows of image row h (one block of W·C·m doubles) are zeroed first, in order (bulk
 * memory.fill); each example then writes only its run of copies (the source stepping by ±1
 * pixel, read front to back or back to front), with no test per pixel, down those rows, which
 * stay in cache while the examples fill them (zeroing first beat writing the zero runs example
 * by example: the block comes into cache in order rather than a line per example's store). (The features × examples layout as the source, an example's pixel read from a row
 * of all the examples, measured a third slower with a crop: its reads reach 4 image rows around
 * each output row, a window of 2.5 MB on the cat batch.)
 */
export function remapFunction(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32]);
  const [src, dst, maps, H, W, C, m] = [0, 1, 2, 3, 4, 5, 6];
  const [h, w, j, c, a, o, ac, oc, lo, hi, step, rowD, pixelD, inside, sx] = Array.from({ length: 15 }, () =>
    f.local(I32),
  );
  const field = (name: (typeof MAP_FIELDS)[number]) =>
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
  /** One output pixel's C channels copied from a, then o on a pixel. */
  const pixel = () => {
    f.get(o).set(oc);
    f.get(a).set(ac);
    f.i32(0).set(c);
    f.whileBelow(
      c,
      () => f.get(C),
      () => {
        f.get(oc).get(ac).f64Load().f64Store();
        f.get(oc).get(rowD).i32Add().set(oc);
        f.get(ac).i32(8).i32Add().set(ac);
      },
    );
    f.get(o).get(pixelD).i32Add().set(o);
  };

  f.get(m).i32(3).i32Shl().set(rowD);
  f.get(C).get(rowD).i32Mul().set(pixelD);
  f.i32(0).set(h);
  f.whileBelow(
    h,
    () => f.get(H),
    () => {
      // Image row h's output rows (one block of W·C·m doubles) zeroed first, in order: the
      // examples then write only their copied runs into lines already in cache.
      f.get(dst).get(h).get(W).i32Mul().get(pixelD).i32Mul().i32Add();
      f.i32(0).get(W).get(pixelD).i32Mul().memoryFill();
      f.i32(0).set(j);
      f.whileBelow(
        j,
        () => f.get(m),
        () => {
          // The copied run [lo, hi): [wlo, whi) on a row inside [hlo, hhi), else empty.
          f.get(h);
          field("hlo");
          f.i32GeS().get(h);
          field("hhi");
          f.i32LtS().i32And().set(inside);
          field("wlo");
          f.get(W).get(inside).select().set(lo);
          field("whi");
          f.get(W).get(inside).select().set(hi);
          f.get(hi).get(lo).get(hi).get(lo).i32GtS().select().set(hi);
          field("sx");
          f.tee(sx).get(C).i32Mul().i32(3).i32Shl().set(step);
          // a = src + (((h + oy)·m + j)·W + sx·lo + ox)·C·8: the run's first source pixel.
          f.get(src).get(h);
          field("oy");
          f.i32Add().get(m).i32Mul().get(j).i32Add().get(W).i32Mul().get(sx).get(lo).i32Mul().i32Add();
          field("ox");
          f.i32Add().get(C).i32Mul().i32(3).i32Shl().i32Add().set(a);
          f.get(dst)
            .get(h)
            .get(W)
            .i32Mul()
            .get(pixelD)
            .i32Mul()
            .i32Add()
            .get(j)
            .i32(3)
            .i32Shl()
            .i32Add()
            .set(o);
          f.get(lo).set(w);
          f.get(o).get(lo).get(pixelD).i32Mul().i32Add().set(o);
          f.whileBelow(
            w,
            () => f.get(hi),
            () => {
              pixel();
              f.get(a).get(step).i32Add().set(a);
            },
          );
        },
      );
    },
  );
  return f;
}
