/** Node-only: reads a data file from disk and parses it by its extension. */
import { basename, extname } from "node:path";
import { quote } from "../core/quote.js";
import {
  type DataBundle,
  DataError,
  type Dataset,
  encodeBundle,
  encodeHeldOut,
  type RawBundle,
} from "../data/dataset.js";
import { readCsv } from "../data/formats/csv.js";
import { type Hdf5Keys, readHdf5 } from "../data/formats/hdf5.js";
import { readJsonData } from "../data/formats/json.js";
import { readMat, readMatSets } from "../data/formats/mat.js";
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
 * given, so the CLI can print "data.csv: line 7 has 2 fields, expected 3". Labels follow the one
 * rule of src/data/labels.ts; a `testPath` file is read against the training set's classes.
 */
export async function loadDataFile(path: string, options: LoadDataOptions = {}): Promise<DataBundle> {
  const bundle = encodeBundle(await loadOne(path, options.hdf5Keys));
  if (options.testPath === undefined) return bundle;
  const test = await loadHeldOutFile(options.testPath, bundle, "test", options.hdf5Keys, path);
  return { ...bundle, test };
}

/**
 * Another file's examples as a test or dev set of `against`: the same features (or image size),
 * its labels read against the training set's classes (a class the training set lacks is refused).
 * A test file in the course's layout holds test_set_x, which is taken as the file's one set.
 */
export async function loadHeldOutFile(
  path: string,
  against: DataBundle,
  role: "test" | "dev",
  hdf5Keys?: Hdf5Keys,
  trainPath = against.source,
): Promise<Dataset> {
  const raw = (await loadOne(path, hdf5Keys)).train;
  const features = against.train.X.rows;
  if (raw.X.rows !== features) {
    throw new DataError(
      path,
      `${role} data has ${raw.X.rows} features but the training data (${trainPath}) has ${features}`,
    );
  }
  if (!sameShape(raw.shape, against.train.shape)) {
    throw new DataError(path, `${role} images have another shape than the training images`);
  }
  return encodeHeldOut({ ...raw, what: raw.what || `${role} set` }, path, against);
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

/** A file's sets, labels as written: encoded as a training set or against one by the caller. */
async function loadOne(path: string, keys: Hdf5Keys = {}): Promise<RawBundle> {
  if (await isFolder(path)) return pictureFolder(path);
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
  if (ext === ".mat") return readMatSets(await readMat(bytes, path), path);
  if (ext === ".h5" || ext === ".hdf5") return readHdf5(bytes, path, keys);
  const text = new TextDecoder("utf-8").decode(bytes);
  if (ext === ".json") return readJsonData(text, path);
  return { source: path, train: readCsv(text, path) };
}

/** A folder of PNG/JPEG pictures with labels.csv. */
async function pictureFolder(dir: string): Promise<RawBundle> {
  const set = await loadPictureFolder(dir, true);
  const list = set.list!;
  return {
    source: dir,
    train: { X: set.X, labels: list.labels, shape: set.shape, what: "the pictures", at: list.at },
  };
}
