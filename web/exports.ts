/** Downloads: model JSON, boundary PNG/SVG, history CSV. */

import { modelFromJSON } from "../src/core/serialize.js";
import type { Dataset } from "../src/data/dataset.js";
import { plotDecisionBoundary } from "../src/plot/boundary.js";
import type { View } from "../src/plot/view.js";
import { type Feature, withFeatures } from "./features.js";

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

/**
 * The SVG figure rasterized at `scale`× its size on white: the PNG export is the same figure as
 * the SVG export (title, axes, legend), not the bare canvas on screen.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!size) throw new Error("the figure has no size");
  const w = Math.ceil(Number(size[1]) * scale);
  const h = Math.ceil(Number(size[2]) * scale);
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image(w, h);
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2-D canvas");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, 0, 0, w, h);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the PNG could not be made"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * The engine's SVG boundary plot of a model file, over the run's data and view (the plane: the
 * model sees each point with the run's engineered features).
 */
export function boundarySvg(
  modelJson: string,
  features: readonly Feature[],
  data: { train: Dataset; test?: Dataset },
  options: { view: View; pitch: boolean; mode: "probability" | "discrete"; showTest: boolean; title: string },
): string {
  const net = modelFromJSON(JSON.parse(modelJson));
  return plotDecisionBoundary((X) => net.predictProba(withFeatures(X, features)), data, {
    view: options.view,
    pitch: options.pitch,
    mode: options.mode,
    showTest: options.showTest,
    title: options.title,
  });
}
