/** Node-only: reads a data file from disk and parses it by its extension. */
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { type DataBundle, DataError, type Dataset } from "../data/dataset.js";
import { parseCsv } from "../data/formats/csv.js";
import { type Hdf5Keys, parseHdf5 } from "../data/formats/hdf5.js";
import { parseJsonData } from "../data/formats/json.js";
import { matToBundle, readMat } from "../data/formats/mat.js";

export interface LoadDataOptions {
  /** A second file whose examples become the test set (replacing any test set inside `path`). */
  readonly testPath?: string;
  /** Dataset names inside .h5 files (found by convention when unset). */
  readonly hdf5Keys?: Hdf5Keys;
}

const EXTENSIONS = [".mat", ".csv", ".json", ".h5", ".hdf5"];

/**
 * Loads a `.mat`, `.csv`, `.json` or `.h5` dataset. Errors are DataErrors whose `source` is the path as
 * given, so the CLI can print "data.csv: line 7 has 2 fields, expected 3".
 */
export async function loadDataFile(path: string, options: LoadDataOptions = {}): Promise<DataBundle> {
  const bundle = await loadOne(path, options.hdf5Keys);
  if (options.testPath === undefined) return bundle;
  const testPath = options.testPath;
  // A test file in the course's layout holds test_set_x; parseHdf5 takes it as the file's one set.
  const test = (await loadOne(testPath, options.hdf5Keys)).train;
  if (test.X.rows !== bundle.train.X.rows) {
    throw new DataError(
      testPath,
      `test data has ${test.X.rows} features but the training data (${path}) has ${bundle.train.X.rows}`,
    );
  }
  if (!sameShape(test.shape, bundle.train.shape)) {
    throw new DataError(testPath, "test images have another shape than the training images");
  }
  return { ...bundle, test };
}

function sameShape(a: Dataset["shape"], b: Dataset["shape"]): boolean {
  return a?.height === b?.height && a?.width === b?.width && a?.channels === b?.channels;
}

async function loadOne(path: string, keys: Hdf5Keys = {}): Promise<DataBundle> {
  await checkIsFile(path);
  const ext = extname(path).toLowerCase();
  if (!EXTENSIONS.includes(ext)) {
    const what = ext === "" ? "a file without an extension" : `unsupported file type '${ext}'`;
    throw new DataError(path, `${what} (use .mat, .csv, .json or .h5)`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new DataError(path, `cannot read file (${errorCode(e)})`);
  }
  if (ext === ".mat") return matToBundle(await readMat(bytes, path), path);
  if (ext === ".h5" || ext === ".hdf5") return parseHdf5(bytes, path, keys);
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
