/**
 * The network drawn on a canvas: units in columns, each showing its own output over the plane as
 * a small heat map (as TensorFlow Playground does), each weight a line whose width and opacity
 * grow with |w| (blue positive, orange negative, scaled per layer), units dropped for the first
 * example of the last step dimmed. Wide layers draw only their stronger weights, so 8 × 32 stays
 * readable.
 */
import type { UnitRef } from "../protocol.js";
import { fitCanvas } from "./canvas.js";
import { ACTIVATION_LUT, NEGATIVE, POSITIVE, PROBABILITY_LUT } from "./colors.js";

/** At most this many units are drawn per column (inputs of wide data). */
const MAX_DRAWN = 32;

export interface NetworkScene {
  readonly sizes: readonly number[];
  readonly weights: readonly Float32Array[];
  readonly dropped?: readonly Uint8Array[];
  readonly selected?: UnitRef | null;
  readonly activation: string;
  /** Each layer's unit outputs on an nx × ny grid (units × points), for the thumbnails. */
  readonly maps?: { readonly layers: readonly Float32Array[]; readonly nx: number; readonly ny: number };
}

/**
 * Lines between two layers above which only the strongest quarter of the weights is drawn, thinner
 * (from 4× this, the strongest eighth).
 */
const MANY_LINES = 256;

interface Layout {
  readonly x: number[];
  readonly y: number[][];
  readonly r: number;
}

const PAD = { left: 26, right: 18, top: 22, bottom: 10 };

function layout(sizes: readonly number[], width: number, height: number, thumbs: boolean): Layout {
  const cols = sizes.length;
  const x = sizes.map((_, l) => PAD.left + ((width - PAD.left - PAD.right) * l) / Math.max(1, cols - 1));
  const innerH = height - PAD.top - PAD.bottom;
  const most = Math.max(...sizes.map((n) => Math.min(n, MAX_DRAWN)));
  const rowGap = innerH / Math.max(1, most);
  const colGap = cols > 1 ? x[1] - x[0] : width;
  const r = thumbs
    ? Math.max(3, Math.min(15, rowGap * 0.42, colGap * 0.26))
    : Math.max(2.5, Math.min(9, rowGap * 0.36, colGap * 0.16));
  const y = sizes.map((n) => {
    const k = Math.min(n, MAX_DRAWN);
    const gap = Math.min(rowGap, innerH / Math.max(1, k));
    const top = PAD.top + (innerH - gap * k) / 2 + gap / 2;
    return Array.from({ length: k }, (_, i) => top + gap * i);
  });
  return { x, y, r };
}

export class NetworkView {
  private last: Layout | undefined;

  constructor(readonly canvas: HTMLCanvasElement) {}

  /** The unit under a point given in CSS pixels, if any. */
  hit(px: number, py: number): UnitRef | null {
    const L = this.last;
    if (!L) return null;
    let best: UnitRef | null = null;
    let bestD = Math.max(L.r + 5, 10) ** 2;
    L.x.forEach((x, layer) => {
      L.y[layer].forEach((y, index) => {
        const d = (px - x) ** 2 + (py - y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = { layer, index };
        }
      });
    });
    return best;
  }

