import type { Command } from "commander";
import type { DataBundle } from "../data/dataset.js";
import { DATASET_NAMES, generateDataset } from "../data/generators.js";
import { loadDataFile } from "../node/load-data.js";
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
