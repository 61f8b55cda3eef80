/**
 * First-layer units as images, painted fast enough to follow training: one 32-bit write per pixel
 * through a packed colour table, into one ImageData kept between frames (reallocated only when the
 * canvas size changes). Drawing 64 units of 28 × 28 at scale 2 took tens of milliseconds per frame
 * with per-pixel subarrays and a fresh ImageData; this is about one.
 */
import { ACTIVATION_LUT } from "../render/colors.js";

/**
 * One unit's picture: its weights, height × width × channels row-major (channels averaged), the
 * k-th at weights[offset + k·step] (a dense unit's row: step 1; a convolution filter: step C_out).
 */
export interface UnitTile {
  readonly weights: ArrayLike<number>;
  readonly offset: number;
  readonly step: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** ACTIVATION_LUT as one RGBA word per entry, in the platform's byte order (ImageData is bytes). */
const PACKED = new Uint32Array(ACTIVATION_LUT.buffer.slice(0));

export class UnitPainter {
  private image: ImageData | undefined;
  private words: Uint32Array | undefined;
  private px = new Float64Array(0);

  /**
   * Paints `rows` of tiles (each row a model's units, `cols` per line, `tile` pixels apart,
   * `scale` pixels per weight) onto `canvas`, each tile scaled to its own largest |weight|.
   */
  paint(
    canvas: HTMLCanvasElement,
    rows: readonly (readonly UnitTile[])[],
    cols: number,
    scale: number,
  ): void {
    const side = Math.max(1, ...rows.flatMap((r) => r.map((t) => Math.max(t.height, t.width))));
    const tile = side * scale + 2;
    const lines = rows.map((r) => Math.ceil(r.length / cols));
    const width = cols * tile;
    const height = lines.reduce((a, b) => a + b, 0) * tile;
    if (height === 0) return;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    if (this.image?.width !== width || this.image.height !== height) {
      this.image = ctx.createImageData(width, height);
      this.words = new Uint32Array(this.image.data.buffer);
    }
    const words = this.words!;
    words.fill(0);
    let line0 = 0;
    rows.forEach((units, i) => {
      units.forEach((t, u) => {
        this.tile(words, width, t, (u % cols) * tile, (line0 + Math.floor(u / cols)) * tile, scale);
      });
      line0 += lines[i];
    });
    ctx.putImageData(this.image, 0, 0);
  }

  private tile(words: Uint32Array, stride: number, t: UnitTile, x0: number, y0: number, scale: number): void {
    const { height: H, width: W, channels: C, weights, offset, step } = t;
    const n = H * W;
    if (this.px.length < n) this.px = new Float64Array(n);
    const px = this.px;
    let max = 0;
    for (let p = 0; p < n; p++) {
      let sum = 0;
      for (let ch = 0; ch < C; ch++) sum += weights[offset + (p * C + ch) * step];
      px[p] = sum / C;
      max = Math.max(max, Math.abs(px[p]));
    }
    const k = 127.5 / (max || 1);
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < W; c++) {
        // lutIndex(0.5 + 0.5 · v / max), inlined: 0…255.
        const t = Math.round(127.5 + px[r * W + c] * k);
        const word = PACKED[t < 0 ? 0 : t > 255 ? 255 : t];
        const o = (y0 + r * scale) * stride + x0 + c * scale;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) words[o + dy * stride + dx] = word;
      }
    }
  }
}
