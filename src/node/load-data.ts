/** Node-only: reads a data file from disk and parses it by its extension. */
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { type DataBundle, DataError } from "../data/dataset.js";
import { parseCsv } from "../data/formats/csv.js";
import { parseJsonData } from "../data/formats/json.js";
import { matToBundle, readMat } from "../data/formats/mat.js";

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
  await checkIsFile(path);
  const ext = extname(path).toLowerCase();
  if (ext !== ".mat" && ext !== ".csv" && ext !== ".json") {
    const what = ext === "" ? "a file without an extension" : `unsupported file type '${ext}'`;
    throw new DataError(path, `${what} (use .mat, .csv or .json)`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new DataError(path, `cannot read file (${errorCode(e)})`);
  }
  if (ext === ".mat") return matToBundle(await readMat(bytes, path), path);
  const text = new TextDecoder("utf-8").decode(bytes);
  if (ext === ".json") return parseJsonData(text, path);
  return { source: path, train: parseCsv(text, path) };
}

async function checkIsFile(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (e) {
    const code = errorCode(e);
    if (code === "ENOENT" || code === "ENOTDIR") throw new DataError(path, "file not found");
    if (code === "EACCES" || code === "EPERM") throw new DataError(path, "permission denied");
    throw new DataError(path, `cannot read file (${code})`);
  }
  if (info.isDirectory()) throw new DataError(path, "is a directory, not a data file");
  if (!info.isFile()) throw new DataError(path, "is not a regular file");
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : e instanceof Error ? e.message : String(e);
}
