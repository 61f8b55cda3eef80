/** The seed's first figure: the training points coloured by class, optionally on a pitch. */
import type { Dataset } from "../data/dataset.js";
import { clipToArea, drawAxes } from "./axes.js";
import { drawLegend } from "./legend.js";
import { drawGrass, drawPitch } from "./pitch.js";
import {
  classLegend,
  DEFAULT_CLASS_NAMES,
  type PlaneOptions,
  planeFrame,
  pointsSvg,
  resolveView,
} from "./plane.js";
import { svgDocument } from "./svg.js";
import { assertTwoFeatures, FOOTBALL_VIEW } from "./view.js";

export interface ScatterOptions extends PlaneOptions {
  /** Also draw these points, as hollow rings. */
  test?: Dataset;
}

/**
 * A scatter plot of a 2-feature dataset: filled class-coloured discs (and hollow rings for
 * `options.test`), axes, title and a legend naming the classes. With `pitch: true` the points sit
 * on a striped grass pitch. Returns a standalone SVG document.
 */
export function plotScatter(data: Dataset, options: ScatterOptions = {}): string {
  assertTwoFeatures(data, "data");
  if (options.test) assertTwoFeatures(options.test, "test data");
  const sets = options.test ? [data, options.test] : [data];
  const view = resolveView(options, sets);
  const classNames = options.classNames ?? DEFAULT_CLASS_NAMES;
  const title = options.title ?? (options.test ? "Training and test data" : "Training data");
  const legend = classLegend(classNames, options.test !== undefined);
  const { layout, xs, ys } = planeFrame({ ...options, title }, view, legend);
  const axes = drawAxes(layout.area, xs, ys, {
    pageWidth: layout.width,
    title,
    xLabel: options.xLabel ?? "x₁",
    yLabel: options.yLabel ?? "x₂",
    grid: !options.pitch,
  });
  const box = options.pitchBox ?? FOOTBALL_VIEW;
  const inner: string[] = [];
  if (options.pitch) {
    inner.push(drawGrass(xs, ys, box));
    inner.push(drawPitch(xs, ys, box, { halo: false, opacity: 0.85 }));
  }
  const r = options.pointRadius ?? 4;
  if (options.test)
    inner.push(pointsSvg(options.test, xs, ys, { name: "test", ring: true, radius: r + 0.5 }));
  inner.push(pointsSvg(data, xs, ys, { name: "train", radius: r }));
  return svgDocument(
    layout.width,
    layout.height,
    [
      axes.under,
      clipToArea(layout.area, inner),
      axes.over,
      drawLegend(layout.legend.x, layout.legend.y, legend),
    ],
    { title },
  );
}