  draw(scene: NetworkScene): void {
    const { ctx, width, height } = fitCanvas(this.canvas);
    ctx.clearRect(0, 0, width, height);
    const { sizes, weights, dropped } = scene;
    const L = layout(sizes, width, height, scene.maps !== undefined);
    this.last = L;
    const isDropped = (layer: number, i: number) =>
      layer > 0 && layer < sizes.length - 1 && dropped?.[layer - 1]?.[i] === 1;

    // Weights, layer by layer, each scaled by its layer's largest |w|. Lines are bucketed by sign
    // and strength into a few paths, so even 8 × 32 × 32 weights draw in a handful of strokes.
    ctx.lineCap = "round";
    const BUCKETS = 8;
    for (let l = 1; l < sizes.length; l++) {
      const W = weights[l - 1];
      const nIn = sizes[l - 1];
      let max = 0;
      for (let k = 0; k < W.length; k++) max = Math.max(max, Math.abs(W[k]));
      if (!(max > 0)) continue;
      const ys = L.y[l];
      const yPrev = L.y[l - 1];
      // paths[sign][bucket], plus one faded path for lines touching a dropped unit.
      const paths = [0, 1].map(() => Array.from({ length: BUCKETS }, () => new Path2D()));
      const faded = [new Path2D(), new Path2D()];
      for (let i = 0; i < ys.length; i++) {
        for (let k = 0; k < yPrev.length; k++) {
          const w = W[i * nIn + k];
          const sign = w >= 0 ? 0 : 1;
          const path =
            isDropped(l, i) || isDropped(l - 1, k)
              ? faded[sign]
              : paths[sign][Math.min(BUCKETS - 1, Math.floor((Math.abs(w) / max) * BUCKETS))];
          path.moveTo(L.x[l - 1], yPrev[k]);
          path.lineTo(L.x[l], ys[i]);
        }
      }
      const lines = ys.length * yPrev.length;
      // Dense layers: only the strongest weights, in thinner lines, so the units stay visible.
      const weakest = lines >= 4 * MANY_LINES ? BUCKETS - 1 : lines > MANY_LINES ? (3 * BUCKETS) / 4 : 0;
      const thin = lines > MANY_LINES ? 0.45 : 1;
      for (let sign = 0; sign < 2; sign++) {
        ctx.strokeStyle = sign === 0 ? POSITIVE : NEGATIVE;
        for (let b = weakest; b < BUCKETS; b++) {
          const t = (b + 0.5) / BUCKETS;
          ctx.globalAlpha = 0.12 + 0.78 * t;
          ctx.lineWidth = (0.4 + 3.6 * t) * thin;
          ctx.stroke(paths[sign][b]);
        }
        ctx.globalAlpha = 0.06;
        ctx.lineWidth = 0.8;
        ctx.stroke(faded[sign]);
      }
    }
    ctx.globalAlpha = 1;

    // Units: a thumbnail of each unit's output where there are maps, else a circle.
    const sel = scene.selected;
    const atlas = scene.maps ? thumbnails(scene.maps, L) : undefined;
    for (let l = 0; l < sizes.length; l++) {
      L.y[l].forEach((y, i) => {
        const off = isDropped(l, i);
        const slot = atlas?.slots[l]?.[i];
        if (atlas && slot !== undefined) {
          const side = 2 * L.r;
          ctx.imageSmoothingEnabled = true;
          ctx.globalAlpha = off ? 0.3 : 1;
          ctx.drawImage(
            atlas.canvas,
            0,
            slot * atlas.ny,
            atlas.nx,
            atlas.ny,
            L.x[l] - L.r,
            y - L.r,
            side,
            side,
          );
          ctx.globalAlpha = 1;
          ctx.lineWidth = 1;
          ctx.strokeStyle = off ? "#a0a4aa" : "#2b3138";
          ctx.setLineDash(off ? [2, 2] : []);
          ctx.strokeRect(L.x[l] - L.r + 0.5, y - L.r + 0.5, side - 1, side - 1);
          ctx.setLineDash([]);
          if (sel && sel.layer === l && sel.index === i) {
            ctx.lineWidth = 2;
            ctx.strokeStyle = "#111";
            ctx.strokeRect(L.x[l] - L.r - 3, y - L.r - 3, side + 6, side + 6);
          }
          return;
        }
        ctx.beginPath();
        ctx.arc(L.x[l], y, L.r, 0, 2 * Math.PI);
        ctx.fillStyle = off
          ? "#e4e6e9"
          : l === 0
            ? "#fff7e8"
            : l === sizes.length - 1
              ? "#e8f0fb"
              : "#ffffff";
        ctx.fill();
        ctx.setLineDash(off ? [2, 2] : []);
        ctx.lineWidth = 1.2;
        ctx.strokeStyle = off ? "#a0a4aa" : "#2b3138";
        ctx.stroke();
        ctx.setLineDash([]);
        if (sel && sel.layer === l && sel.index === i) {
          ctx.beginPath();
          ctx.arc(L.x[l], y, L.r + 3.5, 0, 2 * Math.PI);
          ctx.lineWidth = 2;
          ctx.strokeStyle = "#111";
          ctx.stroke();
        }
      });
      if (sizes[l] > MAX_DRAWN) {
        ctx.fillStyle = "#555";
        ctx.font = "11px system-ui, sans-serif";
        ctx.textAlign = "center";
        ctx.fillText(`+${sizes[l] - MAX_DRAWN}`, L.x[l], height - 2);
      }
    }

    // Column labels.
    ctx.fillStyle = "#444";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (let l = 0; l < sizes.length; l++) {
      const label = l === 0 ? `in ${sizes[0]}` : l === sizes.length - 1 ? "out" : `${sizes[l]}`;
      ctx.fillText(label, L.x[l], 3);
    }
    ctx.textBaseline = "alphabetic";
  }
}

