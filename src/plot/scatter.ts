/** The article's first figure: the training points coloured by class, optionally on a pitch. */
import type { Dataset } from "../data/dataset.js";
import { drawGrass, drawPitch } from "./pitch.js";
import {
  classLegend,
  DEFAULT_CLASS_NAMES,
  type PlaneOptions,
  planeDocument,
  pointsSvg,
  resolveView,
} from "./plane.js";
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
  const box = options.pitchBox ?? FOOTBALL_VIEW;
  const r = options.pointRadius ?? 4;
  return planeDocument(options, view, {
    title,
    legend: classLegend(classNames, options.test !== undefined),
    grid: !options.pitch,
    draw: ({ xs, ys }) => {
      const inner: string[] = [];
      if (options.pitch) {
        inner.push(drawGrass(xs, ys, box));
        inner.push(drawPitch(xs, ys, box, { halo: false, opacity: 0.85 }));
      }
      if (options.test)
        inner.push(pointsSvg(options.test, xs, ys, { name: "test", ring: true, radius: r + 0.5 }));
      inner.push(pointsSvg(data, xs, ys, { name: "train", radius: r }));
      return inner;
    },
  });
}
