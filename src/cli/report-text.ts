import { type Claim, type Interval, wilsonInterval } from "../index.js";

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

/** A claim's verdict in words, as the report's badge says it. */
function verdictText(c: Claim): string {
  if (c.held === undefined) return "Nothing to decide it on.";
  if (c.partly) return "Held in part here.";
  return c.held ? "Held here." : "Did not hold here.";
}

/**
 * Claims as text, as the report lists them: a heading, then per claim its quote, the verdict
 * and the sentence its numbers wrote, and the rules behind the verdicts last.
 */
export function claimsText(heading: string, claims: readonly Claim[], thresholds: string): string {
  if (claims.length === 0) return "";
  const items = claims.map((c) => `- “${c.quote}”\n  ${verdictText(c)} ${c.sentence}`);
  return `${heading}\n${items.join("\n")}\nHow the verdicts are read: ${thresholds}\n`;
}

/** Text tables are kept within this many columns (a wide one is split into parts). */
export const TABLE_WIDTH = 100;

/**
 * Renders rows as an aligned text table; numbers are right-aligned. A table wider than `width`
 * is split into parts, each repeating the first column, one under the other.
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  width = TABLE_WIDTH,
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const numeric = header.map((_, c) => rows.every((r) => /^[-\d.%[\], ]+$/.test(r[c])));
  // Units of columns that stay together: a column without a heading (a mark) goes with the one before.
  const units: number[][] = [];
  for (let c = 1; c < header.length; c++) {
    if (header[c] === "" && units.length > 0) units[units.length - 1].push(c);
    else units.push([c]);
  }
  const span = (cols: readonly number[]) => cols.reduce((w, c) => w + 2 + widths[c], 0);
  const split = (target: number) => {
    const parts: number[][] = [];
    let part: number[] = [0];
    for (const unit of units) {
      const used = span(part.slice(1));
      if (part.length > 1 && (widths[0] + used + span(unit) > width || used >= target)) {
        parts.push(part);
        part = [0];
      }
      part.push(...unit);
    }
    parts.push(part);
    return parts;
  };
  // As few parts as fit, their widths evened out, so that neighbouring columns stay together.
  const count = split(Number.POSITIVE_INFINITY).length;
  const even = split(span(units.flat()) / count);
  const parts = even.length === count ? even : split(Number.POSITIVE_INFINITY);
  return parts.map((cols) => render(cols, header, rows, widths, numeric)).join("\n\n");
}

function render(
  cols: readonly number[],
  header: readonly string[],
  rows: readonly (readonly string[])[],
  widths: readonly number[],
  numeric: readonly boolean[],
): string {
  const line = (cells: readonly string[]) =>
    cols
      .map((c) => (numeric[c] ? cells[c].padStart(widths[c]) : cells[c].padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  // A column without a heading (e.g. the "◀ chosen" marks) gets no rule under it.
  const rule = cols
    .map((c) => (header[c] === "" ? " ".repeat(widths[c]) : "-".repeat(widths[c])))
    .join("  ")
    .trimEnd();
  return [line(header), rule, ...rows.map(line)].join("\n");
}
