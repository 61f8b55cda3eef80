/**
 * The decision-boundary view on a canvas: a grid of probabilities as a heat map (it never sees the
 * network), the football pitch, the p = 0.5 line, then the points.
 */
import type { Dataset } from "../../src/data/dataset.js";
import { contourLines } from "../../src/plot/grid.js";
import { pitchLines } from "../../src/plot/pitch.js";
import { linearScale, type Scale } from "../../src/plot/scale.js";
import type { View } from "../../src/plot/view.js";
import { CLASS_COLORS, lutIndex, PROBABILITY_LUT } from "./colors.js";
import { fitCanvas } from "./canvas.js";

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
}

const DISCRETE: [number, number] = [lutIndex(0), lutIndex(1)];

export class BoundaryView {
  private readonly image: HTMLCanvasElement;
  private xs: Scale = linearScale([0, 1], [0, 1]);
  private ys: Scale = linearScale([0, 1], [1, 0]);

  constructor(readonly canvas: HTMLCanvasElement) {
    this.image = document.createElement("canvas");
  }

  /** Data coordinates of a point given in CSS pixels relative to the canvas. */
  toData(px: number, py: number): { x: number; y: number } {
    return { x: this.xs.invert(px), y: this.ys.invert(py) };
  }

  draw(scene: BoundaryScene): void {
    const { ctx, width, height } = fitCanvas(this.canvas);
    const v = scene.view;
    this.xs = linearScale([v.xMin, v.xMax], [0, width]);
    this.ys = linearScale([v.yMin, v.yMax], [height, 0]);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#f7f7f7";
    ctx.fillRect(0, 0, width, height);
    if (scene.grid) this.drawHeatmap(ctx, scene.grid, scene.mode, width, height);
    if (scene.pitch) this.drawPitch(ctx, scene.view);
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

  private drawHeatmap(
    ctx: CanvasRenderingContext2D,
    grid: NonNullable<BoundaryScene["grid"]>,
    mode: BoundaryScene["mode"],
    width: number,
    height: number,
  ): void {
    const { nx, ny, values } = grid;
    if (this.image.width !== nx || this.image.height !== ny) {
      this.image.width = nx;
      this.image.height = ny;
    }
    const ictx = this.image.getContext("2d")!;
    const img = ictx.createImageData(nx, ny);
    const px = img.data;
    for (let j = 0; j < ny; j++) {
      const row = ny - 1 - j; // grid row j counts from yMin (the bottom)
      for (let i = 0; i < nx; i++) {
        const p = values[j * nx + i];
        const k = mode === "discrete" ? DISCRETE[p >= 0.5 ? 1 : 0] : lutIndex(p);
        const o = 4 * (row * nx + i);
        px[o] = PROBABILITY_LUT[4 * k];
        px[o + 1] = PROBABILITY_LUT[4 * k + 1];
        px[o + 2] = PROBABILITY_LUT[4 * k + 2];
        px[o + 3] = 255;
      }
    }
    ictx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(this.image, 0, 0, width, height);
  }

  private drawPitch(ctx: CanvasRenderingContext2D, _view: View): void {
    const path = new Path2D(pitchLines(this.xs, this.ys));
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

  private drawContour(ctx: CanvasRenderingContext2D, grid: NonNullable<BoundaryScene["grid"]>, view: View): void {
    const lines = contourLines({ view, nx: grid.nx, ny: grid.ny, values: Float64Array.from(grid.values) }, 0.5);
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
    for (let j = 0; j < m; j++) {
      const x = this.xs.map(X[j]);
      const y = this.ys.map(X[m + j]);
      const color = CLASS_COLORS[d.y[j] === 1 ? 1 : 0];
      ctx.beginPath();
      if (shape === "square") ctx.rect(x - r, y - r, 2 * r, 2 * r);
      else ctx.arc(x, y, r, 0, 2 * Math.PI);
      if (shape === "ring") {
        ctx.lineWidth = 1.8;
        ctx.strokeStyle = color;
        ctx.stroke();
        continue;
      }
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = j >= addedFrom ? 2 : 0.8;
      ctx.strokeStyle = j >= addedFrom ? "#111" : "#fff";
      ctx.stroke();
    }
    ctx.restore();
  }
}
