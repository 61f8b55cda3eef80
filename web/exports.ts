/** Downloads: model JSON, boundary PNG/SVG, history CSV. */

import { modelFromJSON } from "../src/core/serialize.js";
import type { Dataset } from "../src/data/dataset.js";
import { plotDecisionBoundary } from "../src/plot/boundary.js";
import type { View } from "../src/plot/view.js";

export function download(name: string, data: Blob | string, type = "application/octet-stream"): void {
  const blob = typeof data === "string" ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCanvas(name: string, canvas: HTMLCanvasElement): void {
  canvas.toBlob((blob) => {
    if (blob) download(name, blob);
  }, "image/png");
}

/** The engine's SVG boundary plot of a model file, over the run's data and view. */
export function boundarySvg(
  modelJson: string,
  data: { train: Dataset; test?: Dataset },
  options: { view: View; pitch: boolean; mode: "probability" | "discrete"; showTest: boolean; title: string },
): string {
  const net = modelFromJSON(JSON.parse(modelJson));
  return plotDecisionBoundary((X) => net.predictProba(X), data, {
    view: options.view,
    pitch: options.pitch,
    mode: options.mode,
    showTest: options.showTest,
    title: options.title,
  });
}
