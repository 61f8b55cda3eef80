/**
 * Pictures of a convolution's first layer: its filters as small images and its activation maps as
 * a grid (rows = images, columns = filters). Pure functions turn weights and maps into pixel bytes
 * with a stated scale; the grids embed them as PNG data URIs in `<image>` elements (class
 * "filter", "input" or "map", so a test can count what is drawn), nearest-neighbour enlarged.
 */
import { DIVERGING_STOPS, interpolate } from "./palette.js";
import { pngDataUri } from "./png-data.js";
import { fmt, svgDocument, tag, text, textWidth } from "./svg.js";

/** Pixel bytes of one small image: `channels` bytes per pixel (1 grey, 3 RGB), row-major. */
export interface Pixels {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

function byte(t: number): number {
  return Math.round(255 * Math.min(1, Math.max(0, t)));
}

function maxAbs(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]));
  return s;
}

/** Diverging colour bytes for v on a symmetric scale ±s: brown below 0, neutral at 0, blue above. */
function divergingBytes(out: Uint8Array, at: number, v: number, s: number): void {
  const c = interpolate(DIVERGING_STOPS, s > 0 ? 0.5 + (0.5 * v) / s : 0.5);
  out[at] = Math.round(c[0]);
  out[at + 1] = Math.round(c[1]);
  out[at + 2] = Math.round(c[2]);
}

/**
 * A filter of f × f × C weights (HWC) as an image, normalized by its own largest |w| = `scale`.
 * Three channels: RGB, each channel 0.5 + 0.5·w/scale (mid-grey is 0, full colour +scale, none
 * −scale). Otherwise the diverging palette on ±scale (neutral at 0) of the weight, or of the mean
 * over the channels when there are several.
 */
export function filterPixels(
  w: ArrayLike<number>,
  size: number,
  channels: number,
): { pixels: Pixels; scale: number } {
  const scale = maxAbs(w);
  const n = size * size;
  const data = new Uint8Array(3 * n);
  for (let p = 0; p < n; p++) {
    if (channels === 3) {
      for (let c = 0; c < 3; c++)
        data[3 * p + c] = byte(scale > 0 ? 0.5 + (0.5 * w[3 * p + c]) / scale : 0.5);
    } else {
      let v = 0;
      for (let c = 0; c < channels; c++) v += w[p * channels + c];
      divergingBytes(data, 3 * p, v / channels, scale);
    }
  }
  return { pixels: { width: size, height: size, channels: 3, data }, scale };
}

/**
 * An activation map (height × width) as an image on the scale `scale`: grey from black at 0 to
 * white at `scale` when `signed` is false (ReLU maps), else the diverging palette on ±scale.
 */
export function mapPixels(
  map: ArrayLike<number>,
  width: number,
  height: number,
  scale: number,
  signed: boolean,
): Pixels {
  const n = width * height;
  if (signed) {
    const data = new Uint8Array(3 * n);
    for (let p = 0; p < n; p++) divergingBytes(data, 3 * p, map[p], scale);
    return { width, height, channels: 3, data };
  }
  const data = new Uint8Array(n);
  for (let p = 0; p < n; p++) data[p] = scale > 0 ? byte(map[p] / scale) : 0;
  return { width, height, channels: 1, data };
}

/** An image in [0, 1] (HWC, 1 or 3 channels) as pixel bytes, clamped. */
export function imagePixels(x: ArrayLike<number>, width: number, height: number, channels: number): Pixels {
  const c = channels >= 3 ? 3 : 1;
  const data = new Uint8Array(width * height * c);
  for (let p = 0; p < width * height; p++)
    for (let k = 0; k < c; k++) data[p * c + k] = byte(x[p * channels + k]);
  return { width, height, channels: c, data };
}

export interface PixelCell {
  pixels: Pixels;
  /** "filter", "input" or "map": the class of its `<image>`. */
  kind: "filter" | "input" | "map";
  /** A caption under the cell. */
  label?: string;
}

export interface PixelGridOptions {
  title: string;
  /** Column headings, one line or two ("filter 3", "max 1.2"). */
  columns?: readonly (readonly string[])[];
  /** Row headings, left of each row. */
  rows?: readonly string[];
  /** Screen pixels of a cell's longer side; default 72. */
  cell?: number;
  /** A colour bar under the grid: diverging with its 0 marked, or grey from 0. */
  bar?: { kind: "diverging" | "grey" | "rgb"; low: string; mid?: string; high: string; caption: string };
}

