/**
 * The decision-boundary view on a canvas: a grid of probabilities as a heat map (it never sees the
 * network), the football pitch, the p = 0.5 line, then the points.
 */
import type { Dataset } from "../../src/data/dataset.js";
import { probabilityColor, regionColors } from "../../src/plot/boundary.js";
import { contourLines } from "../../src/plot/grid.js";
import { pitchLines } from "../../src/plot/pitch.js";
import { linearScale, type Scale } from "../../src/plot/scale.js";
import type { View } from "../../src/plot/view.js";
import { fitCanvas } from "./canvas.js";
import { CLASS_COLORS } from "./colors.js";

export interface BoundaryScene {
  readonly view: View;
  readonly pitch: boolean;
  readonly grid?: { readonly values: ArrayLike<number>; readonly nx: number; readonly ny: number };
  readonly mode: "probability" | "discrete";
  readonly train: Dataset;
  readonly dev?: Dataset;
  readonly test?: Dataset;
  readonly showTest: boolean;
  /** Training points added by clicking: drawn with a ring so they can be told apart. */
  readonly addedFrom?: number;
  /** Shown in the middle when there is nothing to draw (data with more than 2 features). */
  readonly message?: string;
  /** "draft" rasterizes the heat map at half resolution (while training), "full" at every pixel. */
  readonly quality?: "draft" | "full";
}

/** RGBA colours packed as the canvas stores them (the platform's byte order). */
function packed(hex: readonly string[]): Uint32Array {
  const bytes = new Uint8ClampedArray(hex.length * 4);
  hex.forEach((h, k) => {
    const n = Number.parseInt(h.slice(1), 16);
    bytes.set([(n >> 16) & 255, (n >> 8) & 255, n & 255, 255], 4 * k);
  });
  return new Uint32Array(bytes.buffer);
}

const LEVEL_COLORS = packed(Array.from({ length: 32 }, (_, k) => probabilityColor(k / 32, 32)));
const DISCRETE_COLORS = packed(regionColors());

/** The same drawing: same grid values (by identity), data, view and options. */
function sameScene(a: BoundaryScene, b: BoundaryScene): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof BoundaryScene)[]);
  for (const k of keys) {
    if (k === "grid") {
      if (a.grid?.values !== b.grid?.values || a.grid?.nx !== b.grid?.nx || a.grid?.ny !== b.grid?.ny)
        return false;
    } else if (a[k] !== b[k]) return false;
  }
  return true;
}

export class BoundaryView {
  private readonly image: HTMLCanvasElement;
  private pitch: { key: string; path: Path2D } | undefined;
  private xs: Scale = linearScale([0, 1], [0, 1]);
  private ys: Scale = linearScale([0, 1], [1, 0]);

  constructor(readonly canvas: HTMLCanvasElement) {
    this.image = document.createElement("canvas");
  }

  /** Data coordinates of a point given in CSS pixels relative to the canvas. */
  toData(px: number, py: number): { x: number; y: number } {
    return { x: this.xs.invert(px), y: this.ys.invert(py) };
  }

  /** The scene last drawn: drawing the same one again (a snapshot without a new grid) is skipped. */
  private last: { scene: BoundaryScene; width: number; height: number } | undefined;

  draw(scene: BoundaryScene): void {
    const width = Math.max(1, this.canvas.clientWidth);
    const height = Math.max(1, this.canvas.clientHeight);
    const prev = this.last;
    if (prev && prev.width === width && prev.height === height && sameScene(scene, prev.scene)) {
      return;
    }
    this.last = { scene, width, height };
    const { ctx } = fitCanvas(this.canvas);
    const v = scene.view;
    this.xs = linearScale([v.xMin, v.xMax], [0, width]);
    this.ys = linearScale([v.yMin, v.yMax], [height, 0]);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#f7f7f7";
    ctx.fillRect(0, 0, width, height);
    if (scene.grid)
      this.drawHeatmap(ctx, scene.grid, scene.mode, width, height, scene.quality === "draft" ? 2 : 1);
    if (scene.pitch) this.drawPitch(ctx, scene.view, width, height);
    if (scene.grid) this.drawContour(ctx, scene.grid, scene.view);
    if (scene.train.X.rows === 2) {
      const r = Math.max(2.5, Math.min(4.5, width / 120));
      if (scene.dev) this.drawPoints(ctx, scene.dev, "square", r);
      this.drawPoints(ctx, scene.train, "disc", r, scene.addedFrom);
      if (scene.test && scene.showTest) this.drawPoints(ctx, scene.test, "ring", r + 0.5);
    }
    if (scene.message) {
      ctx.fillStyle = "#444";
      ctx.font = "14px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.fillText(scene.message, width / 2, height / 2);
    }
  }

