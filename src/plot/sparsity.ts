/**
 * Weights exactly zero, layer by layer: one group of bars per layer, one bar per model, the bar's
 * height the share of the layer's weights that are 0 and its label the count — what L1 does and
 * L2 does not.
 */
import { drawAxes, pageLayout } from "./axes.js";
import type { ChartOptions } from "./curves.js";
import { drawLegend, type LegendItem, measureLegend } from "./legend.js";
import { seriesColor } from "./palette.js";
import { linearScale } from "./scale.js";
import { svgDocument, tag, text } from "./svg.js";

export interface SparsitySeries {
  name: string;
  /** Weights exactly 0 in each layer. */
  zeros: readonly number[];
  /** Weights in each layer. */
  sizes: readonly number[];
  color?: string;
}

export function plotSparsity(series: readonly SparsitySeries[], options: ChartOptions = {}): string {
  const layers = Math.max(0, ...series.map((s) => s.sizes.length));
  const legend: LegendItem[] = series.map((s, i) => ({
    kind: "swatch",
    label: s.name,
    color: s.color ?? seriesColor(i),
  }));
  const layout = pageLayout({
    ...(options.width !== undefined && { width: options.width }),
    ...(options.height !== undefined && { height: options.height }),
    plotWidth: Math.max(240, 130 * layers),
    plotHeight: 300,
    title: options.title,
    xLabel: options.xLabel ?? "layer (its weight count)",
    yLabel: options.yLabel ?? "weights exactly 0 (share)",
    yTickLabels: ["100%"],
    legend: measureLegend(legend),
  });
  const a = layout.area;
  const ys = linearScale([0, 1], [a.y + a.height, a.y]);
  // The x axis is categorical: draw the frame and y ticks with a dummy x scale and no x ticks.
  const xs = linearScale([0, 1], [a.x, a.x + a.width]);
  const axes = drawAxes(
    a,
    { ...xs, ticks: () => [], minorTicks: () => [] },
    { ...ys, format: (v) => `${Math.round(100 * v)}%` },
    {
      grid: true,
      pageWidth: layout.width,
      ...(options.title !== undefined && { title: options.title }),
      xLabel: options.xLabel ?? "layer (its weight count)",
      yLabel: options.yLabel ?? "weights exactly 0 (share)",
    },
  );
  const slot = a.width / Math.max(1, layers);
  const bar = Math.min(44, (0.8 * slot) / Math.max(1, series.length));
  const bars: string[] = [];
  const labels: string[] = [];
  for (let l = 0; l < layers; l++) {
    const x0 = a.x + l * slot + (slot - bar * series.length) / 2;
    const size = series.find((s) => s.sizes[l] !== undefined)?.sizes[l] ?? 0;
    labels.push(
      text(a.x + (l + 0.5) * slot, a.y + a.height + 18, `W${l + 1} (${size.toLocaleString("en-US")})`, {
        "text-anchor": "middle",
        "font-size": 11,
      }),
    );
    series.forEach((s, i) => {
      const n = s.sizes[l] ?? 0;
      const z = s.zeros[l] ?? 0;
      const share = n === 0 ? 0 : z / n;
      const top = ys.map(share);
      const x = x0 + i * bar;
      bars.push(
        tag("rect", {
          class: `bar series-${i}`,
          x: x + 1,
          y: top,
          width: bar - 2,
          height: a.y + a.height - top,
          fill: s.color ?? seriesColor(i),
        }),
        text(x + bar / 2, top - 4, z.toLocaleString("en-US"), { "text-anchor": "middle", "font-size": 10 }),
      );
    });
  }
  const body = [
    axes.under,
    ...bars,
    axes.over,
    ...labels,
    drawLegend(layout.legend.x, layout.legend.y, legend),
  ];
  return svgDocument(layout.width, layout.height, body, {
    title: options.title ?? "Weights exactly zero, per layer",
  });
}