const GAP = 8;

/** Colour of the bar at t ∈ [0, 1]. */
function barColour(kind: NonNullable<PixelGridOptions["bar"]>["kind"], t: number): string {
  if (kind === "diverging") return `rgb(${interpolate(DIVERGING_STOPS, t).map(Math.round).join(",")})`;
  const g = byte(t);
  return `rgb(${g},${g},${g})`;
}

/** The bar as thin rects (no gradient: its id would repeat across the figures of one page). */
function colourBar(bar: NonNullable<PixelGridOptions["bar"]>, x: number, y: number): string[] {
  const steps = 55;
  const w = 220;
  const h = 12;
  const step = w / steps;
  const rects = Array.from({ length: steps }, (_, k) =>
    tag("rect", {
      x: x + k * step,
      y,
      width: step + 0.3,
      height: h,
      fill: barColour(bar.kind, (k + 0.5) / steps),
    }),
  );
  const ticks = [
    text(x, y + h + 14, bar.low, { "text-anchor": "start" }),
    text(x + w, y + h + 14, bar.high, { "text-anchor": "end" }),
  ];
  if (bar.mid !== undefined) {
    ticks.push(tag("path", { d: `M${fmt(x + w / 2)} ${fmt(y - 3)}V${fmt(y + h + 3)}`, stroke: "#000000" }));
    ticks.push(text(x + w / 2, y + h + 14, bar.mid, { "text-anchor": "middle" }));
  }
  // Crisp edges: no seams between the rects.
  return [
    tag("g", { "shape-rendering": "crispEdges" }, rects),
    tag("g", { class: "scale-bar" }, [
      tag("rect", { x, y, width: w, height: h, fill: "none", stroke: "#888888" }),
      ...ticks,
      text(x + w + 12, y + h - 1, bar.caption),
    ]),
  ];
}

/**
 * A grid of small images as an SVG document: each cell a PNG enlarged without smoothing, with
 * optional column and row headings, captions and a colour bar.
 */
export function plotPixelGrid(cells: readonly (readonly PixelCell[])[], options: PixelGridOptions): string {
  const cell = options.cell ?? 72;
  const headLines = Math.max(0, ...(options.columns ?? []).map((c) => c.length));
  const rowHead = options.rows ? Math.max(...options.rows.map((r) => textWidth(r, 12)), 0) + GAP : 0;
  const captions = cells.some((r) => r.some((c) => c.label)) ? 16 : 0;
  const top = 28 + headLines * 15 + 4;
  const ncols = Math.max(0, ...cells.map((r) => r.length));
  const width = Math.max(
    GAP + rowHead + ncols * (cell + GAP),
    options.bar ? 520 : 0,
    textWidth(options.title, 14) + 2 * GAP,
  );
  const gridBottom = top + cells.length * (cell + captions + GAP);
  const height = gridBottom + (options.bar ? 44 : 0);
  const body: string[] = [text(GAP, 18, options.title, { "font-size": 14 })];
  const x0 = GAP + rowHead;
  options.columns?.forEach((lines, c) => {
    lines.forEach((line, k) => {
      body.push(text(x0 + c * (cell + GAP) + cell / 2, 28 + 12 + k * 15, line, { "text-anchor": "middle" }));
    });
  });
  cells.forEach((row, r) => {
    const y = top + r * (cell + captions + GAP);
    const label = options.rows?.[r];
    if (label) body.push(text(GAP, y + cell / 2 + 4, label));
    row.forEach((c, k) => {
      const { width: w, height: h } = c.pixels;
      const s = cell / Math.max(w, h);
      const x = x0 + k * (cell + GAP);
      body.push(
        tag("image", {
          class: c.kind,
          x: x + (cell - w * s) / 2,
          y: y + (cell - h * s) / 2,
          width: w * s,
          height: h * s,
          preserveAspectRatio: "none",
          "image-rendering": "optimizeSpeed",
          href: pngDataUri(w, h, c.pixels.channels, c.pixels.data),
        }),
      );
      if (c.label) body.push(text(x + cell / 2, y + cell + 12, c.label, { "text-anchor": "middle" }));
    });
  });
  if (options.bar) body.push(...colourBar(options.bar, GAP, gridBottom + 4));
  return svgDocument(width, height, body, { title: options.title });
}