  /**
   * The grid interpolated bilinearly to one value per CSS pixel, then quantized to the SVG plots'
   * colours (32 levels, or 2 in discrete mode): smooth to the eye, crisp at the 0.5 line, and
   * long runs of equal colours (cheap to draw and to store as PNG).
   */
  private drawHeatmap(
    ctx: CanvasRenderingContext2D,
    grid: NonNullable<BoundaryScene["grid"]>,
    mode: BoundaryScene["mode"],
    width: number,
    height: number,
    step: number,
  ): void {
    const { nx, ny, values } = grid;
    const W = Math.max(1, Math.round(width / step));
    const H = Math.max(1, Math.round(height / step));
    if (this.image.width !== W || this.image.height !== H) {
      this.image.width = W;
      this.image.height = H;
    }
    const ictx = this.image.getContext("2d")!;
    const img = ictx.createImageData(W, H);
    const px = new Uint32Array(img.data.buffer);
    const colors = mode === "discrete" ? DISCRETE_COLORS : LEVEL_COLORS;
    const levels = colors.length;
    // Column weights, once per row sweep: cell centres sit at (i + 0.5) / nx of the width.
    const i0 = new Int32Array(W);
    const tx = new Float64Array(W);
    for (let c = 0; c < W; c++) {
      const g = Math.min(nx - 1, Math.max(0, ((c + 0.5) / W) * nx - 0.5));
      const i = Math.min(nx - 2, Math.floor(g));
      i0[c] = i;
      tx[c] = g - i;
    }
    for (let r = 0; r < H; r++) {
      const g = Math.min(ny - 1, Math.max(0, ((H - r - 0.5) / H) * ny - 0.5)); // rows count up from yMin
      const j = Math.min(ny - 2, Math.floor(g));
      const ty = g - j;
      const a = j * nx;
      const b = a + nx;
      const o = r * W;
      for (let c = 0; c < W; c++) {
        const i = i0[c];
        const t = tx[c];
        const bottom = values[a + i] + t * (values[a + i + 1] - values[a + i]);
        const top = values[b + i] + t * (values[b + i + 1] - values[b + i]);
        const p = bottom + ty * (top - bottom);
        const k =
          mode === "discrete"
            ? p >= 0.5
              ? 1
              : 0
            : Math.min(levels - 1, Math.max(0, Math.floor(p * levels)));
        px[o + c] = colors[Number.isNaN(p) ? 0 : k];
      }
    }
    ictx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.image, 0, 0, width, height);
  }

  private drawPitch(ctx: CanvasRenderingContext2D, view: View, width: number, height: number): void {
    const key = `${view.xMin},${view.xMax},${view.yMin},${view.yMax},${width},${height}`;
    if (!this.pitch || this.pitch.key !== key)
      this.pitch = { key, path: new Path2D(pitchLines(this.xs, this.ys)) };
    const path = this.pitch.path;
    ctx.save();
    ctx.lineJoin = "round";
    ctx.strokeStyle = "rgba(0,0,0,0.22)";
    ctx.lineWidth = 2.9;
    ctx.stroke(path);
    ctx.strokeStyle = "rgba(255,255,255,0.95)";
    ctx.lineWidth = 1.3;
    ctx.stroke(path);
    ctx.restore();
  }

  private drawContour(
    ctx: CanvasRenderingContext2D,
    grid: NonNullable<BoundaryScene["grid"]>,
    view: View,
  ): void {
    const lines = contourLines(
      { view, nx: grid.nx, ny: grid.ny, values: Float64Array.from(grid.values) },
      0.5,
    );
    ctx.save();
    ctx.strokeStyle = "#1a1a1a";
    ctx.lineWidth = 1.6;
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    ctx.beginPath();
    for (const line of lines) {
      for (let k = 0; k < line.x.length; k++) {
        const x = this.xs.map(line.x[k]);
        const y = this.ys.map(line.y[k]);
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      if (line.closed) ctx.closePath();
    }
    ctx.stroke();
    ctx.restore();
  }

  /** One path per class and shape: a few fill/stroke calls instead of one per point. */
  private drawPoints(
    ctx: CanvasRenderingContext2D,
    d: Dataset,
    shape: "disc" | "ring" | "square",
    r: number,
    addedFrom = Number.POSITIVE_INFINITY,
  ): void {
    const m = d.X.cols;
    const X = d.X.data;
    ctx.save();
    for (const label of [0, 1]) {
      const path = new Path2D();
      const added = new Path2D();
      for (let j = 0; j < m; j++) {
        if (d.y[j] !== label) continue;
        const x = this.xs.map(X[j]);
        const y = this.ys.map(X[m + j]);
        const target = j >= addedFrom ? added : path;
        target.moveTo(x + r, y);
        if (shape === "square") target.rect(x - r, y - r, 2 * r, 2 * r);
        else target.arc(x, y, r, 0, 2 * Math.PI);
      }
      const color = CLASS_COLORS[label];
      if (shape === "ring") {
        ctx.lineWidth = 1.8;
        ctx.strokeStyle = color;
        ctx.stroke(path);
        continue;
      }
      ctx.fillStyle = color;
      ctx.fill(path);
      ctx.lineWidth = 0.8;
      ctx.strokeStyle = "#fff";
      ctx.stroke(path);
      ctx.fill(added);
      ctx.lineWidth = 2;
      ctx.strokeStyle = "#111";
      ctx.stroke(added);
    }
    ctx.restore();
  }
}
