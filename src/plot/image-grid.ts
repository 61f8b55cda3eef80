import type { ImageShape } from "../data/dataset.js";
import { pngDataUri } from "./png-data.js";
import { svgDocument, tag, text } from "./svg.js";

export interface ImageGridOptions {
  title?: string;
  /** Column headings, e.g. ["original", "sample 1", …]. */
  columns?: readonly string[];
  /** Screen pixels per image pixel; default so an image is about 96 px wide. */
  scale?: number;
  /** A caption under each image, by row then column (e.g. "true 4 → 9"). */
  labels?: readonly (readonly string[])[];
}

const byte = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);

/**
 * One image as an embedded PNG drawn with square pixels: a tenth of the bytes of one SVG rect
 * per run of equal pixels, which made a cats report 41 MB.
 */
function imageTag(x: ArrayLike<number>, shape: ImageShape, left: number, top: number, scale: number): string {
  const { height: H, width: W, channels: C } = shape;
  const out = C >= 3 ? 3 : 1;
  const pixels = new Uint8Array(H * W * out);
  for (let i = 0; i < H * W; i++) for (let c = 0; c < out; c++) pixels[i * out + c] = byte(x[i * C + c]);
  return tag("image", {
    x: left,
    y: top,
    width: W * scale,
    height: H * scale,
    // Square pixels when scaled up, for resvg (PNGs); browsers take the report stylesheet's pixelated.
    "image-rendering": "optimizeSpeed",
    preserveAspectRatio: "none",
    href: pngDataUri(W, H, out, pixels),
  });
}

/**
 * A grid of images (rows of examples, columns such as the original then augmented samples) as
 * an SVG document; values in [0, 1], row-major HWC, grey for one channel and RGB for three.
 */
export function plotImageGrid(
  rows: readonly (readonly ArrayLike<number>[])[],
  shape: ImageShape,
  options: ImageGridOptions = {},
): string {
  const scale = options.scale ?? Math.max(1, Math.round(96 / shape.width));
  const cellW = shape.width * scale;
  const cellH = shape.height * scale;
  const gap = 6;
  const captionH = options.labels ? 16 : 0;
  const top = (options.title ? 24 : 0) + (options.columns ? 18 : 0) + gap;
  const ncols = Math.max(0, ...rows.map((r) => r.length));
  const width = gap + ncols * (cellW + gap);
  const height = top + rows.length * (cellH + captionH + gap);
  const body: string[] = [];
  if (options.title) body.push(text(gap, 17, options.title, { "font-size": 14 }));
  options.columns?.forEach((name, c) => {
    body.push(text(gap + c * (cellW + gap) + cellW / 2, top - gap - 4, name, { "text-anchor": "middle" }));
  });
  rows.forEach((row, r) => {
    row.forEach((img, c) => {
      const x = gap + c * (cellW + gap);
      const y = top + r * (cellH + captionH + gap);
      body.push(imageTag(img, shape, x, y, scale));
      const label = options.labels?.[r]?.[c];
      if (label) body.push(text(x + cellW / 2, y + cellH + 12, label, { "text-anchor": "middle" }));
    });
  });
  return svgDocument(width, height, body, { ...(options.title ? { title: options.title } : {}) });
}
