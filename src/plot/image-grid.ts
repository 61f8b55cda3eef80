import type { ImageShape } from "../data/dataset.js";
import { svgDocument, text } from "./svg.js";

export interface ImageGridOptions {
  title?: string;
  /** Column headings, e.g. ["original", "sample 1", …]. */
  columns?: readonly string[];
  /** Screen pixels per image pixel; default so an image is about 96 px wide. */
  scale?: number;
  /** A caption under each image, by row then column (e.g. "true 4 → 9"). */
  labels?: readonly (readonly string[])[];
}

function hex(v: number): string {
  return Math.round(Math.min(1, Math.max(0, v)) * 255)
    .toString(16)
    .padStart(2, "0");
}

/** One image as runs of same-coloured pixels (one rect per run keeps digit grids small). */
function imageRects(x: ArrayLike<number>, shape: ImageShape): string {
  const { height: H, width: W, channels: C } = shape;
  const colour = (i: number) => {
    const at = i * C;
    if (C >= 3) return `#${hex(x[at])}${hex(x[at + 1])}${hex(x[at + 2])}`;
    const g = hex(x[at]);
    return `#${g}${g}${g}`;
  };
  const out: string[] = [];
  for (let h = 0; h < H; h++) {
    let w = 0;
    while (w < W) {
      const c = colour(h * W + w);
      let end = w + 1;
      while (end < W && colour(h * W + end) === c) end++;
      out.push(`<rect x="${w}" y="${h}" width="${end - w}" height="1" fill="${c}"/>`);
      w = end;
    }
  }
  return out.join("");
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
      body.push(
        `<g transform="translate(${x} ${y}) scale(${scale})" shape-rendering="crispEdges">${imageRects(img, shape)}</g>`,
      );
      const label = options.labels?.[r]?.[c];
      if (label) body.push(text(x + cellW / 2, y + cellH + 12, label, { "text-anchor": "middle" }));
    });
  });
  return svgDocument(width, height, body, { ...(options.title ? { title: options.title } : {}) });
}
