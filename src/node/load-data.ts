/** Node-only: reads a data file from disk and parses it by its extension. */
import { basename, extname } from "node:path";
import { quote } from "../core/quote.js";
import { type DataBundle, DataError, type Dataset, validateDataset } from "../data/dataset.js";
import { parseCsv } from "../data/formats/csv.js";
import { type Hdf5Keys, parseHdf5 } from "../data/formats/hdf5.js";
import { parseJsonData } from "../data/formats/json.js";
import { matToBundle, readMat } from "../data/formats/mat.js";
import { MAX_INPUT_BYTES, readInputFile } from "./input-file.js";
import { isFolder, loadPictureFolder } from "./picture-files.js";

export interface LoadDataOptions {
  /** A second file whose examples become the test set (replacing any test set inside `path`). */
  readonly testPath?: string;
  /** Dataset names inside .h5 files (found by convention when unset). */
  readonly hdf5Keys?: Hdf5Keys;
}

const EXTENSIONS = [".mat", ".csv", ".json", ".h5", ".hdf5"];

/**
 * Loads a `.mat`, `.csv`, `.json` or `.h5` dataset, or a folder of pictures with labels.csv. Errors are DataErrors whose `source` is the path as
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

/** The article's data file by its usual names: where it comes from, when it is missing. */
const ARTICLE_DATA = /^(football|data)\.mat$/i;

function notFound(path: string): string {
  if (!ARTICLE_DATA.test(basename(path))) return "file not found";
  return "file not found; it is data.mat from the deep-learning course's regularization assignment (course 2, week 1); without --data, a built-in stand-in is used";
}

async function loadOne(path: string, keys: Hdf5Keys = {}): Promise<DataBundle> {
  if (await isFolder(path)) return pictureFolderBundle(path);
  const ext = extname(path).toLowerCase();
  // Read first: a missing file, a directory or a FIFO says so before its name is judged.
  const bytes = await readInputFile(
    path,
    (why) => new DataError(path, why === "file not found" ? notFound(path) : why),
    MAX_INPUT_BYTES,
    "data file",
  );
  if (!EXTENSIONS.includes(ext)) {
    const what = ext === "" ? "a file without an extension" : `unsupported file type ${quote(ext)}`;
    throw new DataError(path, `${what} (use .mat, .csv, .json, .h5 or a folder of pictures)`);
  }
  if (ext === ".mat") return matToBundle(await readMat(bytes, path), path);
  if (ext === ".h5" || ext === ".hdf5") return parseHdf5(bytes, path, keys);
  const text = new TextDecoder("utf-8").decode(bytes);
  if (ext === ".json") return parseJsonData(text, path);
  return { source: path, train: parseCsv(text, path) };
}

/** A folder of PNG/JPEG pictures with labels.csv, as a training set. */
async function pictureFolderBundle(dir: string): Promise<DataBundle> {
  const set = await loadPictureFolder(dir, true);
  const train: Dataset = { X: set.X, y: set.labels!, shape: set.shape };
  validateDataset(train, dir, "the pictures");
  return { source: dir, train, ...(set.classes ? { classes: set.classes } : {}) };
}
