/**
 * A dot-and-whisker chart: one row per item, its estimate as a dot and its interval as a
 * whisker with end caps, the item names down the left, an optional dashed reference line (e.g.
 * the baseline's estimate), and optionally the values an estimate summarizes (e.g. one per seed)
 * as small rings on its row. Made for test accuracies with their 95 % intervals, side by side.
 */
import { drawAxes, pageLayout } from "./axes.js";
import { drawLegend, type LegendItem, measureLegend } from "./legend.js";
import { seriesColor } from "./palette.js";
import { linearScale, niceDomain, type Scale } from "./scale.js";
import { fmt, svgDocument, tag, text } from "./svg.js";

export interface IntervalItem {
  name: string;
  estimate: number;
  low: number;
  high: number;
  color?: string;
  /** Values the estimate summarizes (e.g. one per seed), drawn as small rings on the row. */
  samples?: readonly number[];
}

export interface IntervalOptions {
  title?: string;
  xLabel?: string;
  /** Total width in pixels; by default from a 380-pixel plot area. */
  width?: number;
  /** A dashed vertical line across every row, e.g. the baseline's estimate. */
  reference?: { value: number; label: string };
  /** Legend names of the dot and the whisker (default "estimate", "interval"). */
  estimateLabel?: string;
  intervalLabel?: string;
  /** Legend name of the small rings, when an item has samples (default "sample"). */
  sampleLabel?: string;
  /** Text beside each dot (default: the estimate with 3 significant digits). */
  valueLabel?: (item: IntervalItem) => string;
}

const ROW = 40;
const MIN_PLOT_HEIGHT = 300;
const NAME_FONT = 11; // the axes' tick font, which pageLayout sizes the left margin for

/** A y "scale" with no ticks: the rows are labelled by name, not by number. */
function rowScale(n: number, top: number, height: number): Scale {
  const s = linearScale([-0.5, n - 0.5], [top, top + height]);
  return { ...s, ticks: () => [], minorTicks: () => [], format: () => "" };
}

export function plotIntervals(items: readonly IntervalItem[], options: IntervalOptions = {}): string {
  for (const it of items) {
    if (
      ![it.estimate, it.low, it.high].every(Number.isFinite) ||
      it.low > it.estimate ||
      it.estimate > it.high
    )
      throw new RangeError(`item "${it.name}": needs low ≤ estimate ≤ high, all finite`);
    if (it.samples && !it.samples.every(Number.isFinite))
      throw new RangeError(`item "${it.name}": samples must be finite`);
  }
  const label = options.valueLabel ?? ((it: IntervalItem) => `${Number(it.estimate.toPrecision(3))}`);
  const legend: LegendItem[] = [
    { kind: "marker", label: options.estimateLabel ?? "estimate", color: "#555555" },
    { kind: "line", label: options.intervalLabel ?? "interval", color: "#555555" },
  ];
  if (items.some((it) => it.samples && it.samples.length > 0))
    legend.push({ kind: "marker", label: options.sampleLabel ?? "sample", color: "#555555", ring: true });
  if (options.reference)
    legend.push({ kind: "line", label: options.reference.label, color: "#555555", dash: "4 3" });
  const layout = pageLayout({
    ...(options.width !== undefined && { width: options.width }),
    plotWidth: 380,
    // At least as tall as the line charts' plot area, so it sits beside one at the same scale.
    plotHeight: Math.max(MIN_PLOT_HEIGHT, items.length * ROW),
    title: options.title,
    xLabel: options.xLabel,
    yTickLabels: items.map((it) => it.name),
    legend: measureLegend(legend),
  });
  const a = layout.area;
  const values = items.flatMap((it) => [it.low, it.high, ...(it.samples ?? [])]);
  if (options.reference) values.push(options.reference.value);
  let lo = values.length > 0 ? Math.min(...values) : 0;
  let hi = values.length > 0 ? Math.max(...values) : 1;
  // Room on the right of the widest whisker for its value label.
  const span = hi - lo || Math.abs(hi) || 1;
  lo -= 0.04 * span;
  hi += 0.04 * span + (span * 60) / a.width;
  const xs = linearScale(niceDomain(lo, hi), [a.x, a.x + a.width]);
  const ys = rowScale(items.length, a.y, a.height);
  const axes = drawAxes(a, xs, ys, {
    pageWidth: layout.width,
    title: options.title,
    xLabel: options.xLabel,
    grid: true,
  });
  // Equal samples (accuracies are counts over one test set: ties are common) stack downwards.
  const ties = items.map((it) =>
    (it.samples ?? []).map((v, k, all) => all.slice(0, k).filter((u) => u === v).length),
  );
  const most = Math.max(0, ...ties.flat());
  const step = most > 0 ? Math.min(7, 22 / most) : 0;
  const rows = items.map((it, i) => {
    const color = it.color ?? seriesColor(i);
    const y = ys.map(i);
    const [x0, xe, x1] = [xs.map(it.low), xs.map(it.estimate), xs.map(it.high)];
    return tag("g", { class: "interval", "data-name": it.name }, [
      ...(it.samples ?? []).map((v, k) =>
        tag("circle", {
          class: "sample",
          cx: xs.map(v),
          // Just under the whisker, where neither it nor the dot hides them.
          cy: y + 11 + ties[i][k] * step,
          r: 3.2,
          fill: "none",
          stroke: color,
          "stroke-width": 1.3,
        }),
      ),
      tag("path", {
        class: "whisker",
        d: `M${fmt(x0)} ${fmt(y)}H${fmt(x1)}M${fmt(x0)} ${fmt(y - 6)}v12M${fmt(x1)} ${fmt(y - 6)}v12`,
        stroke: color,
        "stroke-width": 2,
        fill: "none",
      }),
      tag("circle", {
        class: "estimate",
        cx: xe,
        cy: y,
        r: 5,
        fill: color,
        stroke: "#1a1a1a",
        "stroke-width": 0.7,
      }),
      text(x1 + 7, y + 4, label(it), { "font-size": 11, fill: "#333333" }),
    ]);
  });
  const names = items.map((it, i) =>
    text(a.x - 9, ys.map(i) + 4, it.name, { "text-anchor": "end", "font-size": NAME_FONT, fill: "#222222" }),
  );
  const body = [axes.under];
  if (options.reference) {
    const x = xs.map(options.reference.value);
    body.push(
      tag("path", {
        class: "reference",
        d: `M${fmt(x)} ${fmt(a.y)}V${fmt(a.y + a.height)}`,
        stroke: "#555555",
        "stroke-width": 1.2,
        "stroke-dasharray": "4 3",
      }),
    );
  }
  body.push(...rows, axes.over, tag("g", { class: "row-labels" }, names));
  body.push(drawLegend(layout.legend.x, layout.legend.y, legend));
  return svgDocument(layout.width, layout.height, body, options.title ? { title: options.title } : {});
}
