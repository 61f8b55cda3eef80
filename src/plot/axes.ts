/**
 * Page layout (margins around a plot area, room for a legend on the right) and axes: frame,
 * ticks, tick labels, grid lines, axis labels and title.
 */
import type { LegendSize } from "./legend.js";
import type { Scale } from "./scale.js";
import { fmt, tag, text, textWidth } from "./svg.js";

/** A rectangle in pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageLayout {
  width: number;
  height: number;
  /** The plot area, where data is drawn. */
  area: Rect;
  /** Top-left corner of the legend (beside the plot area, to its right). */
  legend: { x: number; y: number };
}

export const TICK_FONT = 11;
export const LABEL_FONT = 13;
export const TITLE_FONT = 15;
const TICK = 5;
const EDGE = 12;
const LEGEND_GAP = 18;

export interface LayoutInput {
  /** Total width; by default the plot area width plus margins. */
  width?: number;
  /** Total height; by default the plot area height plus margins. */
  height?: number;
  plotWidth: number;
  plotHeight: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** The y tick labels expected (to size the left margin). */
  yTickLabels: readonly string[];
  legend: LegendSize;
}

export function pageLayout(input: LayoutInput): PageLayout {
  const yTickWidth = input.yTickLabels.reduce((m, s) => Math.max(m, textWidth(s, TICK_FONT)), 0);
  const left = Math.ceil(EDGE + (input.yLabel ? LABEL_FONT + 10 : 0) + yTickWidth + TICK + 6);
  const top = input.title ? 40 : 14;
  const bottom = EDGE + TICK + TICK_FONT + 6 + (input.xLabel ? LABEL_FONT + 10 : 0);
  const hasLegend = input.legend.width > 0;
  const right = hasLegend ? input.legend.width + LEGEND_GAP + EDGE : 22;
  let width = input.width ?? left + input.plotWidth + right;
  let height = input.height ?? top + input.plotHeight + bottom;
  // Never let the legend run off the page.
  height = Math.max(height, top + input.legend.height + EDGE);
  width = Math.max(width, left + 80 + right);
  height = Math.max(height, top + 60 + bottom);
  const area = { x: left, y: top, width: width - left - right, height: height - top - bottom };
  return {
    width,
    height,
    area,
    legend: { x: area.x + area.width + LEGEND_GAP, y: area.y },
  };
}

/** Ticks of `scale` thinned until their labels fit along `length` pixels without touching. */
export function fittedTicks(scale: Scale, length: number, horizontal: boolean): number[] {
  const target = Math.max(2, Math.round(length / (horizontal ? 90 : 55)));
  for (let count = target; count >= 2; count--) {
    const ticks = scale.ticks(count);
    if (!horizontal) return ticks;
    const labels = ticks.map((t) => scale.format(t, ticks));
    const px = ticks.map((t) => scale.map(t));
    let ok = true;
    for (let i = 1; i < ticks.length && ok; i++) {
      const room = Math.abs(px[i] - px[i - 1]);
      const need = (textWidth(labels[i], TICK_FONT) + textWidth(labels[i - 1], TICK_FONT)) / 2 + 10;
      if (room < need) ok = false;
    }
    if (ok) return ticks;
    if (scale.kind === "log") {
      // Keep every other power of ten.
      return ticks.filter((_, i) => i % 2 === 0);
    }
  }
  return scale.ticks(2);
}

export interface AxesOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Light grid lines behind the data. */
  grid?: boolean;
  /** Page width, to keep a long title on the page. */
  pageWidth?: number;
}

export interface AxesParts {
  /** Goes under the data: plot background and grid lines. */
  under: string;
  /** Goes over the data: frame, ticks, labels, title. */
  over: string;
}

function inside(v: number, lo: number, hi: number): boolean {
  return v >= Math.min(lo, hi) - 0.5 && v <= Math.max(lo, hi) + 0.5;
}