/**
 * Every drawn unit's map in one canvas, one nx × ny tile per unit stacked downwards: inputs and
 * hidden units scaled by their own largest |value| (white = 0), the output as a probability.
 */
function thumbnails(
  maps: NonNullable<NetworkScene["maps"]>,
  L: Layout,
): { canvas: HTMLCanvasElement; slots: number[][]; nx: number; ny: number } {
  const { nx, ny, layers } = maps;
  const points = nx * ny;
  const slots: number[][] = [];
  let count = 0;
  layers.forEach((values, l) => {
    const units = Math.min(L.y[l]?.length ?? 0, Math.floor(values.length / points));
    slots.push(Array.from({ length: units }, () => count++));
  });
  const img = new ImageData(nx, Math.max(1, ny * count));
  const last = layers.length - 1;
  layers.forEach((values, l) => {
    const lut = l === last ? PROBABILITY_LUT : ACTIVATION_LUT;
    slots[l].forEach((slot, i) => {
      let max = 0;
      for (let p = 0; p < points; p++) max = Math.max(max, Math.abs(values[i * points + p]));
      const scale = max > 0 ? max : 1;
      for (let j = 0; j < ny; j++) {
        const row = slot * ny + (ny - 1 - j);
        for (let c = 0; c < nx; c++) {
          const v = values[i * points + j * nx + c];
          const t = l === last ? v : 0.5 + (0.5 * v) / scale;
          const k = Math.max(0, Math.min(255, Math.round((Number.isFinite(t) ? t : 0.5) * 255)));
          const o = 4 * (row * nx + c);
          img.data[o] = lut[4 * k];
          img.data[o + 1] = lut[4 * k + 1];
          img.data[o + 2] = lut[4 * k + 2];
          img.data[o + 3] = 255;
        }
      }
    });
  });
  const canvas = document.createElement("canvas");
  canvas.width = nx;
  canvas.height = img.height;
  canvas.getContext("2d")?.putImageData(img, 0, 0);
  return { canvas, slots, nx, ny };
}

/** Draws one unit's values on the grid (rows from yMin) into a small canvas. */
export function drawUnitMap(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  nx: number,
  ny: number,
  kind: "probability" | "signed" | "positive",
  lut: Uint8ClampedArray,
): void {
  let max = 0;
  for (let k = 0; k < values.length; k++)
    if (Number.isFinite(values[k])) max = Math.max(max, Math.abs(values[k]));
  const scale = max > 0 ? max : 1;
  const img = new ImageData(nx, ny);
  for (let j = 0; j < ny; j++) {
    const row = ny - 1 - j;
    for (let i = 0; i < nx; i++) {
      const v = values[j * nx + i];
      // Probabilities are drawn as they are; signed and positive values around the middle colour.
      const t = kind === "probability" ? v : 0.5 + (0.5 * v) / scale;
      const k = Math.max(0, Math.min(255, Math.round((Number.isFinite(t) ? t : 0.5) * 255)));
      const o = 4 * (row * nx + i);
      img.data[o] = lut[4 * k];
      img.data[o + 1] = lut[4 * k + 1];
      img.data[o + 2] = lut[4 * k + 2];
      img.data[o + 3] = 255;
    }
  }
  const off = document.createElement("canvas");
  off.width = nx;
  off.height = ny;
  off.getContext("2d")!.putImageData(img, 0, 0);
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.imageSmoothingEnabled = true;
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(off, 0, 0, width, height);
}
