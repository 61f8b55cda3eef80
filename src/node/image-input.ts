/**
 * Node-only: images to predict on, from whatever file holds them — an HDF5 file (the course's
 * test_catvnoncat.h5), an IDX file (MNIST's t10k-images-idx3-ubyte, labels from a second IDX file),
 * a PNG or JPEG, or a folder of pictures (labelled by its labels.csv when it has one). The kind is
 * told by the file's first bytes, not its name; anything else is handed back as text (a CSV).
 */

import { basename } from "node:path";
import { type Matrix, matrix } from "../core/matrix.js";
import { DataError, type ImageShape, labelsFrom } from "../data/dataset.js";
import { type Hdf5Keys, parseHdf5Inputs } from "../data/formats/hdf5.js";
import { type IdxArray, parseIdx } from "../data/formats/idx.js";
import { picturesToMatrix } from "../data/formats/pictures.js";
import { MAX_INPUT_BYTES, readInputFile } from "./input-file.js";
import { decodePicture, isFolder, loadPictureFolder } from "./picture-files.js";

export interface ImageInput {
  readonly kind: "images";
  readonly X: Matrix;
  readonly shape?: ImageShape;
  /** What to call example j in tables and files: a picture's file name, else its number. */
  readonly names: string[];
  readonly labels?: Uint8Array;
  readonly classes?: readonly string[];
}

export interface TextInput {
  readonly kind: "text";
  readonly text: string;
}

export interface ImageInputOptions {
  /** An IDX file of labels for an IDX file of images. */
  readonly labelsPath?: string;
  readonly hdf5Keys?: Hdf5Keys;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

const numbered = (m: number) => Array.from({ length: m }, (_, j) => `image ${j + 1}`);

function isIdx(bytes: Uint8Array): boolean {
  // Two zero bytes, a type byte 0x08–0x0e and 1–4 dimensions: text never starts so.
  return (
    bytes.length > 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] >= 8 && bytes[2] <= 14 && bytes[3] >= 1
  );
}

export async function loadImageInput(
  path: string,
  options: ImageInputOptions = {},
): Promise<ImageInput | TextInput> {
  if (await isFolder(path)) {
    const set = await loadPictureFolder(path, false);
    return { kind: "images", ...set };
  }
  const bytes = await readInputFile(path, (why) => new DataError(path, why), MAX_INPUT_BYTES, "input file");
  if (options.labelsPath !== undefined && !isIdx(bytes)) {
    throw new DataError(path, "--labels goes with an IDX file of images; this file is not one");
  }
  if (HDF5_SIGNATURE.every((b, i) => bytes[i] === b)) {
    const d = parseHdf5Inputs(bytes, path, options.hdf5Keys);
    return { kind: "images", ...d, names: numbered(d.X.cols) };
  }
  if (isIdx(bytes)) return idxInput(parseIdx(bytes, path), path, options.labelsPath);
  if ((bytes[0] === 0x89 && bytes[1] === 0x50) || (bytes[0] === 0xff && bytes[1] === 0xd8)) {
    const { X, shape } = picturesToMatrix([decodePicture(bytes, path)], [basename(path)], path);
    return { kind: "images", X, shape, names: [basename(path)] };
  }
  return { kind: "text", text: new TextDecoder("utf-8").decode(bytes) };
}

/** (m, h, w) or (m, h, w, c) images, bytes scaled to [0, 1] as in training; labels from their own file. */
async function idxInput(images: IdxArray, path: string, labelsPath?: string): Promise<ImageInput> {
  const dims = images.dims;
  if (dims.length < 3 || dims.length > 4) {
    throw new DataError(path, `IDX dimensions ${dims.join("×")}: expected images, m×height×width(×channels)`);
  }
  const [m, height, width] = dims;
  const channels = dims[3] ?? 1;
  const n = height * width * channels;
  const scale = images.type === "uint8" ? 255 : 1;
  const X = matrix(n, m);
  for (let j = 0; j < m; j++) for (let f = 0; f < n; f++) X.data[f * m + j] = images.data[j * n + f] / scale;
  const shape = { height, width, channels };
  if (labelsPath === undefined) return { kind: "images", X, shape, names: numbered(m) };
  const bytes = await readInputFile(
    labelsPath,
    (why) => new DataError(labelsPath, why),
    MAX_INPUT_BYTES,
    "labels file",
  );
  const labels = parseIdx(bytes, labelsPath);
  if (labels.dims.length !== 1 || labels.dims[0] !== m) {
    throw new DataError(
      labelsPath,
      `holds ${labels.dims.join("×")} values; expected ${m} labels, one per image`,
    );
  }
  return { kind: "images", X, shape, names: numbered(m), labels: labelsFrom(labels.data, labelsPath) };
}
