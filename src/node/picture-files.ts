/**
 * Node-only: PNG and JPEG pictures from disk — one file, or a folder of them with a labels file —
 * decoded with pngjs and jpeg-js (plain JavaScript, MIT and BSD) and laid out as reglab's images.
 */
import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import jpeg from "jpeg-js";
import pngjs from "pngjs";
import type { Matrix } from "../core/matrix.js";
import { DataError, type ImageShape } from "../data/dataset.js";
import {
  encodeLabelList,
  type Picture,
  picturesToMatrix,
  type RawLabelList,
  readLabelList,
} from "../data/formats/pictures.js";
import { readInputFile } from "./input-file.js";

export const PICTURE_EXTENSIONS = [".png", ".jpg", ".jpeg"];
/** The labels file a folder of pictures carries for training. */
export const LABELS_FILE = "labels.csv";
/** Largest picture decoded: 16 megapixels (decoders allocate before they look at the data). */
const MAX_PIXELS = 16 * 1024 * 1024;
/** Most pictures read from one folder. */
const MAX_PICTURES = 200_000;
const MAX_PICTURE_BYTES = 64 * 1024 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPicturePath(path: string): boolean {
  return PICTURE_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** Decodes PNG or JPEG bytes (told apart by their first bytes, not the name) to RGBA. */
export function decodePicture(bytes: Uint8Array, source: string): Picture {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    // The header's size, checked before pngjs allocates for it.
    if (bytes.length < 24) throw new DataError(source, "PNG file cut short in its header");
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    if (width * height > MAX_PIXELS) {
      throw new DataError(source, `is ${width}×${height} pixels; pictures over 16 megapixels are not read`);
    }
    try {
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
    } catch (e) {
      throw new DataError(source, `cannot decode the PNG (${firstLine(e)})`);
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    try {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_PIXELS / (1024 * 1024),
        maxMemoryUsageInMB: 512,
      });
      return { width: img.width, height: img.height, rgba: img.data };
    } catch (e) {
      throw new DataError(source, `cannot decode the JPEG (${firstLine(e)})`);
    }
  }
  throw new DataError(source, "not a PNG or JPEG picture");
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].slice(0, 100);
}

export interface PictureSet {
  readonly X: Matrix;
  readonly shape: ImageShape;
  /** The pictures' file names, in column order. */
  readonly names: string[];
  readonly labels?: Uint8Array;
  readonly classes?: string[];
  /** The labels as labels.csv writes them, for a training or test set to number by the label rule. */
  readonly list?: RawLabelList;
}

async function readPictures(paths: readonly string[], names: readonly string[], source: string) {
  if (paths.length > MAX_PICTURES) {
    throw new DataError(source, `holds ${paths.length} pictures; at most ${MAX_PICTURES} are read`);
  }
  const pictures: Picture[] = [];
  for (const path of paths) {
    const bytes = await readInputFile(path, (why) => new DataError(path, why), MAX_PICTURE_BYTES, "picture");
    pictures.push(decodePicture(bytes, path));
  }
  return picturesToMatrix(pictures, names, source);
}

/**
 * A folder of pictures. With `labels.csv` (lines `file,label`, the label a number 0…K−1 or a
 * class name) the listed pictures, labelled; without it — when `needLabels` is false — every
 * PNG and JPEG in the folder, by name.
 */
export async function loadPictureFolder(dir: string, needLabels: boolean): Promise<PictureSet> {
  const listPath = join(dir, LABELS_FILE);
  const hasList = await stat(listPath).then(
    (s) => s.isFile(),
    () => false,
  );
  if (hasList) {
    const text = new TextDecoder("utf-8").decode(
      await readInputFile(listPath, (why) => new DataError(listPath, why), MAX_PICTURE_BYTES, "labels file"),
    );
    const list = readLabelList(text, listPath);
    const numbered = encodeLabelList(list, listPath);
    const { X, shape } = await readPictures(
      list.files.map((f) => join(dir, f)),
      list.files,
      dir,
    );
    return {
      X,
      shape,
      names: list.files,
      labels: numbered.labels,
      ...(numbered.classes ? { classes: numbered.classes } : {}),
      list,
    };
  }
  if (needLabels) {
    throw new DataError(dir, `a folder of pictures needs ${LABELS_FILE} (lines "file,label") to train on`);
  }
  const names = (await readdir(dir)).filter(isPicturePath).sort();
  if (names.length === 0)
    throw new DataError(dir, `holds no .png, .jpg or .jpeg pictures (and no ${LABELS_FILE})`);
  const { X, shape } = await readPictures(
    names.map((f) => join(dir, f)),
    names,
    dir,
  );
  return { X, shape, names };
}

/** Whether a path names a folder (false for anything else, including a missing path). */
export async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
