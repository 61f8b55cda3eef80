import { type Interval, wilsonInterval } from "../index.js";

/** An accuracy with its 95 % Wilson interval, from a proportion over n examples. */
export function accuracyInterval(accuracy: number, n: number): Interval {
  return wilsonInterval(Math.round(accuracy * n), n);
}

export function percent(x: number, digits = 1): string {
  return `${(100 * x).toFixed(digits)}%`;
}

/** "94.8% [91.0, 97.1]" */
export function formatAccuracy(accuracy: number, n: number): string {
  const iv = accuracyInterval(accuracy, n);
  return `${percent(accuracy)} [${(100 * iv.low).toFixed(1)}, ${(100 * iv.high).toFixed(1)}]`;
}

/** Renders rows as an aligned text table; numbers are right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const numeric = header.map((_, c) => rows.every((r) => /^[-\d.%[\], ]+$/.test(r[c])));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  // A column without a heading (e.g. the "◀ chosen" marks) gets no rule under it.
  const rule = widths
    .map((w, c) => (header[c] === "" ? " ".repeat(w) : "-".repeat(w)))
    .join("  ")
    .trimEnd();
  return [line(header), rule, ...rows.map(line)].join("\n");
}
