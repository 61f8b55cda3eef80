/**
 * The accuracy table: with one model, a row per set (n, accuracy, 95 % Wilson interval); comparing,
 * a row per model and a column per set. Rewritten only when its text changes.
 */
import { wilsonInterval } from "../src/experiments/stats.js";
import { COMPARE_TITLES } from "./models.js";
import type { ModelSnapshot, Score } from "./protocol.js";

export function percent(s: Score): string {
  return `${((100 * s.correct) / s.n).toFixed(1)} %`;
}

function interval(s: Score): string {
  const w = wilsonInterval(s.correct, s.n);
  return `[${(100 * w.low).toFixed(1)}, ${(100 * w.high).toFixed(1)}]`;
}

/** Accuracy and interval as two table cells. */
function scoreCells(s: Score | undefined): string {
  if (!s || s.n === 0) return "<td>—</td><td></td>";
  return `<td><strong>${percent(s)}</strong></td><td><small>${interval(s)}</small></td>`;
}

/** Accuracy with its interval underneath, in one cell. */
function stackedScore(s: Score | undefined): string {
  if (!s || s.n === 0) return "—";
  return `<strong>${percent(s)}</strong><br /><small>${interval(s)}</small>`;
}

/** The table's HTML for these snapshots (one per model). */
export function accuracyHtml(snaps: readonly ModelSnapshot[]): string {
  const sets: Array<["train" | "dev" | "test", string]> = [["train", "Train"]];
  if (snaps[0].dev) sets.push(["dev", "Dev"]);
  if (snaps[0].test) sets.push(["test", "Test"]);
  if (snaps.length === 1) {
    const m = snaps[0];
    const rows = sets.map(
      ([k, label]) => `<tr><th scope="row">${label}</th><td>${m[k]?.n ?? 0}</td>${scoreCells(m[k])}</tr>`,
    );
    return (
      '<thead><tr><th scope="col">Set</th><th scope="col">n</th><th scope="col">Accuracy</th><th scope="col">95 % interval</th></tr></thead>' +
      `<tbody>${rows.join("")}</tbody>`
    );
  }
  const head = sets
    .map(([k, label]) => `<th scope="col">${label} <small>n = ${snaps[0][k]?.n ?? 0}</small></th>`)
    .join("");
  const rows = snaps.map((m) => {
    const cells = sets.map(([k]) => `<td>${stackedScore(m[k])}</td>`).join("");
    return `<tr><th scope="row">${COMPARE_TITLES[m.key] ?? m.name}</th>${cells}</tr>`;
  });
  return `<thead><tr><th scope="col">Model</th>${head}</tr></thead><tbody>${rows.join("")}</tbody>`;
}

export class AccuracyTable {
  private html = "";

  constructor(private readonly table: { innerHTML: string }) {}

  render(snaps: readonly ModelSnapshot[]): void {
    if (snaps.length === 0) return;
    const html = accuracyHtml(snaps);
    if (this.html !== html) {
      this.html = html;
      this.table.innerHTML = html;
    }
  }
}
