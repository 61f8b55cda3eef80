/**
 * The weight-norm plot: Σ_l ‖W_l‖²_F against iteration, log scale, one line per model, with the
 * iteration whose weights early stopping kept marked — the mechanism behind the seed's claims
 * (L2 and dropout keep the weights small; without them they grow, and stopping early keeps a
 * mid-sized W).
 */
import { type ChartOptions, plotCostCurves } from "./curves.js";

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

export function plotWeightNorms(series: readonly NormSeries[], options: ChartOptions = {}): string {
  const markers = series
    .filter((s) => s.kept !== undefined)
    .map((s) => ({
      iteration: s.kept!,
      label: `${series.length > 1 ? `${s.name}: ` : ""}weights kept at ${s.kept!.toLocaleString("en-US")}`,
    }));
  return plotCostCurves(
    series.map((s) => ({
      name: s.name,
      iterations: s.iterations,
      costs: s.weightNorms.map((layers) => layers.reduce((a, v) => a + v, 0)),
      ...(s.color && { color: s.color }),
      ...(s.dashed && { dashed: true }),
    })),
    {
      ...options,
      title: options.title ?? "Squared weight norm during training",
      yLabel: options.yLabel ?? "Σ‖W‖² (log scale)",
      logScale: true,
      markers,
    },
  );
}
