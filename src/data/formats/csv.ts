/**
 * CSV datasets: one example per line, features then the label in the last column (a class number
 * 0…K−1 or a class name, as src/data/labels.ts rules). An optional header row, blank lines and `#`
 * comment lines are allowed. Errors name the line.
 */
import { matrix } from "../../core/matrix.js";
import { clip, quote } from "../../core/quote.js";
import { type DataBundle, DataError, type Dataset, encodeBundle, type RawSet } from "../dataset.js";
import {
  decimal,
  isLabel as isClassLabel,
  isDecimal,
  labelFromText,
  MAX_CLASSES,
  type RawLabel,
} from "../labels.js";

export { decimal };

// A label column put first is the usual mistake: say where labels go.
const CSV_LABEL_RULE = `the label (last column) is a whole number 0…K−1 (at most ${MAX_CLASSES} classes) or a class name`;

/** A CSV file as one set: features checked, labels as written (numbers or names). */
export function readCsv(text: string, source: string): RawSet {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  let sep: string | undefined;
  let width = 0;
  const values: number[] = []; // row by row, features only
  const labels: RawLabel[] = [];
  const lineOf: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    const lineNo = i + 1;
    // Commas unless the first row has none, then semicolons or tabs (spreadsheet exports).
    sep ??= [",", ";", "\t"].find((s) => line.includes(s)) ?? ",";
    const fields = line.split(sep).map(unquote);
    if (width === 0) {
      width = fields.length;
      if (width < 2) {
        throw new DataError(source, `line ${lineNo} has 1 field; need at least 2 (features, then the label)`);
      }
      // A first row with no number in it is a header.
      if (fields.every((f) => !isDecimal(f))) continue;
    }
    if (fields.length !== width) {
      throw new DataError(source, `line ${lineNo} has ${fields.length} fields, expected ${width}`);
    }
    for (let c = 0; c < width - 1; c++) values.push(parseField(fields, source, lineNo, c));
    labels.push(parseLabel(fields, source, lineNo));
    lineOf.push(lineNo);
  }
  if (width === 0) throw new DataError(source, "file is empty (no data rows)");
  const m = labels.length;
  if (m === 0) throw new DataError(source, "has a header row but no data rows");

  const nx = width - 1;
  const X = matrix(nx, m);
  for (let j = 0; j < m; j++) {
    for (let f = 0; f < nx; f++) X.data[f * m + j] = values[j * nx + f];
  }
  return { X, labels, what: "", at: (j) => `line ${lineOf[j]}, label` };
}

/** A CSV file as a training set, its labels encoded by the one label rule. */
export function parseCsvData(text: string, source: string): DataBundle {
  return encodeBundle({ source, train: readCsv(text, source) });
}

/** The training set of a CSV file (class names, if any, in parseCsvData's `classes`). */
export function parseCsv(text: string, source: string): Dataset {
  return parseCsvData(text, source).train;
}

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).trim() : f;
}

/** What to add to a label error: a label column that seems to be first. */
function labelHint(fields: readonly string[]): string {
  const first = fields[0];
  if (first === "0" || first === "1")
    return `; ${CSV_LABEL_RULE}, and the first column (${quote(first)}) looks like a label: move it to the end`;
  return `; ${CSV_LABEL_RULE}`;
}

/** A feature: a finite plain decimal number. */
function parseField(fields: readonly string[], source: string, lineNo: number, c: number): number {
  const field = fields[c];
  const where = `line ${lineNo}, column ${c + 1}`;
  if (field === "") throw new DataError(source, `${where} is empty`);
  if (!isDecimal(field)) {
    const special = /^[+-]?(nan|inf|infinity)$/i.test(field);
    const hint = c === 0 ? "; features are numbers, and the label is the last column" : "";
    throw new DataError(
      source,
      `${where}: ${quote(field)} is not ${special ? "a finite number" : `a number${hint}`}`,
    );
  }
  const v = Number(field);
  if (!Number.isFinite(v)) throw new DataError(source, `${where}: ${quote(field)} is not a finite number`);
  return v;
}

/** The last field: a class number 0…254, or a class name (labels.ts judges names). */
function parseLabel(fields: readonly string[], source: string, lineNo: number): RawLabel {
  const field = fields[fields.length - 1];
  const where = `line ${lineNo}, label`;
  if (field === "") throw new DataError(source, `${where} is empty`);
  const label = labelFromText(field);
  if (typeof label === "number" && !isClassLabel(label))
    throw new DataError(source, `${where} is ${clip(field)}${labelHint(fields)}`);
  return label;
}
