/**
 * The error of data that cannot be used, and the input checks the prediction path shares with the
 * loaders. It lives in core so that a network's own entry points (predict, predictProba, MC
 * dropout) refuse bad input with the loaders' words; src/data/dataset.ts re-exports it.
 */
import type { Matrix } from "./matrix.js";
import { clipPath, oneLine } from "./quote.js";

/** Raised for data that cannot be used; `source` names the file, dataset or library call. */
export class DataError extends Error {
  constructor(
    readonly source: string,
    /** What is wrong, without the source. */
    readonly detail: string,
  ) {
    super(oneLine(`${clipPath(source)}: ${detail}`));
    this.name = "DataError";
  }
}

/**
 * Throws a DataError naming the first feature that is NaN or ±∞ (features × examples, row-major).
 * Checked before any arithmetic: ReLU would turn NaN into 0 and hide it.
 */
export function checkFinite(X: Matrix, source: string, what: string): void {
  const data = X.data;
  const m = X.cols;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const f = Math.floor(i / m);
      const j = i % m;
      throw new DataError(
        source,
        `${what}: feature ${f + 1} of example ${j + 1} is ${data[i]}, not a finite number`,
      );
    }
  }
}

/** What a network's input must be: as many features as it has inputs, every one finite. */
export function checkNetworkInput(inputs: number, X: Matrix, source: string, what = "input"): void {
  if (X.rows !== inputs) {
    throw new DataError(source, `${what}: the network takes ${inputs} features, the data has ${X.rows}`);
  }
  checkFinite(X, source, what);
}
