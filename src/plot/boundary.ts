/**
 * Decision-boundary plots: the model's probability of class 1 sampled on a grid (one call to
 * `predict` for the whole grid), drawn as a heat map with its 0.5 level line, the points on top.
 */
import type { Matrix } from "../core/matrix.js";
import type { Dataset } from "../data/dataset.js";
import { type Grid, sampleGrid } from "./grid.js";
import { colorIndices, heatmapSvg } from "./heatmap.js";
import type { LegendItem } from "./legend.js";
import { diverging, divergingTable } from "./palette.js";
import { drawPitch } from "./pitch.js";
import {
  classLegend,
  DEFAULT_CLASS_NAMES,
  levelPath,
  type PlaneOptions,
  planeDocument,
  pointsSvg,
  resolveView,
} from "./plane.js";
import type { Scale } from "./scale.js";
import { tag } from "./svg.js";
import { assertTwoFeatures, FOOTBALL_VIEW } from "./view.js";

/** How far the heat map's colours reach towards the palette's dark ends (markers stay visible). */
export const HEATMAP_INTENSITY = 0.44;

export interface BoundaryOptions extends PlaneOptions {
  /**
   * "probability": smooth diverging colours for P(class 1) (quantized to `levels` colours);
   * "discrete": two colours split at 0.5. Both draw the 0.5 level line. Default "probability".
   */
  mode?: "probability" | "discrete";
  /** Grid resolution: cells along x and y; default 120 (a number sets both). */
  grid?: number | { x: number; y: number };
  /** Colours in probability mode; default 32. */
  levels?: number;
  /** Draw the p = 0.5 line; default true. */
  contour?: boolean;
  /** Draw the test points, when given; default true. */
  showTest?: boolean;
}

/** The heat map's colour for probability p (the same quantization as the drawing). */
export function probabilityColor(p: number, levels = 32): string {
  const n = Math.max(2, Math.floor(levels));
  const k = Math.min(n - 1, Math.max(0, Math.floor(p * n)));
  return diverging((k + 0.5) / n, HEATMAP_INTENSITY);
}

/** The two region colours of discrete mode: [class 0, class 1]. */
export function regionColors(): [string, string] {
  return [diverging(0, HEATMAP_INTENSITY), diverging(1, HEATMAP_INTENSITY)];
}

function contourSvg(grid: Grid, xs: Scale, ys: Scale): string {
  const d = levelPath(grid, 0.5, xs, ys);
  if (!d) return "";
  return tag("path", {
    class: "boundary",
    d,
    fill: "none",
    stroke: "#1a1a1a",
    "stroke-width": 1.6,
    "stroke-linejoin": "round",
    "stroke-linecap": "round",
  });
}

/**
 * Plots a binary classifier's decision boundary over a 2-feature dataset.
 *
 * `predict` gets every grid point at once, as a 2 × (nx·ny) matrix whose columns are examples,
 * and returns P(class 1) for each column. The window is `options.view`, or the data's range with
 * a margin (the pitch box with `pitch: true`). Training points are filled discs, test points
 * hollow rings; the legend names the classes with `options.classNames`.
 */
export function plotDecisionBoundary(
  predict: (X: Matrix) => Float64Array,
  data: { train: Dataset; test?: Dataset },
  options: BoundaryOptions = {},
): string {
  assertTwoFeatures(data.train, "training data");
  const test = options.showTest === false ? undefined : data.test;
  if (test) assertTwoFeatures(test, "test data");
  const view = resolveView(options, test ? [data.train, test] : [data.train]);
  const nx = typeof options.grid === "object" ? options.grid.x : (options.grid ?? 120);
  const ny = typeof options.grid === "object" ? options.grid.y : (options.grid ?? 120);
  const mode = options.mode ?? "probability";
  const levels = Math.max(2, Math.min(256, Math.floor(options.levels ?? 32)));
  const classNames = options.classNames ?? DEFAULT_CLASS_NAMES;
  const title = options.title ?? "Decision boundary";

  const grid = sampleGrid(predict, view, nx, ny);

  const regions = regionColors();
  const legend: LegendItem[] = classLegend(classNames, test !== undefined, regions);
  if (options.contour ?? true) {
    legend.push({ kind: "line", label: "boundary, p = 0.5", color: "#1a1a1a", width: 1.6 });
  }
  const palette = mode === "discrete" ? regions : divergingTable(levels, HEATMAP_INTENSITY);
  if (mode === "probability") {
    legend.push({
      kind: "colorbar",
      label: `P(${classNames[1]})`,
      colors: palette,
      ticks: [
        { t: 0, label: "0" },
        { t: 0.25, label: "0.25" },
        { t: 0.5, label: "0.5" },
        { t: 0.75, label: "0.75" },
        { t: 1, label: "1" },
      ],
    });
  }

  const index = colorIndices(grid.values, nx, ny, levels, mode === "discrete");
  const r = options.pointRadius ?? 4;
  return planeDocument(options, view, {
    title,
    legend,
    draw: ({ layout, xs, ys }) => {
      const a = layout.area;
      const inner: string[] = [
        heatmapSvg(index, nx, ny, palette, { x: a.x, y: a.y, width: a.width, height: a.height }),
      ];
      if (options.pitch) inner.push(drawPitch(xs, ys, options.pitchBox ?? FOOTBALL_VIEW));
      if (options.contour ?? true) inner.push(contourSvg(grid, xs, ys));
      if (test) inner.push(pointsSvg(test, xs, ys, { name: "test", ring: true, radius: r + 0.5 }));
      inner.push(pointsSvg(data.train, xs, ys, { name: "train", radius: r }));
      return inner;
    },
  });
}
