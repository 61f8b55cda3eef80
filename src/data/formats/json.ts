/**
 * JSON datasets: `{ "X": [[x1, …], …], "y": [0, 1, …] }` with one row per example, plus optional
 * `Xtest`/`ytest` and `Xdev`/`ydev` in the same shape, and `classes` (a name per label, e.g.
 * ["zero", "one", "two"]). Labels are class numbers 0…K−1 or class names (src/data/labels.ts);
 * with `classes`, numbers index it and names must be in it. Other keys are ignored.
 */
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../../core/json-depth.js";
import { describeValue, oneLine } from "../../core/quote.js";
import {
  type DataBundle,
  DataError,
  encodeBundle,
  fromExampleRows,
  type RawBundle,
  type RawSet,
} from "../dataset.js";
import { LABEL_RULE, labelFromText, MAX_CLASSES, type RawLabel } from "../labels.js";

export function parseJsonData(text: string, source: string): DataBundle {
  return encodeBundle(readJsonData(text, source));
}

/** parseJsonData's sets before their labels are encoded. */
export function readJsonData(text: string, source: string): RawBundle {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DataError(source, `invalid JSON: ${oneLine(e instanceof Error ? e.message : String(e), 80)}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new DataError(source, 'expected a JSON object with "X" (rows of features) and "y" (labels)');
  }
  if (nestsDeeperThan(doc)) {
    throw new DataError(source, `nests deeper than ${MAX_JSON_DEPTH} levels; expected rows of numbers`);
  }
  const obj = doc as Record<string, unknown>;
  const train = rawSet(obj, "X", "y", source, "training set");
  if (!train) throw new DataError(source, 'missing "X" and "y" (rows of features and their labels)');
  const test = rawSet(obj, "Xtest", "ytest", source, "test set", train.X.rows);
  const dev = rawSet(obj, "Xdev", "ydev", source, "dev set", train.X.rows);
  const classes = classNames(obj.classes, source);
  return { source, train, ...(test && { test }), ...(dev && { dev }), ...(classes && { classes }) };
}

/** The optional "classes": one distinct name per class, in class-number order. */
function classNames(value: unknown, source: string): string[] | undefined {
  if (value === undefined) return undefined;
  const ok =
    Array.isArray(value) &&
    value.length >= 2 &&
    value.length <= MAX_CLASSES &&
    value.every((v) => typeof v === "string" && v.trim() !== "") &&
    new Set(value).size === value.length;
  if (!ok) {
    throw new DataError(
      source,
      `"classes" must list 2 to ${MAX_CLASSES} distinct names, one per label 0…K−1`,
    );
  }
  return value as string[];
}

function rawSet(
  obj: Record<string, unknown>,
  xKey: string,
  yKey: string,
  source: string,
  what: string,
  features?: number,
): RawSet | undefined {
  const xs = obj[xKey];
  const ys = obj[yKey];
  if (xs === undefined && ys === undefined) return undefined;
  if (xs === undefined || ys === undefined) {
    throw new DataError(
      source,
      `found "${xs === undefined ? yKey : xKey}" but no "${xs === undefined ? xKey : yKey}"`,
    );
  }
  const rows = exampleRows(xs, xKey, source);
  const labels = labelValues(ys, yKey, source);
  if (labels.length !== rows.length) {
    throw new DataError(
      source,
      `"${xKey}" has ${rows.length} rows (examples) but "${yKey}" has ${labels.length} labels`,
    );
  }
  const nx = rows.length === 0 ? 0 : rows[0].length;
  if (features !== undefined && rows.length > 0 && nx !== features) {
    throw new DataError(source, `"${xKey}" rows have ${nx} features but "X" rows have ${features}`);
  }
  const { X } = fromExampleRows(rows, new Uint8Array(rows.length));
  return { X, labels, what: `${what} (${xKey}, ${yKey})`, at: (j) => `"${yKey}" value ${j + 1}` };
}

function exampleRows(value: unknown, key: string, source: string): number[][] {
  if (!Array.isArray(value))
    throw new DataError(source, `"${key}" must be an array of rows, one per example`);
  const width = Array.isArray(value[0]) ? value[0].length : 0;
  value.forEach((row: unknown, i) => {
    if (!Array.isArray(row)) {
      throw new DataError(
        source,
        `"${key}" row ${i + 1} is ${describeValue(row)}, expected an array of numbers`,
      );
    }
    if (row.length !== width) {
      throw new DataError(source, `"${key}" row ${i + 1} has ${row.length} values, expected ${width}`);
    }
    row.forEach((v: unknown, c) => {
      if (typeof v !== "number") {
        throw new DataError(
          source,
          `"${key}" row ${i + 1}, value ${c + 1} is ${describeValue(v)}, not a number`,
        );
      }
    });
  });
  return value as number[][];
}

/** Labels as a flat array, or as an m×1 column (what numpy's tolist() gives for a column vector). */
function labelValues(value: unknown, key: string, source: string): RawLabel[] {
  if (!Array.isArray(value))
    throw new DataError(source, `"${key}" must be an array of labels (class numbers or names)`);
  return value.map((v: unknown, i) => {
    const x = Array.isArray(v) && v.length === 1 ? v[0] : v;
    if (typeof x === "string") return labelFromText(x);
    if (typeof x !== "number") {
      throw new DataError(
        source,
        `"${key}" value ${i + 1} is ${describeValue(v)}; ${LABEL_RULE}, or class names`,
      );
    }
    return x;
  });
}
