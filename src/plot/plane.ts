/**
 * What the plots of the plane (scatter, decision boundary, kick map) share: options, the data
 * window, the page layout with a square (or pitch-shaped) plot area, the document around the
 * plot area, level lines and the point markers.
 */
import type { Dataset } from "../data/dataset.js";
import { clipToArea, drawAxes, type PageLayout, pageLayout } from "./axes.js";
import { contourLines, type Grid } from "./grid.js";
import { drawLegend, type LegendItem, measureLegend } from "./legend.js";
import { CLASS_COLORS } from "./palette.js";
import { PITCH_LENGTH, PITCH_WIDTH } from "./pitch.js";
import { linearScale, type Scale } from "./scale.js";
import { compactPath, svgDocument, tag, text, textWidth } from "./svg.js";

const CAPTION_FONT = 13;

import { checkView, dataView, FOOTBALL_VIEW, type View, viewContains } from "./view.js";

export interface PlaneOptions {
  /** Plot title. */
  title?: string;
  /** Axis labels; default "x₁" and "x₂". */
  xLabel?: string;
  yLabel?: string;
  /** Names of class 0 and class 1 for the legend; default ["class 0", "class 1"]. */
  classNames?: readonly [string, string];
  /** The data window. Default: the data's range widened by `margin` (or the pitch, see `pitch`). */
  view?: View;
  /** Fraction of the data's range added on each side when no view is given; default 0.06. */
  margin?: number;
  /**
   * Draw a football pitch, attached to `pitchBox`. Without a `view`, the window is then the pitch
   * box itself when all points lie inside it.
   */
  pitch?: boolean;
  /** Where the whole pitch lies in data coordinates; default FOOTBALL_VIEW. */
  pitchBox?: View;
  /** Total size in pixels; by default derived from a 440×440 plot area (105:68 with a pitch). */
  width?: number;
  height?: number;
  /** Marker radius in pixels; default 4. */
  pointRadius?: number;
  /**
   * With `pitch`: label the axes in metres — along the pitch from France's goal line (the pitch
   * box's left edge) and across it from the bottom touchline — instead of data units.
   */
  metres?: boolean;
}

export const DEFAULT_CLASS_NAMES: readonly [string, string] = ["class 0", "class 1"];

export function resolveView(options: PlaneOptions, datasets: readonly Dataset[]): View {
  if (options.view) {
    checkView(options.view);
    return options.view;
  }
  const margin = options.margin ?? 0.06;
  if (!(margin >= 0) || !Number.isFinite(margin)) throw new RangeError(`margin must be ≥ 0, got ${margin}`);
  if (options.pitch) {
    const box = options.pitchBox ?? FOOTBALL_VIEW;
    checkView(box);
    if (viewContains(box, datasets)) return box;
    // Some points lie off the pitch: show the whole pitch and every point.
    const d = dataView(datasets, margin);
    return {
      xMin: Math.min(box.xMin, d.xMin),
      xMax: Math.max(box.xMax, d.xMax),
      yMin: Math.min(box.yMin, d.yMin),
      yMax: Math.max(box.yMax, d.yMax),
    };
  }
  return dataView(datasets, margin);
}

export interface PlaneFrame {
  layout: PageLayout;
  xs: Scale;
  ys: Scale;
}

/** Scales over the same pixels that read in pitch metres (see PlaneOptions.metres). */
function metreScales(view: View, box: View, xs: Scale, ys: Scale): { xs: Scale; ys: Scale } {
  const mx = (x: number) => ((x - box.xMin) / (box.xMax - box.xMin)) * PITCH_LENGTH;
  const my = (y: number) => ((y - box.yMin) / (box.yMax - box.yMin)) * PITCH_WIDTH;
  return {
    xs: linearScale([mx(view.xMin), mx(view.xMax)], xs.range),
    ys: linearScale([my(view.yMin), my(view.yMax)], ys.range),
  };
}

const METRE_LABELS = { x: "metres from France's goal line", y: "metres across the pitch" };

