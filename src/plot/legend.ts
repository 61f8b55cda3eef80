/**
 * Legends, drawn as a boxed column of entries. Plots measure a legend first (to make room for it
 * beside the plot area, where it can never cover data), then draw it.
 */
import { ellipsePath, fmt, tag, text, textWidth } from "./svg.js";

export type LegendItem =
  /** A point marker: filled disc, or a ring when `ring`; optional square of `background` behind. */
  | { kind: "marker"; label: string; color: string; ring?: boolean; background?: string }
  /** A line sample, optionally dashed (SVG dash array such as "6 4"). */
  | { kind: "line"; label: string; color: string; dash?: string; width?: number }
  /** A shaded band with its centre line. */
  | { kind: "band"; label: string; color: string; opacity?: number }
  /** A cross (×), e.g. a run that diverged. */
  | { kind: "cross"; label: string; color: string }
  /** A filled square. */
  | { kind: "swatch"; label: string; color: string }
  /** A small bold-ish heading that groups the entries below it. */
  | { kind: "heading"; label: string }
  /** A horizontal colour bar (colours left to right) with labelled positions t ∈ [0, 1]. */
  | {
      kind: "colorbar";
      label: string;
      colors: readonly string[];
      ticks: ReadonlyArray<{ t: number; label: string }>;
    };

export const LEGEND_FONT = 12;
const PAD = 9;
const ROW = 20;
const SAMPLE = 24; // width of the marker/line sample
const GAP = 8;
const BAR_HEIGHT = 12;
const BAR_MIN_WIDTH = 150;

function itemHeight(item: LegendItem): number {
  if (item.kind === "colorbar") return ROW + BAR_HEIGHT + 18;
  if (item.kind === "heading") return ROW;
  return ROW;
}

function itemWidth(item: LegendItem): number {
  if (item.kind === "heading") return textWidth(item.label, LEGEND_FONT);
  if (item.kind === "colorbar") return Math.max(BAR_MIN_WIDTH, textWidth(item.label, LEGEND_FONT));
  return SAMPLE + GAP + textWidth(item.label, LEGEND_FONT);
}

export interface LegendSize {
  width: number;
  height: number;
}

export function measureLegend(items: readonly LegendItem[]): LegendSize {
  if (items.length === 0) return { width: 0, height: 0 };
  let w = 0;
  let h = 0;
  for (const it of items) {
    w = Math.max(w, itemWidth(it));
    h += itemHeight(it);
  }
  return { width: Math.ceil(w + 2 * PAD), height: Math.ceil(h + 2 * PAD - 4) };
}

function sample(item: LegendItem, x: number, cy: number): string {
  const cx = x + SAMPLE / 2;
  switch (item.kind) {
    case "marker": {
      const parts: string[] = [];
      if (item.background) {
        parts.push(
          tag("rect", {
            x: cx - 8,
            y: cy - 8,
            width: 16,
            height: 16,
            fill: item.background,
            stroke: "#999999",
            "stroke-width": 0.5,
          }),
        );
      }
      parts.push(
        item.ring
          ? tag("path", {
              d: ellipsePath(cx, cy, 4.2),
              fill: "none",
              stroke: item.color,
              "stroke-width": 1.8,
            })
          : tag("path", {
              d: ellipsePath(cx, cy, 4.2),
              fill: item.color,
              stroke: "#1a1a1a",
              "stroke-width": 0.7,
            }),
      );
      return parts.join("");
    }
    case "line":
      return tag("path", {
        d: `M${fmt(x)} ${fmt(cy)}h${SAMPLE}`,
        stroke: item.color,
        "stroke-width": item.width ?? 2,
        "stroke-dasharray": item.dash,
        fill: "none",
      });
    case "band":
      return (
        tag("rect", {
          x,
          y: cy - 6,
          width: SAMPLE,
          height: 12,
          fill: item.color,
          "fill-opacity": item.opacity ?? 0.2,
        }) +
        tag("path", {
          d: `M${fmt(x)} ${fmt(cy)}h${SAMPLE}`,
          stroke: item.color,
          "stroke-width": 2,
          fill: "none",
        })
      );
    case "cross":
      return tag("path", {
        d: `M${fmt(cx - 5)} ${fmt(cy - 5)}l10 10m0 -10l-10 10`,
        stroke: item.color,
        "stroke-width": 2.2,
        fill: "none",
      });
    case "swatch":
      return tag("rect", {
        x: cx - 7,
        y: cy - 7,
        width: 14,
        height: 14,
        fill: item.color,
        stroke: "#999999",
        "stroke-width": 0.5,
      });
    default:
      return "";
  }
}

/** Draws the legend with its top-left corner at (x, y). */
export function drawLegend(x: number, y: number, items: readonly LegendItem[]): string {
  if (items.length === 0) return "";
  const size = measureLegend(items);
  const parts: string[] = [
    tag("rect", {
      x: x + 0.5,
      y: y + 0.5,
      width: size.width - 1,
      height: size.height - 1,
      rx: 3,
      fill: "#ffffff",
      "fill-opacity": 0.92,
      stroke: "#cccccc",
    }),
  ];
  let top = y + PAD - 2;
  const innerWidth = size.width - 2 * PAD;
  for (const it of items) {
    const cy = top + ROW / 2;
    if (it.kind === "heading") {
      parts.push(text(x + PAD, cy + 4, it.label, { "font-weight": "bold", fill: "#333333" }));
    } else if (it.kind === "colorbar") {
      parts.push(text(x + PAD, cy + 4, it.label, { fill: "#333333" }));
      const barY = top + ROW + 1;
      const n = it.colors.length;
      const w = innerWidth / Math.max(1, n);
      const cells: string[] = [];
      for (let i = 0; i < n; i++) {
        // Overlap each cell by half a pixel into the next so no seams show between them.
        cells.push(
          tag("rect", {
            x: x + PAD + i * w,
            y: barY,
            width: w + (i < n - 1 ? 0.5 : 0),
            height: BAR_HEIGHT,
            fill: it.colors[i],
          }),
        );
      }
      parts.push(tag("g", { "shape-rendering": "crispEdges" }, cells));
      parts.push(
        tag("rect", {
          x: x + PAD,
          y: barY,
          width: innerWidth,
          height: BAR_HEIGHT,
          fill: "none",
          stroke: "#888888",
          "stroke-width": 0.6,
        }),
      );
      const labels: string[] = [];
      for (const t of it.ticks) {
        const tx = x + PAD + t.t * innerWidth;
        const anchor = t.t <= 0.001 ? "start" : t.t >= 0.999 ? "end" : "middle";
        labels.push(tag("path", { d: `M${fmt(tx)} ${fmt(barY + BAR_HEIGHT)}v3`, stroke: "#555555" }));
        labels.push(
          text(tx, barY + BAR_HEIGHT + 14, t.label, {
            "text-anchor": anchor,
            "font-size": 11,
            fill: "#333333",
          }),
        );
      }
      parts.push(labels.join(""));
    } else {
      parts.push(sample(it, x + PAD, cy));
      parts.push(text(x + PAD + SAMPLE + GAP, cy + 4, it.label, { fill: "#222222" }));
    }
    top += itemHeight(it);
  }
  return tag("g", { class: "legend", "font-size": LEGEND_FONT }, parts);
}
