/**
 * A learning-rate sweep: a score (e.g. test accuracy) against α on a log axis, one line per arm
 * (with and without max-norm). A run that diverged has no score, so it is drawn as a cross in a
 * shaded strip under the plot labelled "diverged" — never as a score of 0 — and breaks its line.
 * Without a diverged run there is no strip.
 */
import { drawAxes, pageLayout } from "./axes.js";
import type { ChartOptions } from "./curves.js";
import { drawLegend, type LegendItem, measureLegend } from "./legend.js";
import { seriesColor } from "./palette.js";
import { linearScale, logScale, niceDomain, padLogDomain } from "./scale.js";
import { fmt, svgDocument, tag, text } from "./svg.js";

export interface RatePoint {
  learningRate: number;
  /** The score; absent when the run diverged (or was not scored). */
  value?: number;
  diverged: boolean;
}

export interface RateArm {
  name: string;
  points: readonly RatePoint[];
  color?: string;
}

export interface RateChartOptions extends ChartOptions {
  /** Clamp the score axis to this range (e.g. [0, 100] for percentages). */
  bounds?: readonly [number, number];
}

/** Height of the strip under the scores where diverged runs sit. */
const STRIP = 34;
const CROSS = 5;
const GAP = 8;

export function plotLearningRates(arms: readonly RateArm[], options: RateChartOptions = {}): string {
  for (const arm of arms)
    for (const p of arm.points)
      if (!(p.learningRate > 0) || (p.value !== undefined && !Number.isFinite(p.value)))
        throw new RangeError(`arm "${arm.name}": needs α > 0 and finite scores`);
  const all = arms.flatMap((a) => a.points);
  const anyDiverged = all.some((p) => p.diverged);
  const legend: LegendItem[] = arms.map((a, i) => ({
    kind: "line",
    label: a.name,
    color: a.color ?? seriesColor(i),
  }));
  if (anyDiverged) legend.push({ kind: "cross", label: "diverged", color: "#555555" });
  const xLabel = options.xLabel ?? "learning rate α (log scale)";
  const yLabel = options.yLabel ?? "accuracy (%)";
  const values = all.flatMap((p) => (p.diverged || p.value === undefined ? [] : [p.value]));
  let [lo, hi] = values.length > 0 ? [Math.min(...values), Math.max(...values)] : [0, 1];
  const pad = Math.max(1, 0.06 * (hi - lo));
  [lo, hi] = niceDomain(lo - pad, hi + pad, 5);
  if (options.bounds) [lo, hi] = [Math.max(lo, options.bounds[0]), Math.min(hi, options.bounds[1])];
  const layout = pageLayout({
    ...(options.width !== undefined && { width: options.width }),
    ...(options.height !== undefined && { height: options.height }),
    plotWidth: 440,
    plotHeight: 300,
    title: options.title,
    xLabel,
    yLabel,
    yTickLabels: [String(hi), String(lo)],
    legend: measureLegend(legend),
  });
  const a = layout.area;
  const rates = all.map((p) => p.learningRate);
  const log = logScale(
    rates.length > 0 ? padLogDomain(Math.min(...rates), Math.max(...rates), 0.08) : [0.1, 1],
    [a.x, a.x + a.width],
  );
  // Ticks at the α tried, so each point reads off the axis.
  const tried = [...new Set(rates)].sort((p, q) => p - q);
  const xs = tried.length > 1 ? { ...log, ticks: () => tried } : log;
  // Scores above the strip (with a gap); the strip holds the diverged runs, if any.
  const below = anyDiverged ? STRIP + GAP : 0;
  const ys = linearScale([lo, hi], [a.y + a.height - below, a.y]);
  const axes = drawAxes(a, xs, ys, {
    grid: true,
    pageWidth: layout.width,
    ...(options.title !== undefined && { title: options.title }),
    xLabel,
    yLabel,
  });
  const stripTop = a.y + a.height - STRIP;
  const strip = anyDiverged
    ? [
        tag("rect", {
          class: "diverged-strip",
          x: a.x,
          y: stripTop,
          width: a.width,
          height: STRIP,
          fill: "#555555",
          "fill-opacity": 0.1,
        }),
        text(a.x + 6, stripTop + 12, "diverged", { "font-size": 10, fill: "#444444" }),
      ]
    : [];
  const series = arms.map((arm, i) => {
    const color = arm.color ?? seriesColor(i);
    const sorted = [...arm.points].sort((p, q) => p.learningRate - q.learningRate);
    // One arm's crosses a little below the other's, so two at one α stay apart.
    const crossY = stripTop + ((i + 1) * STRIP) / (arms.length + 1) + 3;
    let d = "";
    let open = false;
    const marks: string[] = [];
    for (const p of sorted) {
      const x = xs.map(p.learningRate);
      if (p.diverged || p.value === undefined) {
        open = false;
        if (p.diverged)
          marks.push(
            tag("path", {
              class: "diverged",
              d: `M${fmt(x - CROSS)} ${fmt(crossY - CROSS)}l${2 * CROSS} ${2 * CROSS}m0 ${-2 * CROSS}l${-2 * CROSS} ${2 * CROSS}`,
              stroke: color,
              "stroke-width": 2.2,
              fill: "none",
            }),
          );
        continue;
      }
      const y = ys.map(p.value);
      d += `${open ? "L" : "M"}${fmt(x)} ${fmt(y)}`;
      open = true;
      marks.push(
        tag("circle", {
          class: "point",
          cx: x,
          cy: y,
          r: 3.5,
          fill: color,
          stroke: "#ffffff",
          "stroke-width": 0.8,
        }),
      );
    }
    const line = d
      ? tag("path", { d, fill: "none", stroke: color, "stroke-width": 1.9, "stroke-linejoin": "round" })
      : "";
    return tag("g", { class: "series", "data-name": arm.name }, [line, ...marks]);
  });
  const body = [
    axes.under,
    ...strip,
    ...series,
    axes.over,
    drawLegend(layout.legend.x, layout.legend.y, legend),
  ];
  return svgDocument(layout.width, layout.height, body, {
    title: options.title ?? "Accuracy against the learning rate α",
  });
}
