import type { Confusion } from "../index.js";
import { formatAccuracy, textTable } from "./report-text.js";

/**
 * Accuracy per class and the confusion matrix as text, on the named set: rows are the true
 * class, columns the predicted one.
 */
export function confusionText(c: Confusion, set: string): string {
  const perClass = textTable(
    ["class", "examples", "right", "accuracy [95% interval]"],
    c.perClass.map((p) => [
      p.name,
      String(p.examples),
      String(p.correct),
      p.examples === 0 ? "–" : formatAccuracy(p.accuracy, p.examples),
    ]),
  );
  const matrix = textTable(
    ["true \\ predicted", ...c.classes],
    c.counts.map((row, a) => [c.classes[a], ...row.map(String)]),
  );
  return `Accuracy per class on the ${set}:\n${perClass}\nConfusion matrix on the ${set} (rows: true class, columns: predicted):\n${matrix}\n`;
}
