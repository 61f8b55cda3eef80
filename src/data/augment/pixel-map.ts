import type { RandomState } from "../../core/random.js";
import type { ImageShape } from "../dataset.js";

/**
 * Flips and pad-crops as whole-batch copies. Each maps output pixel (h, w) to a source pixel or
 * to black, and so does any chain of them: output (h, w) reads source (h + oy, sx·w + ox) inside
 * a rectangle [hlo, hhi) × [wlo, whi) and 0 outside. A batch keeps one such map per example;
 * each transform composes its draw onto it (drawing from the generator as its `into` does), and
 * one pass then copies every output value from where it comes — row by row in the trainer's
 * features × examples layout, all examples at once — with no per-example transposes.
 */
export class PixelMaps {
  oy = new Int32Array(0);
  ox = new Int32Array(0);
  /** +1, or −1 where the columns are mirrored. */
  sx = new Int32Array(0);
  hlo = new Int32Array(0);
  hhi = new Int32Array(0);
  wlo = new Int32Array(0);
  whi = new Int32Array(0);
  /** Per example: the source index of the current pixel's (row's) channel 0, or −1 (black). */
  private at = new Float64Array(0);
  private row = new Float64Array(0);
  /** The mirrored examples, for mirrorInPlace. */
  private chosen = new Int32Array(0);

  /** Sets the first m maps to the identity on `shape`. */
  reset(m: number, shape: ImageShape): void {
    if (this.oy.length < m) {
      for (const key of ["oy", "ox", "sx", "hlo", "hhi", "wlo", "whi"] as const)
        this[key] = new Int32Array(m);
    }
    this.oy.fill(0, 0, m);
    this.ox.fill(0, 0, m);
    this.sx.fill(1, 0, m);
    this.hlo.fill(0, 0, m);
    this.hhi.fill(shape.height, 0, m);
    this.wlo.fill(0, 0, m);
    this.whi.fill(shape.width, 0, m);
  }

  /** Example j's image, then shifted: output (h, w) reads (h + dy, w + dx), black outside. */
  shift(j: number, dy: number, dx: number, shape: ImageShape): void {
    this.oy[j] += dy;
    this.ox[j] += this.sx[j] * dx;
    this.hlo[j] = Math.max(0, this.hlo[j] - dy);
    this.hhi[j] = Math.min(shape.height, this.hhi[j] - dy);
    this.wlo[j] = Math.max(0, this.wlo[j] - dx);
    this.whi[j] = Math.min(shape.width, this.whi[j] - dx);
  }

  /** Example j's image, then mirrored left to right. */
  mirror(j: number, shape: ImageShape): void {
    const W = shape.width;
    this.ox[j] += this.sx[j] * (W - 1);
    this.sx[j] = -this.sx[j];
    const lo = this.wlo[j];
    this.wlo[j] = W - this.whi[j];
    this.whi[j] = W - lo;
  }

  /** Whether the first m maps are all the identity or a plain mirror (a chain of flips). */
  mirrorsOnly(m: number, shape: ImageShape): boolean {
    for (let j = 0; j < m; j++) {
      const plain = this.oy[j] === 0 && this.hlo[j] === 0 && this.hhi[j] === shape.height;
      const window = this.wlo[j] === 0 && this.whi[j] === shape.width;
      if (!plain || !window || this.ox[j] !== (this.sx[j] < 0 ? shape.width - 1 : 0)) return false;
    }
    return true;
  }

  /**
   * Applies maps that are all identities or mirrors (see mirrorsOnly) to m columns of X in place:
   * each pair of mirrored pixel rows is swapped in the mirrored examples' columns, so memory is
   * read row after row, as in a copy.
   */
  mirrorInPlace(shape: ImageShape, m: number, X: Float64Array): void {
    const { height: H, width: W, channels: C } = shape;
    if (this.chosen.length < m) this.chosen = new Int32Array(m);
    const chosen = this.chosen;
    let n = 0;
    for (let j = 0; j < m; j++) if (this.sx[j] < 0) chosen[n++] = j;
    for (let h = 0; h < H; h++) {
      for (let l = h * W, r = l + W - 1; l < r; l++, r--) {
        for (let c = 0; c < C; c++) {
          const a = (l * C + c) * m;
          const b = (r * C + c) * m;
          for (let q = 0; q < n; q++) {
            const j = chosen[q];
            const v = X[a + j];
            X[a + j] = X[b + j];
            X[b + j] = v;
          }
        }
      }
    }
  }

  /**
   * Writes the mapped images of m examples: `dst` columns dstFirst… (rows dstStride apart) from
   * `src` columns srcFirst… (rows srcStride apart), which must not overlap them. Examples go in
   * blocks of COLUMNS, so that the source rows a block reads around each output row (shifts of up
   * to a few image rows) stay in cache; for each output pixel every example's source index is
   * found once, and each channel is then one pass over the block.
   */
  copy(
    shape: ImageShape,
    m: number,
    src: Float64Array,
    srcStride: number,
    srcFirst: number,
    dst: Float64Array,
    dstStride: number,
    dstFirst: number,
  ): void {
    const { height: H, width: W, channels: C } = shape;
    const { oy, ox, sx, hlo, hhi, wlo, whi } = this;
    if (this.at.length < m) {
      this.at = new Float64Array(m);
      this.row = new Float64Array(m);
    }
    const { at, row } = this;
    const pixel = C * srcStride;
    for (let j0 = 0; j0 < m; j0 += COLUMNS) {
      const j1 = Math.min(m, j0 + COLUMNS);
      for (let h = 0; h < H; h++) {
        for (let j = j0; j < j1; j++) {
          row[j] = h >= hlo[j] && h < hhi[j] ? (h + oy[j]) * W * pixel + srcFirst + j : -1;
        }
        for (let w = 0; w < W; w++) {
          for (let j = j0; j < j1; j++) {
            at[j] = row[j] >= 0 && w >= wlo[j] && w < whi[j] ? row[j] + (sx[j] * w + ox[j]) * pixel : -1;
          }
          let d = (h * W + w) * C * dstStride + dstFirst;
          for (let c = 0, s = 0; c < C; c++, d += dstStride, s += srcStride) {
            for (let j = j0; j < j1; j++) {
              const k = at[j];
              dst[d + j] = k < 0 ? 0 : src[k + s];
            }
          }
        }
      }
    }
  }
}

/** Examples per block of PixelMaps.copy (see there). */
const COLUMNS = 32;

/** A transform's whole-batch step (see Transform.remap): composes example j's draw onto its map. */
export type Remap = (maps: PixelMaps, j: number, shape: ImageShape, rng: RandomState) => void;
