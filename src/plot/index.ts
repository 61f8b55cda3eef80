/** Plots as standalone SVG strings: browser-safe, no DOM, no I/O. */

export { type BoundaryOptions, plotDecisionBoundary, probabilityColor, regionColors } from "./boundary.js";
export { type ConfusionPlotData, type ConfusionPlotOptions, plotConfusionMatrix } from "./confusion.js";
export {
  type BandOptions,
  type BandSeries,
  type CostCurveOptions,
  type CostSeries,
  plotBands,
  plotCostCurves,
  type VerticalMarker,
} from "./curves.js";
export { contourLines, type Grid, gridPoints, type Polyline, sampleGrid } from "./grid.js";
export { type ImageGridOptions, plotImageGrid } from "./image-grid.js";
export { type IntervalItem, type IntervalOptions, plotIntervals } from "./intervals.js";
export {
  plotLearningRates,
  type RateArm,
  type RateChartOptions,
  type RatePoint,
} from "./learning-rates.js";
export { type NormSeries, plotWeightNorms } from "./norms.js";
export { CLASS_COLORS, diverging, SERIES_COLORS } from "./palette.js";
export { PITCH_LENGTH, PITCH_WIDTH } from "./pitch.js";
export type { PlaneOptions } from "./plane.js";
export { plotReliability, type ReliabilitySeries } from "./reliability.js";
export { plotScatter, type ScatterOptions } from "./scatter.js";
export { plotSparsity, type SparsitySeries } from "./sparsity.js";
export { FOOTBALL_VIEW, type View } from "./view.js";
