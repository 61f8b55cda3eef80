/**
 * Decoded pictures (PNG, JPEG) as examples, in the layout reglab uses for every image: pixels / 255,
 * flattened row-major (height, width, channel), one example per column. Decoding the files is
 * src/node/picture-files.ts's job; this part is browser-safe.
 */

import type { Matrix } from "../../core/matrix.js";
import { matrix } from "../../core/matrix.js";
import { quote } from "../../core/quote.js";
import { DataError, type ImageShape, isLabel, LABEL_RULE } from "../dataset.js";

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

/** A folder's labels file: which picture has which label. */
export interface LabelList {
  readonly files: string[];
  readonly labels: Uint8Array;
  /** Class names by label, when the file names classes instead of numbering them (sorted). */
  readonly classes?: string[];
}

/**
 * Parses `file,label` lines (a first line `file,label` or any non-file header is skipped). Labels
 * are either all whole numbers 0…K−1 or all class names; names are numbered in sorted order.
 */
export function parseLabelList(text: string, source: string): LabelList {
  const files: string[] = [];
  const raw: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, n) => {
    if (line.trim() === "") return;
    const cells = line.split(",").map((s) => s.trim());
    if (cells.length !== 2 || cells[0] === "" || cells[1] === "") {
      throw new DataError(source, `line ${n + 1}: expected "file,label", got ${quote(line)}`);
    }
    if (files.length === 0 && /^(file|filename|image|path)$/i.test(cells[0])) return;
    files.push(cells[0]);
    raw.push(cells[1]);
  });
  if (files.length === 0) throw new DataError(source, "lists no pictures");
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f)) throw new DataError(source, `${quote(f)} is listed twice`);
    seen.add(f);
  }
  if (raw.every((v) => /^\d+$/.test(v))) {
    const labels = new Uint8Array(raw.length);
    raw.forEach((v, j) => {
      const k = Number(v);
      if (!isLabel(k)) throw new DataError(source, `label of ${quote(files[j])} is ${v}; ${LABEL_RULE}`);
      labels[j] = k;
    });
    return { files, labels };
  }
  const classes = [...new Set(raw)].sort();
  if (classes.length > 255) throw new DataError(source, `names ${classes.length} classes; at most 255`);
  const index = new Map(classes.map((c, k) => [c, k]));
  return { files, labels: Uint8Array.from(raw, (v) => index.get(v)!), classes };
}
