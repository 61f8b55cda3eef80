/**
 * A reliability diagram: for each model, the accuracy of each confidence bin against the bin's
 * mean confidence, beside the diagonal of perfect calibration. Points below the diagonal are
 * overconfident; each point's area follows its share of the examples, so a sparse bin reads as one.
 */
import { clipToArea, drawAxes, pageLayout } from "./axes.js";
import type { ChartOptions } from "./curves.js";
import { drawLegend, type LegendItem, measureLegend } from "./legend.js";
import { seriesColor } from "./palette.js";
import { linearScale } from "./scale.js";
import { compactPath, fmt, group, svgDocument, tag } from "./svg.js";

/** One bin as experiments/calibration.ts makes it (empty bins: count 0). */
export interface ReliabilityPoint {
  confidence: number;
  accuracy: number;
  count: number;
}

export interface ReliabilitySeries {
  /** Shown in the legend, e.g. "none (ECE 0.041)". */
  name: string;
  bins: readonly ReliabilityPoint[];
  color?: string;
}

export function plotReliability(series: readonly ReliabilitySeries[], options: ChartOptions = {}): string {
  const legend: LegendItem[] = [
    { kind: "line", label: "perfect calibration", color: "#888888", dash: "5 4" },
    ...series.map((s, i) => ({ kind: "line" as const, label: s.name, color: s.color ?? seriesColor(i) })),
  ];
  const layout = pageLayout({
    ...(options.width !== undefined && { width: options.width }),
    ...(options.height !== undefined && { height: options.height }),
    plotWidth: 380,
    plotHeight: 380,
    title: options.title,
    xLabel: options.xLabel ?? "confidence (mean of the bin)",
    yLabel: options.yLabel ?? "accuracy in the bin",
    yTickLabels: ["0.0", "1.0"],
    legend: measureLegend(legend),
  });
  const a = layout.area;
  const xs = linearScale([0, 1], [a.x, a.x + a.width]);
  const ys = linearScale([0, 1], [a.y + a.height, a.y]);
  const axes = drawAxes(a, xs, ys, {
    grid: true,
    pageWidth: layout.width,
    ...(options.title !== undefined && { title: options.title }),
    xLabel: options.xLabel ?? "confidence (mean of the bin)",
    yLabel: options.yLabel ?? "accuracy in the bin",
  });
  const inner: string[] = [
    tag("path", {
      d: `M${fmt(xs.map(0))} ${fmt(ys.map(0))}L${fmt(xs.map(1))} ${fmt(ys.map(1))}`,
      stroke: "#888888",
      "stroke-dasharray": "5 4",
      fill: "none",
    }),
  ];
  series.forEach((s, i) => {
    const color = s.color ?? seriesColor(i);
    const shown = s.bins.filter((b) => b.count > 0);
    const total = shown.reduce((n, b) => n + b.count, 0);
    const px = shown.map((b) => xs.map(b.confidence));
    const py = shown.map((b) => ys.map(b.accuracy));
    const dots = shown.map((b, k) =>
      tag("circle", {
        cx: px[k],
        cy: py[k],
        // Area ∝ share of the examples: 2 px for a lone example up to 9 px for all of them.
        r: 2 + 7 * Math.sqrt(b.count / total),
        fill: color,
        "fill-opacity": 0.75,
      }),
    );
    inner.push(
      group({ class: `series series-${i}` }, [
        tag("path", { d: compactPath(px, py), stroke: color, "stroke-width": 1.8, fill: "none" }),
        ...dots,
      ]),
    );
  });
  const body = [
    axes.under,
    clipToArea(a, inner),
    axes.over,
    drawLegend(layout.legend.x, layout.legend.y, legend),
  ];
  return svgDocument(layout.width, layout.height, body, { title: options.title ?? "Reliability diagram" });
}
