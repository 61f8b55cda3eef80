/**
 * Decoded pictures (PNG, JPEG) as examples, in the layout reglab uses for every image: pixels / 255,
 * flattened row-major (height, width, channel), one example per column. Decoding the files is
 * src/node/picture-files.ts's job; this part is browser-safe.
 */

import type { Matrix } from "../../core/matrix.js";
import { matrix } from "../../core/matrix.js";
import { quote } from "../../core/quote.js";
import { DataError, type ImageShape } from "../dataset.js";
import {
  encodeHeldOutLabels,
  labelFromText,
  MAX_CLASSES,
  type RawLabel,
  sortedClassNames,
} from "../labels.js";

/** A decoded picture: 4 bytes (R, G, B, A) per pixel, row by row. */
export interface Picture {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** Grey when every pixel of every picture has R = G = B: a grey PNG or JPEG decodes that way. */
function allGrey(pictures: readonly Picture[]): boolean {
  for (const p of pictures) {
    const v = p.rgba;
    for (let i = 0; i < v.length; i += 4) if (v[i] !== v[i + 1] || v[i] !== v[i + 2]) return false;
  }
  return true;
}

/**
 * The pictures as one matrix (features × examples). All must have one size. One channel when every
 * picture is grey, else three (R, G, B); alpha is dropped, as the course's images have none.
 */
export function picturesToMatrix(
  pictures: readonly Picture[],
  names: readonly string[],
  source: string,
): { X: Matrix; shape: ImageShape } {
  if (pictures.length === 0) throw new DataError(source, "no pictures");
  const { width, height } = pictures[0];
  pictures.forEach((p, j) => {
    if (p.width !== width || p.height !== height) {
      throw new DataError(
        source,
        `${quote(names[j])} is ${p.width}×${p.height} but ${quote(names[0])} is ${width}×${height}; all pictures need one size`,
      );
    }
  });
  const channels = allGrey(pictures) ? 1 : 3;
  const m = pictures.length;
  const X = matrix(width * height * channels, m);
  pictures.forEach((p, j) => {
    let f = 0;
    for (let px = 0; px < width * height; px++) {
      for (let c = 0; c < channels; c++) X.data[f++ * m + j] = p.rgba[4 * px + c] / 255;
    }
  });
  return { X, shape: { height, width, channels } };
}

/** A folder's labels file: which picture has which label, as written. */
export interface RawLabelList {
  readonly files: string[];
  /** Class numbers or class names (src/data/labels.ts's rule). */
  readonly labels: RawLabel[];
  /** Where picture j's label is, for messages: "label of 'a.png'". */
  readonly at: (j: number) => string;
}

/** A folder's labels file with its labels as class numbers. */
export interface LabelList {
  readonly files: string[];
  readonly labels: Uint8Array;
  /** Class names by label, when the file names classes instead of numbering them (sorted). */
  readonly classes?: string[];
}

/**
 * Reads `file,label` lines (a first line `file,label` or any non-file header is skipped). A label
 * that reads as a number is a class number, any other a class name.
 */
export function readLabelList(text: string, source: string): RawLabelList {
  const files: string[] = [];
  const labels: RawLabel[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, n) => {
    if (line.trim() === "") return;
    const cells = line.split(",").map((s) => s.trim());
    if (cells.length !== 2 || cells[0] === "" || cells[1] === "") {
      throw new DataError(source, `line ${n + 1}: expected "file,label", got ${quote(line)}`);
    }
    if (files.length === 0 && /^(file|filename|image|path)$/i.test(cells[0])) return;
    files.push(cells[0]);
    labels.push(labelFromText(cells[1]));
  });
  if (files.length === 0) throw new DataError(source, "lists no pictures");
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f)) throw new DataError(source, `${quote(f)} is listed twice`);
    seen.add(f);
  }
  return { files, labels, at: (j) => `label of ${quote(files[j])}` };
}

/**
 * Parses a labels file on its own (as predict reads one): numbers 0…254, or names numbered in
 * sorted order; never both. Whether the labels suit a training set (every class 0…K−1 with an
 * example) is judged where the folder becomes one.
 */
export function parseLabelList(text: string, source: string): LabelList {
  return encodeLabelList(readLabelList(text, source), source);
}

/** parseLabelList's numbering of a list already read. */
export function encodeLabelList({ files, labels, at }: RawLabelList, source: string): LabelList {
  const named = labels.some((v) => typeof v === "string");
  const names = named
    ? sortedClassNames(labels.filter((v): v is string => typeof v === "string"))
    : undefined;
  if (names && names.length > MAX_CLASSES)
    throw new DataError(source, `names ${names.length} classes; at most ${MAX_CLASSES}`);
  const classes = names ? { count: names.length, names, named: true } : { count: MAX_CLASSES, named: false };
  const y = encodeHeldOutLabels(labels, { source, what: "", at }, classes);
  return names ? { files, labels: y, classes: names } : { files, labels: y };
}
