/**
 * Flips and pad-crops of a whole batch in WebAssembly: every output value copied from where its
 * example's pixel map says, in the features × examples layout (see data/augment/pixel-map.ts,
 * whose JavaScript `copy` is the reference). A copy moves doubles unchanged, so the bits are the
 * reference's by construction; the gain is a tight loop with no bounds checks.
 */
import { FunctionBuilder, I32 } from "./encoder.js";

/** The map arrays' order in memory: m i32 each, from `maps`. */
export const MAP_FIELDS = ["oy", "ox", "sx", "hlo", "hhi", "wlo", "whi"] as const;

/**
 * After the maps, per example, for the current image row: its source address at w = 0, its
 * columns [lo, hi), its step per pixel, and the current pixel's source address (i32 each).
 */
const SCRATCH = ["base", "lo", "hi", "step", "at"] as const;
const RECORD = 4 * SCRATCH.length;
const offset = (name: (typeof SCRATCH)[number]) => 4 * SCRATCH.indexOf(name);

/** Bytes of the maps and the scratch records for m examples (the source may start there). */
export const mapBytes = (m: number): number => Math.ceil((4 * MAP_FIELDS.length * m + RECORD * m) / 16) * 16;

/**
 * (src, dst, maps, H, W, C, m): `src` holds H·W·C rows of m + 1 doubles, the last of each
 * row 0; `dst` H·W·C rows of m. For each example j and output pixel (h, w), channel c:
 * dst[(h·W + w)·C + c][j] = src[((h + oy)·W + sx·w + ox)·C + c][j] inside [hlo, hhi) × [wlo,
 * whi), and row c's zero otherwise. For each output pixel every example's source address is found
 * once (no test: outside reads the zero column); each channel is then one pass over the
 * examples, writing its output row front to back. (Blocks of 32 or 64 examples, to keep the
 * source rows around each output row in cache, measured slower on the cat batch: whole rows
 * stream.)
 */
export function remapFunction(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32]);
  const [src, dst, maps, H, W, C, m] = [0, 1, 2, 3, 4, 5, 6];
  const [h, w, j, c, o, p, q, end, rowS, rowD, pixelS, zero, inside, coff, r, rEnd] = Array.from(
    { length: 16 },
    () => f.local(I32),
  );
  /** Pushes the address of example j's value in map array k. */
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
  /** Sets `r` to example j's scratch record. */
  const record = () =>
    f
      .get(maps)
      .get(m)
      .i32(4 * MAP_FIELDS.length)
      .i32Mul()
      .i32Add()
      .get(j)
      .i32(RECORD)
      .i32Mul()
      .i32Add()
      .set(r);
  /** `for (; x < limit; x += by) body()`, the start already in x. */
  const loop = (x: number, limit: () => void, by: () => void, body: () => void) => {
    f.block().loop();
    f.get(x);
    limit();
    f.i32GeS().brIf(1);
    body();
    f.get(x);
    by();
    f.i32Add().set(x).br(0);
    f.end().end();
  };
  const one = () => f.i32(1);

  f.get(m).i32(1).i32Add().i32(3).i32Shl().set(rowS);
  f.get(m).i32(3).i32Shl().set(rowD);
  f.get(C).get(rowS).i32Mul().set(pixelS);
  f.get(src).get(m).i32(3).i32Shl().i32Add().set(zero);
  f.i32(0).set(h);
  loop(
    h,
    () => f.get(H),
    one,
    () => {
      // Each example's row: its columns [lo, hi) (none when the row is outside), its source
      // address at w = 0 and its step per pixel.
      f.i32(0).set(j);
      loop(
        j,
        () => f.get(m),
        one,
        () => {
          record();
          f.get(h);
          field("hlo");
          f.i32GeS().get(h);
          field("hhi");
          f.i32LtS().i32And().set(inside);
          f.get(r);
          field("wlo");
          f.get(W).get(inside).select().i32Store(offset("lo"));
          f.get(r);
          field("whi");
          f.i32(0).get(inside).select().i32Store(offset("hi"));
          f.get(r);
          field("sx");
          f.get(pixelS).i32Mul().i32Store(offset("step"));
          f.get(r).get(src).get(h);
          field("oy");
          f.i32Add().get(W).i32Mul();
          field("ox");
          f.i32Add().get(pixelS).i32Mul().i32Add().get(j).i32(3).i32Shl().i32Add().i32Store(offset("base"));
        },
      );
      // The records: [r, rEnd).
      f.i32(0).set(j);
      record();
      f.get(r).get(m).i32(RECORD).i32Mul().i32Add().set(rEnd);
      f.i32(0).set(w);
      loop(
        w,
        () => f.get(W),
        one,
        () => {
          f.get(r).set(p);
          loop(
            p,
            () => f.get(rEnd),
            () => f.i32(RECORD),
            () => {
              f.get(p);
              f.get(p).i32Load(offset("base")).get(p).i32Load(offset("step")).get(w).i32Mul().i32Add();
              f.get(zero);
              f.get(w).get(p).i32Load(offset("lo")).i32GeS();
              f.get(w).get(p).i32Load(offset("hi")).i32LtS().i32And();
              f.select().i32Store(offset("at"));
            },
          );
          // dst + ((h·W + w)·C)·8m: channel 0's output row.
          f.get(dst)
            .get(h)
            .get(W)
            .i32Mul()
            .get(w)
            .i32Add()
            .get(C)
            .i32Mul()
            .get(rowD)
            .i32Mul()
            .i32Add()
            .set(o);
          f.i32(0).set(coff);
          f.i32(0).set(c);
          loop(
            c,
            () => f.get(C),
            one,
            () => {
              f.get(r).set(p);
              f.get(o).set(q);
              f.get(o).get(m).i32(3).i32Shl().i32Add().set(end);
              loop(
                q,
                () => f.get(end),
                () => f.i32(8),
                () => {
                  f.get(q).get(p).i32Load(offset("at")).get(coff).i32Add().f64Load().f64Store();
                  f.get(p).i32(RECORD).i32Add().set(p);
                },
              );
              f.get(o).get(rowD).i32Add().set(o);
              f.get(coff).get(rowS).i32Add().set(coff);
            },
          );
        },
      );
    },
  );
  return f;
}
