/**
 * Accuracy per class and the confusion matrix: what a single accuracy hides with K classes (a
 * model can be right on nine digits and blind to the tenth). Rows are the true class, columns the
 * predicted one, as scikit-learn and most texts lay it out.
 */
import { type Interval, wilsonInterval } from "./stats.js";

export interface ClassAccuracy {
  /** The label 0…K−1. */
  readonly label: number;
  /** Its name when the data names classes, else the label as text. */
  readonly name: string;
  /** Examples of this class in the set. */
  readonly examples: number;
  /** Of those, how many the model labelled right. */
  readonly correct: number;
  /** correct / examples (the class's recall); NaN when the set has none of the class. */
  readonly accuracy: number;
  /** 95 % Wilson interval of that accuracy (null with no examples). */
  readonly interval: Interval | null;
}

export interface Confusion {
  /** Class names by label. */
  readonly classes: readonly string[];
  /** counts[actual][predicted]. */
  readonly counts: readonly (readonly number[])[];
  readonly examples: number;
  readonly correct: number;
  readonly perClass: readonly ClassAccuracy[];
}

/**
 * Counts `predicted` against `actual` over K classes (K from `names`, else from the largest
 * label + 1, at least 2). Labels outside 0…K−1 are a caller's bug and throw.
 */
export function confusionMatrix(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  names?: readonly string[],
): Confusion {
  if (actual.length !== predicted.length) {
    throw new RangeError(`${actual.length} labels but ${predicted.length} predictions`);
  }
  let k = Math.max(2, names?.length ?? 0);
  for (let j = 0; j < actual.length; j++) k = Math.max(k, actual[j] + 1, predicted[j] + 1);
  const classes = Array.from({ length: k }, (_, c) => names?.[c] ?? String(c));
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let j = 0; j < actual.length; j++) counts[actual[j]][predicted[j]]++;
  let correct = 0;
  const perClass = counts.map((row, c) => {
    const examples = row.reduce((s, n) => s + n, 0);
    correct += row[c];
    return {
      label: c,
      name: classes[c],
      examples,
      correct: row[c],
      accuracy: examples === 0 ? Number.NaN : row[c] / examples,
      interval: examples === 0 ? null : wilsonInterval(row[c], examples),
    };
  });
  return { classes, counts, examples: actual.length, correct, perClass };
}

/** The confusion for JSON: NaN accuracies (a class absent from the set) become null. */
export function confusionJson(c: Confusion): Record<string, unknown> {
  return {
    classes: c.classes,
    counts: c.counts,
    examples: c.examples,
    correct: c.correct,
    perClass: c.perClass.map((p) => ({ ...p, accuracy: p.examples === 0 ? null : p.accuracy })),
  };
}
