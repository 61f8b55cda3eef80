/**
 * Line charts: cost curves of several training runs (with an optional log scale and vertical
 * markers such as an early-stopping point), and generic curves with shaded bands (validation
 * curves over λ, with their spread across folds or seeds).
 */
import { clipToArea, drawAxes, pageLayout, type Rect } from "./axes.js";
import { drawLegend, type LegendItem, measureLegend } from "./legend.js";
import { seriesColor } from "./palette.js";
import { linearScale, logScale, padLogDomain, type Scale } from "./scale.js";
import { fmt, svgDocument, tag, text, textWidth } from "./svg.js";

export interface VerticalMarker {
  /** Position on the x axis (an iteration, a λ…). */
  x: number;
  label: string;
}

export interface ChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Total size in pixels; by default derived from a 520×340 plot area. */
  width?: number;
  height?: number;
}

export interface CostSeries {
  name: string;
  iterations: readonly number[];
  costs: readonly number[];
  /** Draw dashed (e.g. the validation cost beside the training cost). */
  dashed?: boolean;
  /** Override the series colour (any CSS colour). */
  color?: string;
}

export interface CostCurveOptions extends ChartOptions {
  /** Log-scaled cost axis (ticks at powers of ten). */
  logScale?: boolean;
  /** Vertical dashed lines with a label, e.g. `{ iteration: 7000, label: "early stop" }`. */
  markers?: ReadonlyArray<{ iteration: number; label: string }>;
}

export interface BandSeries {
  name: string;
  x: readonly number[];
  mean: readonly number[];
  /** Lower and upper edges of the shaded band (both needed to draw it). */
  low?: readonly number[];
  high?: readonly number[];
  dashed?: boolean;
  color?: string;
}

export interface BandOptions extends ChartOptions {
  /** Log-scaled x axis (non-positive x values are left out). */
  logX?: boolean;
  /** Log-scaled y axis (non-positive values are left out). */
  logY?: boolean;
  /** Vertical dashed lines with a label, e.g. the chosen λ. */
  markers?: readonly VerticalMarker[];
  /** Dots at the data points; default: when a series has at most 60 points. */
  points?: boolean;
  /** Shaded x ranges with a label, e.g. the over-smoothed λ (a bound past the data runs to the edge). */
  regions?: readonly XRegion[];
}

export interface XRegion {
  from: number;
  to: number;
  label: string;
}

interface Line {
  name: string;
  color: string;
  dashed: boolean;
  x: readonly number[];
  y: readonly number[];
  low?: readonly number[];
  high?: readonly number[];
  points: boolean;
}

function checkLengths(name: string, what: string, a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length) {
    throw new RangeError(`series "${name}": ${what} have ${a.length} and ${b.length} values`);
  }
}

/** Extent of values usable on the axis (finite, and positive for a log axis). */
function extent(values: Iterable<number>, log: boolean): [number, number] | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

function makeScale(
  ext: [number, number] | undefined,
  log: boolean,
  range: [number, number],
  pad: number,
): Scale {
  if (log) {
    const [lo, hi] = ext ?? [0.1, 1];
    return logScale(padLogDomain(lo, hi, pad), range);
  }
  let [lo, hi] = ext ?? [0, 1];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const p = (hi - lo) * pad;
  return linearScale([lo - p, hi + p], range);
}

/** Splits a series into runs of drawable points (both coordinates valid on their scales). */
function runs(
  xs: Scale,
  ys: Scale,
  x: readonly number[],
  y: readonly number[],
): Array<{ px: number[]; py: number[]; idx: number[] }> {
  const out: Array<{ px: number[]; py: number[]; idx: number[] }> = [];
  let cur: { px: number[]; py: number[]; idx: number[] } | undefined;
  for (let i = 0; i < x.length; i++) {
    const px = xs.map(x[i]);
    const py = ys.map(y[i]);
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      cur = undefined;
      continue;
    }
    if (!cur) {
      cur = { px: [], py: [], idx: [] };
      out.push(cur);
    }
    cur.px.push(px);
    cur.py.push(py);
    cur.idx.push(i);
  }
  return out;
}

