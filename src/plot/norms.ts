/**
 * The weight-norm plot: Σ_l ‖W_l‖²_F against iteration, log scale, one line per model, with the
 * iteration whose weights early stopping kept marked — the mechanism behind the article's claims
 * (L2 and dropout keep the weights small; without them they grow, and stopping early keeps a
 * mid-sized W).
 */
import { type ChartOptions, type CostSeries, plotCostCurves } from "./curves.js";
import { seriesColor } from "./palette.js";

export interface NormSeries {
  name: string;
  iterations: readonly number[];
  /** ‖W_l‖²_F per layer at each iteration (`history.weightNorms`); the plot shows their sum. */
  weightNorms: readonly (readonly number[])[];
  color?: string;
  dashed?: boolean;
  /** Early stopping: the iteration whose weights were kept (marked on the plot). */
  kept?: number;
}

export interface NormPlotOptions extends ChartOptions {
  /** Also draw each layer's ‖W_l‖² (dashed) — for a single model. */
  layers?: boolean;
}

export function plotWeightNorms(series: readonly NormSeries[], options: NormPlotOptions = {}): string {
  const markers = series
    .filter((s) => s.kept !== undefined)
    .map((s) => ({
      iteration: s.kept!,
      label: `${series.length > 1 ? `${s.name}: ` : ""}weights kept at ${s.kept!.toLocaleString("en-US")}`,
    }));
  const { layers, ...chart } = options;
  const lines = series.flatMap((s) => {
    const sum: CostSeries = {
      name: s.name,
      iterations: s.iterations,
      costs: s.weightNorms.map((w) => w.reduce((a, v) => a + v, 0)),
      ...(s.color && { color: s.color }),
      ...(s.dashed && { dashed: true }),
    };
    if (!layers) return [sum];
    const count = s.weightNorms[0]?.length ?? 0;
    const each: CostSeries[] = Array.from({ length: count }, (_, l) => ({
      name: `‖W${l + 1}‖²`,
      iterations: s.iterations,
      costs: s.weightNorms.map((w) => w[l]),
      dashed: true,
    }));
    return [sum, ...each];
  });
  return plotCostCurves(
    lines.map((l, i) => ({ ...l, color: l.color ?? seriesColor(i) })),
    {
      ...chart,
      title: options.title ?? "Squared weight norm during training",
      yLabel: options.yLabel ?? "Σ‖W‖² (log scale)",
      logScale: true,
      markers,
    },
  );
}