/** Greedy word wrap to a pixel width at a font size. */
export function wrapText(s: string, width: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of s.split(/\s+/)) {
    const next = line === "" ? word : `${line} ${word}`;
    if (line !== "" && textWidth(next, fontSize) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** Lays out a page for a 2-D plot of `view` with the given legend, and makes its scales. */
function planeFrame(options: PlaneOptions, view: View, legend: readonly LegendItem[]): PlaneFrame {
  const yLabels = linearScale([view.yMin, view.yMax], [0, 1])
    .ticks(8)
    .map((t, _i, all) => linearScale([view.yMin, view.yMax], [0, 1]).format(t, all));
  const pitchShaped = options.pitch === true;
  const layout = pageLayout({
    width: options.width,
    height: options.height,
    plotWidth: pitchShaped ? 546 : 440,
    plotHeight: pitchShaped ? 354 : 440,
    title: options.title,
    xLabel: axisLabels(options).x,
    yLabel: axisLabels(options).y,
    yTickLabels: yLabels,
    legend: measureLegend(legend),
  });
  const a = layout.area;
  const xs = linearScale([view.xMin, view.xMax], [a.x, a.x + a.width]);
  const ys = linearScale([view.yMin, view.yMax], [a.y + a.height, a.y]);
  return { layout, xs, ys };
}

export interface PlanePage {
  title: string;
  legend: readonly LegendItem[];
  /** Light grid lines behind the data; default false. */
  grid?: boolean;
  /** What the plot area holds, bottom first (clipped to the area), drawn with the page's scales. */
  draw: (frame: PlaneFrame) => string[];
  /** A sentence under the plot, wrapped to the page's width. */
  caption?: string;
}

function axisLabels(options: PlaneOptions): { x: string; y: string } {
  const metres = options.metres === true && options.pitch === true;
  return {
    x: options.xLabel ?? (metres ? METRE_LABELS.x : "x₁"),
    y: options.yLabel ?? (metres ? METRE_LABELS.y : "x₂"),
  };
}

/** A standalone SVG document: axes, title and legend around the plot area `page.draw` fills. */
export function planeDocument(options: PlaneOptions, view: View, page: PlanePage): string {
  const frame = planeFrame({ ...options, title: page.title }, view, page.legend);
  const { layout, xs, ys } = frame;
  const labels = axisLabels(options);
  const onAxes =
    options.metres && options.pitch
      ? metreScales(view, options.pitchBox ?? FOOTBALL_VIEW, xs, ys)
      : { xs, ys };
  const axes = drawAxes(layout.area, onAxes.xs, onAxes.ys, {
    pageWidth: layout.width,
    title: page.title,
    xLabel: labels.x,
    yLabel: labels.y,
    grid: page.grid,
  });
  const body = [
    axes.under,
    clipToArea(layout.area, page.draw(frame)),
    axes.over,
    drawLegend(layout.legend.x, layout.legend.y, page.legend),
  ];
  let height = layout.height;
  if (page.caption) {
    const lines = wrapText(page.caption, layout.width - 2 * layout.area.x + 40, CAPTION_FONT);
    body.push(
      tag(
        "g",
        { class: "caption", "font-size": CAPTION_FONT, fill: "#1a1a1a" },
        lines.map((l, i) => text(layout.area.x - 20, height + 4 + i * (CAPTION_FONT + 5), l)),
      ),
    );
    height += lines.length * (CAPTION_FONT + 5) + 10;
  }
  return svgDocument(layout.width, height, body, { title: page.title });
}

/** The level line `values = level` of a grid as one path's `d` in page coordinates ("" if none). */
export function levelPath(grid: Grid, level: number, xs: Scale, ys: Scale): string {
  let d = "";
  for (const line of contourLines(grid, level)) {
    d += compactPath(
      line.x.map((x) => xs.map(x)),
      line.y.map((y) => ys.map(y)),
      line.closed,
    );
  }
  return d;
}

export interface PointStyle {
  /** Hollow rings (test points) instead of filled discs with a dark outline. */
  ring?: boolean;
  radius?: number;
  colors?: readonly [string, string];
  /** Class attribute of the group, e.g. "train" or "test". */
  name: string;
}

/**
 * The dataset's points as `<circle>` elements, one per example with finite coordinates, grouped
 * by class. Plots draw no other circles, so counting `<circle` counts data points.
 */
export function pointsSvg(d: Dataset, xs: Scale, ys: Scale, style: PointStyle): string {
  const m = d.X.cols;
  const r = style.radius ?? 4;
  const colors = style.colors ?? CLASS_COLORS;
  const byClass: string[][] = [[], []];
  for (let j = 0; j < m; j++) {
    const x = d.X.data[j];
    const y = d.X.data[m + j];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    byClass[d.y[j] === 1 ? 1 : 0].push(tag("circle", { cx: xs.map(x), cy: ys.map(y), r }));
  }
  const groups: string[] = [];
  for (const c of [0, 1]) {
    if (byClass[c].length === 0) continue;
    const paint = style.ring
      ? { fill: "none", stroke: colors[c], "stroke-width": 1.8 }
      : { fill: colors[c], stroke: "#1a1a1a", "stroke-width": 0.7 };
    groups.push(tag("g", { class: `${style.name} class-${c}`, ...paint }, byClass[c]));
  }
  return groups.join("\n");
}

/** Legend entries for the two classes and, when there is a test set, for the two marker styles. */
export function classLegend(
  classNames: readonly [string, string],
  hasTest: boolean,
  regionColors?: readonly [string, string],
): LegendItem[] {
  const items: LegendItem[] = [
    { kind: "marker", label: classNames[0], color: CLASS_COLORS[0], background: regionColors?.[0] },
    { kind: "marker", label: classNames[1], color: CLASS_COLORS[1], background: regionColors?.[1] },
  ];
  if (hasTest) {
    items.push({ kind: "marker", label: "training set", color: "#6b6b6b" });
    items.push({ kind: "marker", label: "test set", color: "#4a4a4a", ring: true });
  }
  return items;
}