function seriesSvg(line: Line, xs: Scale, ys: Scale): string {
  const parts: string[] = [];
  if (line.low && line.high) {
    // The band: along the upper edge, back along the lower edge, per run of valid points.
    const xsHigh = runs(xs, ys, line.x, line.high);
    let d = "";
    for (const run of xsHigh) {
      const lowPx: number[] = [];
      const lowPy: number[] = [];
      const hiPx: number[] = [];
      const hiPy: number[] = [];
      for (let k = 0; k < run.idx.length; k++) {
        const i = run.idx[k];
        const ly = ys.map(line.low[i]);
        if (!Number.isFinite(ly)) continue;
        hiPx.push(run.px[k]);
        hiPy.push(run.py[k]);
        lowPx.push(run.px[k]);
        lowPy.push(ly);
      }
      if (hiPx.length < 2) continue;
      for (let k = 0; k < hiPx.length; k++) d += `${k === 0 ? "M" : "L"}${fmt(hiPx[k])} ${fmt(hiPy[k])}`;
      for (let k = lowPx.length - 1; k >= 0; k--) d += `L${fmt(lowPx[k])} ${fmt(lowPy[k])}`;
      d += "Z";
    }
    if (d)
      parts.push(tag("path", { class: "band", d, fill: line.color, "fill-opacity": 0.18, stroke: "none" }));
  }
  let d = "";
  const dots: string[] = [];
  for (const run of runs(xs, ys, line.x, line.y)) {
    for (let k = 0; k < run.px.length; k++) d += `${k === 0 ? "M" : "L"}${fmt(run.px[k])} ${fmt(run.py[k])}`;
    if (line.points)
      for (let k = 0; k < run.px.length; k++)
        dots.push(tag("circle", { cx: run.px[k], cy: run.py[k], r: 3 }));
  }
  if (d) {
    parts.push(
      tag("path", {
        d,
        fill: "none",
        stroke: line.color,
        "stroke-width": 1.9,
        "stroke-dasharray": line.dashed ? "7 4" : undefined,
        "stroke-linejoin": "round",
        "stroke-linecap": line.dashed ? "butt" : "round",
      }),
    );
  }
  if (dots.length > 0)
    parts.push(tag("g", { fill: line.color, stroke: "#ffffff", "stroke-width": 0.8 }, dots));
  return tag("g", { class: "series" }, parts);
}

function markersSvg(markers: readonly VerticalMarker[], xs: Scale, area: Rect): string {
  const parts: string[] = [];
  const x0 = area.x;
  const x1 = area.x + area.width;
  markers.forEach((m, k) => {
    const px = xs.map(m.x);
    if (!Number.isFinite(px) || px < x0 - 0.5 || px > x1 + 0.5) return;
    parts.push(
      tag("path", {
        d: `M${fmt(px)} ${fmt(area.y)}V${fmt(area.y + area.height)}`,
        stroke: "#555555",
        "stroke-width": 1.2,
        "stroke-dasharray": "3 3",
      }),
    );
    // Label near the top, on whichever side of the line has room; stacked if there are several.
    const w = textWidth(m.label, 11);
    const right = px + 5 + w <= x1 - 4;
    const tx = right ? px + 5 : px - 5;
    const ty = area.y + 15 + (k % 3) * 15;
    parts.push(
      tag("rect", {
        x: right ? tx - 2 : tx - w - 2,
        y: ty - 10,
        width: w + 4,
        height: 14,
        fill: "#ffffff",
        "fill-opacity": 0.85,
      }),
    );
    parts.push(
      text(tx, ty, m.label, { "text-anchor": right ? "start" : "end", "font-size": 11, fill: "#333333" }),
    );
  });
  return tag("g", { class: "markers" }, parts);
}

/** Shaded x ranges behind the lines, each labelled at the bottom of the plot area. */
function regionsSvg(regions: readonly XRegion[], xs: Scale, area: Rect): string {
  const x0 = area.x;
  const x1 = area.x + area.width;
  const parts: string[] = [];
  for (const r of regions) {
    const a = Math.max(x0, Math.min(x1, Number.isFinite(xs.map(r.from)) ? xs.map(r.from) : x0));
    const b = Math.max(x0, Math.min(x1, Number.isFinite(xs.map(r.to)) ? xs.map(r.to) : x1));
    if (b - a < 1) continue;
    parts.push(
      tag("rect", {
        x: a,
        y: area.y,
        width: b - a,
        height: area.height,
        fill: "#555555",
        "fill-opacity": 0.16,
        stroke: "none",
      }),
    );
    const w = textWidth(r.label, 11);
    const fits = w + 8 <= b - a;
    parts.push(
      text(fits ? (a + b) / 2 : b - 4, area.y + area.height - 8, r.label, {
        "text-anchor": fits ? "middle" : "end",
        "font-size": 11,
        fill: "#222222",
      }),
    );
  }
  return tag("g", { class: "regions" }, parts);
}

