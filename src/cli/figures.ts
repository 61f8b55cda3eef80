import {
  type BoundaryOptions,
  bundleClassCount,
  type DataBundle,
  type Network,
  plotDecisionBoundary,
} from "../index.js";
import { UsageError } from "./runtime.js";

/** Whether the data is the article's football problem (real file or the built-in stand-in). */
export function isFootball(bundle: DataBundle): boolean {
  return /football/i.test(bundle.source);
}

/** Plot options that suit the data: the pitch and the business's class names for football. */
export function boundaryStyle(bundle: DataBundle): BoundaryOptions {
  return isFootball(bundle)
    ? { pitch: true, classNames: ["other team wins", "French player wins"] }
    : { classNames: ["class 0", "class 1"] };
}

export function checkPlottable(bundle: DataBundle, option: string): void {
  if (bundle.train.X.rows !== 2) {
    throw new UsageError(
      `${option}: decision-boundary plots need 2 features; ${bundle.source} has ${bundle.train.X.rows}`,
    );
  }
  const k = bundleClassCount(bundle);
  if (k > 2) {
    throw new UsageError(
      `${option}: decision-boundary plots show two classes; ${bundle.source} has ${k} (use --confusion-plot)`,
    );
  }
}

export function boundarySvg(
  net: Network,
  bundle: DataBundle,
  title: string,
  extra: BoundaryOptions = {},
): string {
  return plotDecisionBoundary((X) => net.predictProba(X), bundle, {
    ...boundaryStyle(bundle),
    title,
    ...extra,
  });
}