export function drawAxes(area: Rect, xs: Scale, ys: Scale, options: AxesOptions = {}): AxesParts {
  const x0 = area.x;
  const x1 = area.x + area.width;
  const y0 = area.y;
  const y1 = area.y + area.height;
  const xTicks = fittedTicks(xs, area.width, true).filter((t) => inside(xs.map(t), x0, x1));
  const yTicks = fittedTicks(ys, area.height, false).filter((t) => inside(ys.map(t), y0, y1));
  const xMinor = xs.minorTicks().filter((t) => inside(xs.map(t), x0, x1));
  const yMinor = ys.minorTicks().filter((t) => inside(ys.map(t), y0, y1));

  const under: string[] = [
    tag("rect", { x: x0, y: y0, width: area.width, height: area.height, fill: "#ffffff" }),
  ];
  if (options.grid) {
    let minor = "";
    for (const t of xMinor) minor += `M${fmt(xs.map(t))} ${fmt(y0)}V${fmt(y1)}`;
    for (const t of yMinor) minor += `M${fmt(x0)} ${fmt(ys.map(t))}H${fmt(x1)}`;
    if (minor) under.push(tag("path", { d: minor, stroke: "#f0f0f0", "stroke-width": 1, fill: "none" }));
    let major = "";
    for (const t of xTicks) major += `M${fmt(xs.map(t))} ${fmt(y0)}V${fmt(y1)}`;
    for (const t of yTicks) major += `M${fmt(x0)} ${fmt(ys.map(t))}H${fmt(x1)}`;
    if (major) under.push(tag("path", { d: major, stroke: "#e2e2e2", "stroke-width": 1, fill: "none" }));
  }

  const over: string[] = [];
  let ticks = "";
  for (const t of xTicks) ticks += `M${fmt(xs.map(t))} ${fmt(y1)}v${TICK}`;
  for (const t of yTicks) ticks += `M${fmt(x0)} ${fmt(ys.map(t))}h${-TICK}`;
  let minorTicks = "";
  for (const t of xMinor) minorTicks += `M${fmt(xs.map(t))} ${fmt(y1)}v3`;
  for (const t of yMinor) minorTicks += `M${fmt(x0)} ${fmt(ys.map(t))}h-3`;
  over.push(
    tag("rect", {
      x: x0,
      y: y0,
      width: area.width,
      height: area.height,
      fill: "none",
      stroke: "#3a3a3a",
      "stroke-width": 1,
    }),
  );
  if (ticks) over.push(tag("path", { d: ticks, stroke: "#3a3a3a", "stroke-width": 1, fill: "none" }));
  if (minorTicks)
    over.push(tag("path", { d: minorTicks, stroke: "#3a3a3a", "stroke-width": 0.7, fill: "none" }));

  const labels: string[] = [];
  for (const t of xTicks) {
    labels.push(
      text(xs.map(t), y1 + TICK + TICK_FONT + 2, xs.format(t, xTicks), { "text-anchor": "middle" }),
    );
  }
  for (const t of yTicks) {
    labels.push(text(x0 - TICK - 4, ys.map(t) + 4, ys.format(t, yTicks), { "text-anchor": "end" }));
  }
  over.push(tag("g", { class: "tick-labels", "font-size": TICK_FONT, fill: "#333333" }, labels));

  if (options.xLabel) {
    const y = y1 + TICK + TICK_FONT + 6 + LABEL_FONT + 6;
    over.push(
      text(x0 + area.width / 2, y, options.xLabel, {
        "text-anchor": "middle",
        "font-size": LABEL_FONT,
        fill: "#222222",
      }),
    );
  }
  if (options.yLabel) {
    const x = EDGE + LABEL_FONT - 2;
    const y = y0 + area.height / 2;
    over.push(
      text(x, y, options.yLabel, {
        "text-anchor": "middle",
        "font-size": LABEL_FONT,
        fill: "#222222",
        transform: `rotate(-90 ${fmt(x)} ${fmt(y)})`,
      }),
    );
  }
  if (options.title) {
    // Centred over the plot area, shifted to stay on the page when it is wider than the area.
    const w = textWidth(options.title, TITLE_FONT);
    let cx = x0 + area.width / 2;
    if (options.pageWidth !== undefined) cx = Math.min(cx, options.pageWidth - EDGE - w / 2);
    cx = Math.max(cx, EDGE + w / 2);
    over.push(
      text(cx, y0 - 14, options.title, {
        class: "title",
        "text-anchor": "middle",
        "font-size": TITLE_FONT,
        fill: "#111111",
      }),
    );
  }
  return { under: under.join("\n"), over: over.join("\n") };
}

/**
 * A nested viewport over the plot area: its content keeps page coordinates but is clipped to
 * the area (nested `<svg>` elements clip by default, so no ids or clip paths are needed).
 */
export function clipToArea(area: Rect, content: readonly string[], a: Record<string, string> = {}): string {
  return tag(
    "svg",
    {
      x: area.x,
      y: area.y,
      width: area.width,
      height: area.height,
      viewBox: `${fmt(area.x)} ${fmt(area.y)} ${fmt(area.width)} ${fmt(area.height)}`,
      overflow: "hidden",
      ...a,
    },
    content,
  );
}
