/**
 * CSV datasets: one example per line, features then the label (a class 0…K−1) in the last column. An optional
 * header row, blank lines and `#` comment lines are allowed. Errors name the line.
 */
import { matrix } from "../../core/matrix.js";
import { clip, quote } from "../../core/quote.js";
import { DataError, type Dataset, isLabel as isClassLabel, LABEL_RULE, validateDataset } from "../dataset.js";

// Text labels (yes/no) and a label column put first are the usual mistakes: say where labels go.
const CSV_LABEL_RULE = `the label is the last column and ${LABEL_RULE}`;

// Plain decimal numbers only: Number() would also accept "", "0x1f", "Infinity".
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A plain decimal number ("-0.5", "1e-3"), or NaN for anything else ("0x1f", "Infinity", ""). */
export function decimal(text: string): number {
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}

export function parseCsv(text: string, source: string): Dataset {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  let sep: string | undefined;
  let width = 0;
  const values: number[] = []; // row by row, labels included
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
      if (fields.every((f) => !NUMBER.test(f))) continue;
    }
    if (fields.length !== width) {
      throw new DataError(source, `line ${lineNo} has ${fields.length} fields, expected ${width}`);
    }
    for (let c = 0; c < width; c++) values.push(parseField(fields, source, lineNo, c));
  }
  if (width === 0) throw new DataError(source, "file is empty (no data rows)");
  const m = values.length / width;
  if (m === 0) throw new DataError(source, "has a header row but no data rows");

  const nx = width - 1;
  const X = matrix(nx, m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    for (let f = 0; f < nx; f++) X.data[f * m + j] = values[j * width + f];
    y[j] = values[j * width + nx];
  }
  const d = { X, y };
  validateDataset(d, source);
  return d;
}

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).trim() : f;
}

/** Words people use for a binary label. */
const LABEL_WORDS = /^(yes|no|true|false|y|n|t|f|pos|neg|positive|negative)$/i;

/** What to add to a label error: a word label to recode, or a label column that seems to be first. */
function labelHint(fields: readonly string[], c: number): string {
  const field = fields[c];
  if (LABEL_WORDS.test(field)) {
    const one = /^(yes|true|y|t|pos|positive)$/i.test(field);
    return `; ${CSV_LABEL_RULE} (write ${field.toLowerCase()} as ${one ? 1 : 0})`;
  }
  const first = fields[0];
  if (c === fields.length - 1 && (first === "0" || first === "1"))
    return `; ${CSV_LABEL_RULE}, and the first column (${quote(first)}) looks like a label: move it to the end`;
  return c === fields.length - 1 ? `; ${CSV_LABEL_RULE}` : "";
}

function parseField(fields: readonly string[], source: string, lineNo: number, c: number): number {
  const field = fields[c];
  const isLabel = c === fields.length - 1;
  const where = `line ${lineNo}, ${isLabel ? "label" : `column ${c + 1}`}`;
  if (field === "") throw new DataError(source, `${where} is empty`);
  if (isLabel && !NUMBER.test(field))
    throw new DataError(source, `${where} is ${quote(field)}${labelHint(fields, c)}`);
  if (!NUMBER.test(field)) {
    const special = /^[+-]?(nan|inf|infinity)$/i.test(field);
    throw new DataError(
      source,
      `${where}: ${quote(field)} is not ${special ? "a finite number" : "a number"}${special ? "" : labelHint(fields, c)}`,
    );
  }
  const v = Number(field);
  if (!Number.isFinite(v)) throw new DataError(source, `${where}: ${quote(field)} is not a finite number`);
  if (isLabel && !isClassLabel(v))
    throw new DataError(source, `${where} is ${clip(field)}${labelHint(fields, c)}`);
  return v;
}
