/**
 * HDF5 datasets (.h5), as the course ships its cat pictures: `train_set_x` (m × 64 × 64 × 3 bytes),
 * `train_set_y` (m labels), `list_classes`, and `test_set_x`/`test_set_y` in the test file.
 *
 * Read with jsfive rather than h5wasm (both from NIST): jsfive is plain JavaScript (1.7 MB with its
 * one dependency, pako, against 15 MB of WebAssembly), reads synchronously from an ArrayBuffer, so
 * the same code runs in the browser with no virtual file system or async start-up, and is public
 * domain (its pyfive parts BSD). It reads what h5py writes — contiguous, chunked and deflated
 * datasets — which is what image datasets are; h5wasm (the HDF5 C library) would read every file,
 * at ten times the size. jsfive throws strings and RangeErrors on bad bytes: every call is wrapped
 * so a broken file gives one DataError line.
 */
import { File, type Group, Dataset as H5Dataset } from "jsfive";
import { type Matrix, matrix } from "../../core/matrix.js";
import {
  type DataBundle,
  DataError,
  encodeBundle,
  type ImageShape,
  labelsFrom,
  type RawBundle,
  type RawSet,
  validateFeatures,
} from "../dataset.js";
import { MAX_CLASSES } from "../labels.js";

/** Dataset names inside the file; unset names are found by convention. */
export interface Hdf5Keys {
  readonly x?: string;
  readonly y?: string;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
// Conventional names, tried in order, for a file with one set.
const X_NAMES = ["train_set_x", "test_set_x", "X", "x", "images", "data"];
const Y_NAMES = ["train_set_y", "test_set_y", "y", "Y", "labels", "label"];
const CLASS_NAMES = "list_classes";

/**
 * Parses an HDF5 file into a bundle. With no keys named, a file holding both `train_set_*` and
 * `test_set_*` gives a training and a test set; otherwise the first conventional name found is
 * the data. Byte images are divided by 255 (as the course does) and flattened row-major HWC.
 */
export function parseHdf5(bytes: Uint8Array, source: string, keys: Hdf5Keys = {}): DataBundle {
  return encodeBundle(readHdf5(bytes, source, keys));
}

/** The file's sets with their labels as stored and its list_classes (parseHdf5 before encoding). */
export function readHdf5(bytes: Uint8Array, source: string, keys: Hdf5Keys = {}): RawBundle {
  const { file, names, classes } = openHdf5(bytes, source);
  const withClasses = classes ? { classes } : {};
  if (keys.x === undefined && keys.y === undefined && names.includes("train_set_x")) {
    const train = readSet(file, source, "train_set_x", "train_set_y", names);
    const test = names.includes("test_set_x")
      ? readSet(file, source, "test_set_x", "test_set_y", names)
      : undefined;
    return { source, train, ...(test ? { test } : {}), ...withClasses };
  }
  const xKey = findImages(source, names, keys);
  const yKey = findLabels(names, keys);
  if (yKey === undefined) {
    throw new DataError(
      source,
      `no labels found for '${xKey}' (datasets: ${listNames(names)}); name them with --y-key`,
    );
  }
  return { source, train: readSet(file, source, xKey, yKey, names), ...withClasses };
}

/** Images to predict on: the file's one set of images (the test set's in a course file), labels if it has them. */
export interface Hdf5Inputs {
  readonly X: Matrix;
  readonly shape?: ImageShape;
  readonly labels?: Uint8Array;
  readonly classes?: readonly string[];
}

/** Reads a file's images for prediction; labels are optional here (returned when found). */
export function parseHdf5Inputs(bytes: Uint8Array, source: string, keys: Hdf5Keys = {}): Hdf5Inputs {
  const { file, names, classes } = openHdf5(bytes, source);
  const xKey = findImages(source, names, keys);
  const yKey = findLabels(names, keys);
  const withClasses = classes ? { classes } : {};
  if (yKey !== undefined) {
    const d = readSet(file, source, xKey, yKey, names);
    const labels = labelsFrom(Array.from(d.labels, Number), source, `'${yKey}'`);
    validateFeatures({ X: d.X, y: labels, ...(d.shape ? { shape: d.shape } : {}) }, source, d.what);
    return { X: d.X, labels, ...(d.shape ? { shape: d.shape } : {}), ...withClasses };
  }
  const { X, shape } = readImages(file, source, xKey, names);
  validateFeatures({ X, y: new Uint8Array(X.cols), ...(shape ? { shape } : {}) }, source, xKey);
  return { X, ...(shape ? { shape } : {}), ...withClasses };
}

function openHdf5(bytes: Uint8Array, source: string) {
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new DataError(source, "not an HDF5 file (no HDF5 signature at the start)");
  }
  const file = guarded(source, "cannot read the HDF5 structure", () => {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return new File(buffer, source);
  });
  const names = guarded(source, "cannot list the HDF5 contents", () => [...file.keys]);
  const classes = names.includes(CLASS_NAMES) ? readClasses(file, source) : undefined;
  return { file, names, classes };
}

const listNames = (names: readonly string[]) => (names.length > 0 ? names.join(", ") : "none");

function findImages(source: string, names: readonly string[], keys: Hdf5Keys): string {
  const xKey = keys.x ?? X_NAMES.find((k) => names.includes(k));
  if (xKey === undefined) {
    throw new DataError(
      source,
      `no image data found (datasets: ${listNames(names)}); name it with --x-key and --y-key`,
    );
  }
  return xKey;
}

