/**
 * A confusion matrix as SVG: true class down, predicted class across, each cell shaded by the
 * square root of its share of the row (so a rare class's mistakes show as clearly as a common one's) and labelled
 * with its count; each row's accuracy is written at its end.
 */
import { interpolate, rgbToHex } from "./palette.js";
import { fmt, svgDocument, tag, text, textWidth } from "./svg.js";

export interface ConfusionPlotData {
  /** Class names by label. */
  readonly classes: readonly string[];
  /** counts[actual][predicted]. */
  readonly counts: readonly (readonly number[])[];
}

export interface ConfusionPlotOptions {
  title?: string;
}

// White to the palette's dark blue: the diagonal of a good model is dark.
const SHADES = [
  [255, 255, 255],
  [209, 229, 240],
  [67, 147, 195],
  [5, 48, 97],
] as const;

export function plotConfusionMatrix(c: ConfusionPlotData, options: ConfusionPlotOptions = {}): string {
  const k = c.classes.length;
  const cell = k <= 4 ? 56 : k <= 12 ? 40 : 24;
  const font = cell >= 40 ? 12 : 9;
  const labelW = Math.max(...c.classes.map((n) => textWidth(n, 12))) + 10;
  const left = 24 + labelW;
  const top = (options.title ? 30 : 8) + 36;
  const accW = 64;
  const footer = (right: number, total: number) =>
    `${right} of ${total} right${total ? ` (${((100 * right) / total).toFixed(1)}%)` : ""}; shade = √(share of the row)`;
  const total = c.counts.reduce((s, r) => s + r.reduce((t, n) => t + n, 0), 0);
  const right = c.counts.reduce((s, r, a) => s + r[a], 0);
  // Wide enough for the title and the footer too: with two classes the grid alone is narrower.
  const width = Math.max(
    left + k * cell + 10 + accW + 8,
    options.title ? 16 + textWidth(options.title, 14) : 0,
    left + 8 + textWidth(footer(right, total), 11),
  );
  const height = top + k * cell + 30;
  const body: string[] = [];
  if (options.title) body.push(text(8, 20, options.title, { "font-size": 14 }));
  body.push(
    text(left + (k * cell) / 2, top - 24, "predicted class", { "text-anchor": "middle" }),
    text(12, top + (k * cell) / 2, "true class", {
      "text-anchor": "middle",
      transform: `rotate(-90 12 ${fmt(top + (k * cell) / 2)})`,
    }),
    text(left + k * cell + 10 + accW / 2, top - 8, "accuracy", { "text-anchor": "middle", "font-size": 11 }),
  );
  for (let p = 0; p < k; p++) {
    body.push(text(left + (p + 0.5) * cell, top - 8, c.classes[p], { "text-anchor": "middle" }));
  }
  for (let a = 0; a < k; a++) {
    const row = c.counts[a];
    const total = row.reduce((s, n) => s + n, 0);
    const y = top + a * cell;
    body.push(text(left - 6, y + cell / 2 + 4, c.classes[a], { "text-anchor": "end" }));
    for (let p = 0; p < k; p++) {
      const share = total === 0 ? 0 : row[p] / total;
      // √ lifts the few mistakes of a row off the white without darkening the diagonal much.
      const fill = rgbToHex(interpolate(SHADES, Math.sqrt(share)));
      const x = left + p * cell;
      body.push(
        tag("rect", { x, y, width: cell, height: cell, fill, stroke: "#ffffff" }),
        text(x + cell / 2, y + cell / 2 + font / 3, String(row[p]), {
          "text-anchor": "middle",
          "font-size": font,
          fill: share > 0.3 ? "#ffffff" : "#222222",
        }),
      );
    }
    const acc = total === 0 ? "–" : `${(100 * (row[a] / total)).toFixed(1)}%`;
    body.push(text(left + k * cell + 10 + accW / 2, y + cell / 2 + 4, acc, { "text-anchor": "middle" }));
  }
  body.push(text(left, top + k * cell + 20, footer(right, total), { "font-size": 11 }));
  return svgDocument(width, height, body, { title: options.title ?? "Confusion matrix" });
}
