/**
 * A grid of colour indices drawn as compact SVG: the most common colour as one background
 * rectangle, every other colour as one path of rectangles, where runs of equal colour along a row
 * are merged, and identical runs in consecutive rows are merged again into taller rectangles.
 * Paths are written in cell units under a single transform, so coordinates are small integers.
 */
import type { Rect } from "./axes.js";
import { fmt, tag } from "./svg.js";

/**
 * Palette indices for a grid of probabilities stored bottom row first (y increasing), returned
 * top row first as drawn: `levels` equal bins, or 0/1 split at 0.5 when `discrete`; NaN → −1
 * (drawn grey).
 */
export function colorIndices(
  values: ArrayLike<number>,
  nx: number,
  ny: number,
  levels: number,
  discrete = false,
): Int16Array {
  const index = new Int16Array(nx * ny);
  for (let r = 0; r < ny; r++) {
    const j = ny - 1 - r;
    for (let i = 0; i < nx; i++) {
      const p = values[j * nx + i];
      let k: number;
      if (Number.isNaN(p)) k = -1;
      else if (discrete) k = p >= 0.5 ? 1 : 0;
      else k = Math.min(levels - 1, Math.max(0, Math.floor(p * levels)));
      index[r * nx + i] = k;
    }
  }
  return index;
}

/**
 * `index[r * nx + i]` is the palette index of the cell in column i (left to right) and row r
 * (TOP to bottom); an index outside the palette is drawn in `fallback`.
 */
export function heatmapSvg(
  index: ArrayLike<number>,
  nx: number,
  ny: number,
  palette: readonly string[],
  box: Rect,
  fallback = "#bdbdbd",
): string {
  const colours = palette.length + 1;
  const idx = (k: number): number => {
    const v = index[k];
    return v >= 0 && v < palette.length && Number.isInteger(v) ? v : palette.length;
  };
  const colourOf = (c: number) => (c < palette.length ? palette[c] : fallback);

  const counts = new Float64Array(colours);
  for (let k = 0; k < nx * ny; k++) counts[idx(k)]++;
  let base = 0;
  for (let c = 1; c < colours; c++) if (counts[c] > counts[base]) base = c;

  // Rectangles per colour: [column, row, length, height] in cell units.
  const rects: number[][] = Array.from({ length: colours }, () => []);
  let open = new Map<number, number>(); // key of a run in the previous row → offset in rects[c]
  for (let r = 0; r < ny; r++) {
    const nextOpen = new Map<number, number>();
    let i = 0;
    while (i < nx) {
      const c = idx(r * nx + i);
      let e = i + 1;
      while (e < nx && idx(r * nx + e) === c) e++;
      if (c !== base) {
        const key = (c * (nx + 1) + i) * (nx + 1) + e;
        const list = rects[c];
        const at = open.get(key);
        if (at !== undefined) {
          list[at + 3]++;
          nextOpen.set(key, at);
        } else {
          nextOpen.set(key, list.length);
          list.push(i, r, e - i, 1);
        }
      }
      i = e;
    }
    open = nextOpen;
  }

  const parts: string[] = [tag("rect", { x: 0, y: 0, width: nx, height: ny, fill: colourOf(base) })];
  for (let c = 0; c < colours; c++) {
    const list = rects[c];
    if (c === base || list.length === 0) continue;
    let d = "";
    for (let k = 0; k < list.length; k += 4) {
      // Fills close subpaths implicitly, so the closing edge and "z" can be left out.
      d += `M${list[k]} ${list[k + 1]}h${list[k + 2]}v${list[k + 3]}h-${list[k + 2]}`;
    }
    parts.push(tag("path", { d, fill: colourOf(c) }));
  }
  const sx = box.width / nx;
  const sy = box.height / ny;
  return tag(
    "g",
    {
      class: "heatmap",
      transform: `translate(${fmt(box.x)} ${fmt(box.y)}) scale(${fmt(sx, 4)} ${fmt(sy, 4)})`,
      "shape-rendering": "crispEdges",
    },
    parts,
  );
}
