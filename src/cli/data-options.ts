import type { Command } from "commander";
import {
  DATASET_NAMES,
  type DataBundle,
  DataError,
  type Dataset,
  DIGITS_DEFAULT_TRAIN_SIZE,
  DIGITS_SOURCE,
  generateDataset,
  quote,
  RandomState,
  subsample,
  trainDevSplit,
} from "../index.js";
import { loadDataFile, loadDigits, loadHeldOutFile } from "../node/index.js";
import { parseList, parseNumber, positiveInteger, seedNumber } from "./parse.js";
import { UsageError } from "./runtime.js";
import { nearestName } from "./suggest.js";

/** Every name --dataset takes. */
const BUILT_IN = [...DATASET_NAMES, DIGITS_SOURCE];

/** Refuses an unknown --dataset with the nearest name and the full list. */
function checkDatasetName(name: string): void {
  if (BUILT_IN.includes(name)) return;
  const near = nearestName(name, BUILT_IN);
  throw new UsageError(
    `unknown dataset ${quote(name)}${near ? ` — did you mean ${near}?` : ""} (choose one of: ${BUILT_IN.join(", ")})`,
  );
}

/** The line saying built-in digits train on a subset, when no --train-size was given. */
export function digitsSubsetNote(o: DataOptionValues): string | undefined {
  if (o.data || o.dataset !== DIGITS_SOURCE || o.trainSize !== undefined) return undefined;
  return (
    `Digits: training on ${DIGITS_DEFAULT_TRAIN_SIZE.toLocaleString("en-US")} of the 60 000 training digits ` +
    "(a reproducible subset; --train-size N for more)"
  );
}

/** The label rule (src/data/labels.ts), as every command that reads data says it in --help. */
export const LABELS_HELP = `
Labels (the last column of a .csv; y in .mat, .json and .h5; the second column of labels.csv). A
label that reads as a number is a class number 0…K−1, and every class needs a training example;
labels that count from 1 or skip a class are refused, naming the empty class. Any other label is a
class name; names are numbered in sorted order (as scikit-learn's LabelEncoder does), or in the
order of the file's own "classes" (.json) or list_classes (.h5). One file never mixes numbers and
names. --test and --dev files are read against the training data's classes; a class the training
data lacks is refused.`;

export function addDataOptions(cmd: Command): Command {
  return cmd
    .addHelpText("after", LABELS_HELP)
    .option(
      "--data <file>",
      "training data: .mat (X, y, Xval, yval), .csv (x1,…,xn,label), .json, .h5 images, or a folder of PNG/JPEG pictures with labels.csv (file,label)",
    )
    .option("--test <file>", "test set for --data (same columns, or same image size)")
    .option("--dataset <name>", `built-in data when no --data: ${BUILT_IN.join(", ")}`, "football")
    .option("--x-key <name>", "the data's name inside .h5 files (default: train_set_x, test_set_x, X, …)")
    .option("--y-key <name>", "the labels' name inside .h5 files (default: the data's name with y for x)")
    .option(
      "--digits <a,b>",
      "with --dataset digits: two digits to tell apart (a → 0, b → 1); all ten classes without it",
      digitPair,
    )
    .option("--train-size <n>", "train on a reproducible random subset of n examples", positiveInteger)
    .option("--test-size <n>", "test on a reproducible random subset of n examples", positiveInteger)
    .option("--subset-seed <n>", "seed of the --train-size and --test-size draws", seedNumber, 0);
}

const digitPair = parseList(
  parseNumber("a digit 0–9", (v) => Number.isInteger(v) && v >= 0 && v <= 9),
  "two digits like 3,8",
);

export interface DataOptionValues {
  data?: string;
  test?: string;
  dataset: string;
  xKey?: string;
  yKey?: string;
  digits?: number[];
  trainSize?: number;
  testSize?: number;
  subsetSeed: number;
}

/** The data named by --data/--test, or the built-in dataset (the football stand-in by default). */
export async function loadBundle(o: DataOptionValues): Promise<DataBundle> {
  if (o.digits && (o.data || o.dataset !== DIGITS_SOURCE))
    throw new UsageError("--digits needs --dataset digits");
  if (!o.data) checkDatasetName(o.dataset);
  if (!o.data && o.dataset === DIGITS_SOURCE) {
    if (o.test) throw new UsageError("--test needs --data (built-in datasets come with their own test set)");
    // All 60 000 digits take hours on a CPU: a named subset unless --train-size says otherwise.
    const sizes = { trainSize: o.trainSize ?? DIGITS_DEFAULT_TRAIN_SIZE, testSize: o.testSize };
    return loadDigits({ ...(o.digits ? { pair: o.digits } : {}), ...sizes }, o.subsetSeed);
  }
  const bundle = await loadOrGenerate(o);
  const rng = new RandomState(o.subsetSeed);
  const train = subsample(bundle.train, o.trainSize, rng, bundle.source, "the training set", true);
  if (o.testSize !== undefined && !bundle.test) {
    throw new UsageError(`--test-size: ${bundle.source} has no test set`);
  }
  const test = bundle.test && subsample(bundle.test, o.testSize, rng, bundle.source, "the test set");
  return { ...bundle, train, ...(test ? { test } : {}) };
}

async function loadOrGenerate(o: DataOptionValues): Promise<DataBundle> {
  const hdf5Keys = { ...(o.xKey ? { x: o.xKey } : {}), ...(o.yKey ? { y: o.yKey } : {}) };
  if (o.data) return loadDataFile(o.data, { ...(o.test ? { testPath: o.test } : {}), hdf5Keys });
  if (o.xKey || o.yKey) throw new UsageError("--x-key and --y-key need --data FILE.h5");
  if (o.test) throw new UsageError("--test needs --data (built-in datasets come with their own test set)");
  return generateDataset(o.dataset);
}

/** A short description of where the data came from, for reports and tables. */
export function describeBundle(b: DataBundle): string {
  const m = b.train.X.cols;
  const t = b.test ? `, ${b.test.X.cols} test` : "";
  const kind = b.synthetic ? " — synthetic; pass --data for real data" : "";
  const shape = b.train.shape;
  const features = shape
    ? `${shape.height}×${shape.width}×${shape.channels} images (${b.train.X.rows} features)`
    : `${b.train.X.rows} features`;
  const classes = b.classes ? ` (classes: ${b.classes.join(", ")})` : "";
  return `${b.source}: ${m} training examples${t}, ${features}${classes}${kind}`;
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
    const dev = await loadHeldOutFile(o.dev, bundle, "dev");
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
