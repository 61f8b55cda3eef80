import type { Command } from "commander";
import { RandomState } from "../core/random.js";
import { type DataBundle, DataError, type Dataset } from "../data/dataset.js";
import { DATASET_NAMES, generateDataset } from "../data/generators.js";
import { trainDevSplit } from "../data/split.js";
import { loadDataFile } from "../node/load-data.js";
import { parseNumber, seedNumber } from "./parse.js";
import { UsageError } from "./runtime.js";

export function addDataOptions(cmd: Command): Command {
  return cmd
    .option("--data <file>", "training data: .mat (X, y, Xval, yval), .csv (x1,…,xn,label) or .json")
    .option("--test <file>", "test set for --data (CSV or JSON, same columns)")
    .option("--dataset <name>", `built-in data when no --data: ${DATASET_NAMES.join(", ")}`, "football");
}

export interface DataOptionValues {
  data?: string;
  test?: string;
  dataset: string;
}

/** The data named by --data/--test, or the built-in dataset (the football stand-in by default). */
export async function loadBundle(o: DataOptionValues): Promise<DataBundle> {
  if (o.data) return loadDataFile(o.data, o.test ? { testPath: o.test } : {});
  if (o.test) throw new UsageError("--test needs --data (built-in datasets come with their own test set)");
  return generateDataset(o.dataset);
}

/** A short description of where the data came from, for reports and tables. */
export function describeBundle(b: DataBundle): string {
  const m = b.train.X.cols;
  const t = b.test ? `, ${b.test.X.cols} test` : "";
  const kind = b.synthetic ? " — synthetic; pass --data for real data" : "";
  return `${b.source}: ${m} training examples${t}, ${b.train.X.rows} features${kind}`;
}

/** --dev FILE, --dev-fraction F and --split-seed: where the dev set comes from. */
export function addDevOptions(cmd: Command): Command {
  return cmd
    .option("--dev <file>", "dev set (same columns as the training data) for early stopping and dev curves")
    .option(
      "--dev-fraction <f>",
      "hold out this fraction of the training data, stratified by class, as the dev set",
      parseNumber("a fraction strictly between 0 and 1, e.g. 0.2", (v) => v > 0 && v < 1),
    )
    .option("--split-seed <n>", "seed of the stratified dev split", seedNumber, 0);
}

export interface DevOptionValues {
  dev?: string;
  devFraction?: number;
  splitSeed: number;
}

/** The data to train on and the dev set beside it, with a line saying where the dev set came from. */
export interface DevSplit {
  train: Dataset;
  dev?: Dataset;
  description?: string;
}

/**
 * Chooses the dev set: `--dev FILE`, else `--dev-fraction` of the training data (stratified, with
 * `--split-seed`), else the file's own dev set (Xdev/ydev), else — when one is `required` — 20 % of
 * the training data. The test set is never used.
 */
export async function resolveDevSet(
  bundle: DataBundle,
  o: DevOptionValues,
  options: { required?: boolean; defaultFraction?: number } = {},
): Promise<DevSplit> {
  const m = bundle.train.X.cols;
  if (o.dev && o.devFraction !== undefined) {
    throw new UsageError("--dev and --dev-fraction both name a dev set; give one of them");
  }
  if (o.dev) {
    const dev = (await loadDataFile(o.dev)).train;
    if (dev.X.rows !== bundle.train.X.rows) {
      throw new DataError(
        o.dev,
        `dev set has ${dev.X.rows} features but the training data has ${bundle.train.X.rows}`,
      );
    }
    return { train: bundle.train, dev, description: `${o.dev}: ${dev.X.cols} examples` };
  }
  let fraction = o.devFraction;
  let note = "";
  if (fraction === undefined) {
    if (bundle.dev) {
      return {
        train: bundle.train,
        dev: bundle.dev,
        description: `the dev set in ${bundle.source}: ${bundle.dev.X.cols} examples`,
      };
    }
    if (!options.required) return { train: bundle.train };
    fraction = options.defaultFraction ?? 0.2;
    note = " (the default; choose with --dev-fraction or --dev)";
  }
  let split: { train: Dataset; dev: Dataset };
  try {
    split = trainDevSplit(bundle.train, fraction, new RandomState(o.splitSeed));
  } catch (e) {
    throw new DataError(bundle.source, `--dev-fraction ${fraction}: ${(e as Error).message}`);
  }
  return {
    ...split,
    description:
      `${split.dev.X.cols} of the ${m} training examples held out, stratified by class ` +
      `(fraction ${fraction}${note}, split seed ${o.splitSeed}); training on ${split.train.X.cols}`,
  };
}
