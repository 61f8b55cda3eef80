/**
 * The library's entry points check their input as the CLI's loaders do, with the same DataError
 * lines, once before any work: fit and the Trainer here (so gradientCheck through it), prediction
 * and MC dropout in core/data-error.ts (checkNetworkInput). A bad input never becomes a cost, a
 * "standardize the features" diagnosis or a probability of 0.5.
 */
import { DataError } from "../core/data-error.js";
import type { Network } from "../core/network.js";
import { checkLabels, classCount, type Dataset, validateDataset, validateFeatures } from "../data/dataset.js";
import { checkClassesCovered } from "../data/labels.js";

const WHAT = "the training data";

/**
 * What fit needs: finite features, a label per example, and the label rule of src/data/labels.ts —
 * every class 0…K−1 with an example, K the largest label + 1; with `classes` (K known from
 * elsewhere) at least two classes present.
 */
export function validateFitInput(data: Dataset, classes: number | undefined, source = "fit"): void {
  validateFeatures(data, source, WHAT);
  if (classes === undefined) {
    checkLabels(data.y, source, WHAT);
    checkClassesCovered(data.y, classCount(data.y), { source, what: WHAT });
  } else {
    // Labels past `classes` are fit's RangeError: the option, not the data, is wrong.
    validateDataset(data, source, WHAT);
  }
}

/**
 * What a Trainer (and gradientCheck) needs: as many features as the network has inputs, finite
 * values, a label per example, each a class the network has an output for.
 */
export function validateTrainerInput(network: Network, data: Dataset, source = "Trainer"): void {
  const inputs = network.sizes[0];
  if (data.X.rows !== inputs) {
    throw new DataError(source, `${WHAT}: the network takes ${inputs} features, the data has ${data.X.rows}`);
  }
  validateFeatures(data, source, WHAT);
  checkLabels(data.y, source, WHAT, network.outputs === 1 ? 2 : network.outputs);
}