function findLabels(names: readonly string[], keys: Hdf5Keys): string | undefined {
  return (
    keys.y ?? (keys.x !== undefined ? pairedLabels(keys.x, names) : Y_NAMES.find((k) => names.includes(k)))
  );
}

/** `train_set_x` → `train_set_y`, `X` → `Y` or `y`: the labels named like the data. */
function pairedLabels(xKey: string, names: readonly string[]): string | undefined {
  const stem = xKey.slice(0, -1);
  const last = xKey.slice(-1);
  if (last !== "x" && last !== "X") return undefined;
  return [`${stem}y`, `${stem}Y`].find((k) => names.includes(k));
}

function readImages(
  file: Group,
  source: string,
  xKey: string,
  names: readonly string[],
): { X: Matrix; shape?: ImageShape } {
  const x = numericDataset(file, source, xKey, names);
  const dims = x.shape;
  if (dims.length < 2) {
    throw new DataError(
      source,
      `'${xKey}' has shape (${dims.join(", ")}); expected examples first, then features`,
    );
  }
  const m = dims[0];
  const nx = dims.slice(1).reduce((a, b) => a * b, 1);
  const values = x.values;
  const scale = x.dtype.endsWith("u1") ? 255 : 1;
  const X = matrix(nx, m);
  // Examples are rows in the file and columns here: X[f, j] = file[j, f] (/ 255 for bytes).
  for (let j = 0; j < m; j++) {
    const row = j * nx;
    for (let f = 0; f < nx; f++) X.data[f * m + j] = Number(values[row + f]) / scale;
  }
  const shape = imageShape(dims);
  return shape ? { X, shape } : { X };
}

function readSet(file: Group, source: string, xKey: string, yKey: string, names: readonly string[]): RawSet {
  const { X, shape } = readImages(file, source, xKey, names);
  const m = X.cols;
  const y = numericDataset(file, source, yKey, names);
  const yDims = y.shape;
  if (y.values.length !== m || yDims.filter((d) => d !== 1).length > 1) {
    throw new DataError(
      source,
      `'${yKey}' has shape (${yDims.join(", ")}); expected ${m} labels, one per example of '${xKey}'`,
    );
  }
  const labels = Array.from(y.values, Number);
  const at = (j: number) => `'${yKey}' value ${j + 1}`;
  return { X, labels, what: `${xKey}, ${yKey}`, at, ...(shape ? { shape } : {}) };
}

/** (m, h, w, c) and (m, h, w) are images; (m, n) is plain features. */
function imageShape(dims: readonly number[]): ImageShape | undefined {
  if (dims.length === 4) return { height: dims[1], width: dims[2], channels: dims[3] };
  if (dims.length === 3) return { height: dims[1], width: dims[2], channels: 1 };
  return undefined;
}

interface NumericData {
  shape: number[];
  dtype: string;
  values: ArrayLike<number | bigint>;
}

function numericDataset(file: Group, source: string, key: string, names: readonly string[]): NumericData {
  const node = guarded(source, `cannot open '${key}'`, () => (names.includes(key) ? file.get(key) : null));
  if (!(node instanceof H5Dataset)) {
    const why = node ? "is a group, not a dataset" : `not found (datasets: ${names.join(", ") || "none"})`;
    throw new DataError(source, `'${key}' ${why}`);
  }
  const dtype = typeof node.dtype === "string" ? node.dtype : "compound";
  if (!/^[<>|=]?[uif][1248]$/.test(dtype)) {
    throw new DataError(source, `'${key}' holds ${dtype} values, not numbers`);
  }
  const shape = guarded(source, `cannot read the shape of '${key}'`, () => [...node.shape]);
  const values = guarded(source, `cannot read '${key}'`, () => node.value as ArrayLike<number | bigint>);
  const count = shape.reduce((a, b) => a * b, 1);
  if (values.length !== count) {
    throw new DataError(
      source,
      `'${key}' has ${values.length} values for shape (${shape.join(", ")}); file truncated?`,
    );
  }
  return { shape, dtype, values };
}

function readClasses(file: Group, source: string): string[] | undefined {
  const names = guarded(source, `cannot read '${CLASS_NAMES}'`, () => {
    const node = file.get(CLASS_NAMES);
    if (!(node instanceof H5Dataset)) return undefined;
    return Array.from(node.value, (v) => String(v).replace(/\0+$/, ""));
  });
  // The class names number the labels: they must be usable as such.
  const ok =
    names === undefined ||
    (names.length >= 2 &&
      names.length <= MAX_CLASSES &&
      names.every((n) => n.trim() !== "") &&
      new Set(names).size === names.length);
  if (!ok) {
    throw new DataError(
      source,
      `'${CLASS_NAMES}' must list 2 to ${MAX_CLASSES} distinct names, one per label 0…K−1`,
    );
  }
  return names;
}

/** Runs a jsfive call, turning whatever it throws (often a bare string) into one DataError line. */
function guarded<T>(source: string, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DataError) throw e;
    const detail = (e instanceof Error ? e.message : String(e)).split("\n")[0].slice(0, 120);
    throw new DataError(source, `${what}: corrupt or truncated file (${detail})`);
  }
}