interface ChartSpec extends ChartOptions {
  regions?: readonly XRegion[];
  lines: Line[];
  logX: boolean;
  logY: boolean;
  markers: readonly VerticalMarker[];
  xPad: number;
}

function lineChart(spec: ChartSpec): string {
  const legend: LegendItem[] = spec.lines.map((l) =>
    l.low && l.high
      ? { kind: "band", label: l.name, color: l.color }
      : { kind: "line", label: l.name, color: l.color, dash: l.dashed ? "7 4" : undefined },
  );
  const xExt = extent(
    spec.lines.flatMap((l) => l.x),
    spec.logX,
  );
  const yExt = extent(
    spec.lines.flatMap((l) => [...l.y, ...(l.low && l.high ? [...l.low, ...l.high] : [])]),
    spec.logY,
  );
  // Lay out once with a provisional y scale (to size the tick labels), then build the real scales.
  const provisional = makeScale(yExt, spec.logY, [340, 0], 0.05);
  const provisionalTicks = provisional.ticks(6);
  const layout = pageLayout({
    width: spec.width,
    height: spec.height,
    plotWidth: 520,
    plotHeight: 340,
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    yTickLabels: provisionalTicks.map((t) => provisional.format(t, provisionalTicks)),
    legend: measureLegend(legend),
  });
  const a = layout.area;
  const xs = makeScale(xExt, spec.logX, [a.x, a.x + a.width], spec.xPad);
  const ys = makeScale(yExt, spec.logY, [a.y + a.height, a.y], 0.05);
  const axes = drawAxes(a, xs, ys, {
    pageWidth: layout.width,
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    grid: true,
  });
  const inner = spec.lines.map((l) => seriesSvg(l, xs, ys));
  const body = [axes.under];
  if (spec.regions && spec.regions.length > 0) body.push(regionsSvg(spec.regions, xs, a));
  body.push(clipToArea(a, inner));
  if (spec.markers.length > 0) body.push(markersSvg(spec.markers, xs, a));
  body.push(axes.over, drawLegend(layout.legend.x, layout.legend.y, legend));
  return svgDocument(layout.width, layout.height, body, { title: spec.title });
}

/**
 * Cost against iteration for several runs on one chart, with a legend beside it. Values that are
 * not finite (or not positive on a log scale) break the line instead of failing.
 */
export function plotCostCurves(series: readonly CostSeries[], options: CostCurveOptions = {}): string {
  const lines: Line[] = series.map((s, i) => {
    checkLengths(s.name, "iterations and costs", s.iterations, s.costs);
    return {
      name: s.name,
      color: s.color ?? seriesColor(i),
      dashed: s.dashed === true,
      x: s.iterations,
      y: s.costs,
      points: false,
    };
  });
  return lineChart({
    ...options,
    title: options.title ?? "Cost during training",
    xLabel: options.xLabel ?? "iteration",
    yLabel: options.yLabel ?? (options.logScale ? "cost (log scale)" : "cost"),
    lines,
    logX: false,
    logY: options.logScale === true,
    markers: (options.markers ?? []).map((m) => ({ x: m.iteration, label: m.label })),
    xPad: 0,
  });
}

/**
 * Curves with optional shaded bands (low…high around each mean), e.g. train and validation
 * accuracy against λ with their spread over folds. `logX` for λ grids spaced by factors.
 */
export function plotBands(series: readonly BandSeries[], options: BandOptions = {}): string {
  const lines: Line[] = series.map((s, i) => {
    checkLengths(s.name, "x and mean", s.x, s.mean);
    if (s.low) checkLengths(s.name, "x and low", s.x, s.low);
    if (s.high) checkLengths(s.name, "x and high", s.x, s.high);
    return {
      name: s.name,
      color: s.color ?? seriesColor(i),
      dashed: s.dashed === true,
      x: s.x,
      y: s.mean,
      low: s.low,
      high: s.high,
      points: options.points ?? s.x.length <= 60,
    };
  });
  return lineChart({
    ...options,
    title: options.title,
    lines,
    logX: options.logX === true,
    logY: options.logY === true,
    markers: options.markers ?? [],
    xPad: 0.04,
  });
}
