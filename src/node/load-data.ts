/** Node-only: reads a data file from disk and parses it by its extension. */
import { extname } from "node:path";
import { quote } from "../core/quote.js";
import { type DataBundle, DataError } from "../data/dataset.js";
import { parseCsv } from "../data/formats/csv.js";
import { parseJsonData } from "../data/formats/json.js";
import { matToBundle, readMat } from "../data/formats/mat.js";
import { MAX_INPUT_BYTES, readInputFile } from "./input-file.js";

export interface LoadDataOptions {
  /** A second file whose examples become the test set (replacing any test set inside `path`). */
  readonly testPath?: string;
}

/**
 * Loads a `.mat`, `.csv` or `.json` dataset. Errors are DataErrors whose `source` is the path as
 * given, so the CLI can print "data.csv: line 7 has 2 fields, expected 3".
 */
export async function loadDataFile(path: string, options: LoadDataOptions = {}): Promise<DataBundle> {
  const bundle = await loadOne(path);
  if (options.testPath === undefined) return bundle;
  const testPath = options.testPath;
  const test = (await loadOne(testPath)).train;
  if (test.X.rows !== bundle.train.X.rows) {
    throw new DataError(
      testPath,
      `test data has ${test.X.rows} features but the training data (${path}) has ${bundle.train.X.rows}`,
    );
  }
  return { ...bundle, test };
}

async function loadOne(path: string): Promise<DataBundle> {
  const ext = extname(path).toLowerCase();
  const bytes = await readInputFile(path, (why) => new DataError(path, why), MAX_INPUT_BYTES, "data file");
  if (ext !== ".mat" && ext !== ".csv" && ext !== ".json") {
    const what = ext === "" ? "a file without an extension" : `unsupported file type ${quote(ext)}`;
    throw new DataError(path, `${what} (use .mat, .csv or .json)`);
  }
  if (ext === ".mat") return matToBundle(await readMat(bytes, path), path);
  const text = new TextDecoder("utf-8").decode(bytes);
  if (ext === ".json") return parseJsonData(text, path);
  return { source: path, train: parseCsv(text, path) };
}
