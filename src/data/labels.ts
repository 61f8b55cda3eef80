/**
 * The one label rule every loader follows (CSV, MAT, JSON, HDF5, the digits, a picture folder's
 * labels.csv), and the library's fit:
 *
 * - A label that reads as a number is a class number; any other text is a class name. One set
 *   never mixes the two.
 * - Names are classes in sorted order (by code point, as scikit-learn's LabelEncoder sorts them):
 *   cat → 0, dog → 1. A file that lists its class names ("classes" in JSON, list_classes in HDF5)
 *   numbers them in its own order instead.
 * - Numbers must be whole numbers 0…K−1 (at most 255 classes), and every class 0…K−1 needs a
 *   training example: labels 1…2 or {0, 1, 3} are refused, naming the empty class. scikit-learn
 *   would renumber them; reglab does not, since a model's outputs and its file are read by number.
 * - A test or dev set is read against the training set's classes: a class the training set lacks
 *   is refused; a held-out set need not hold every class.
 */

import { DataError } from "../core/data-error.js";
import { quote } from "../core/quote.js";

/** The most classes a dataset may have: labels are bytes. */
export const MAX_CLASSES = 255;

/** What every label message says labels must be. */
export const LABEL_RULE = `labels must be whole numbers 0…K−1 (at most ${MAX_CLASSES} classes)`;

/** A label as a file holds it: a number, or a class name. */
export type RawLabel = number | string;

/** Whether `v` can be a class label. */
export function isLabel(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v < MAX_CLASSES;
}

// Plain decimal numbers only: Number() would also accept "", "0x1f", "Infinity".
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** Text that stands for a missing or broken value, never a class name. */
const MISSING = /^[+-]?(nan|na|n\/a|null|inf|infinity|-|\?)$/i;

/** Whether text is a plain decimal number ("-0.5", "1e-3"; not "0x1f", "Infinity", ""). */
export function isDecimal(text: string): boolean {
  return NUMBER.test(text);
}

/** A plain decimal number ("-0.5", "1e-3"), or NaN for anything else ("0x1f", "Infinity", ""). */
export function decimal(text: string): number {
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}

/** A label written as text: a number when it reads as one ("1", "1.0"), else a class name. */
export function labelFromText(text: string): RawLabel {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : t;
}

/** The classes a training set defines, which its test and dev sets are read against. */
export interface ClassSet {
  /** K. */
  readonly count: number;
  /** Names by class number, when the data has them. */
  readonly names?: readonly string[];
  /** Whether the training labels were written as names (then held-out sets must name theirs too). */
  readonly named: boolean;
}

/** Where a set's labels sit, for messages: "training set (X, y)" and, per label, "line 7". */
export interface LabelPlace {
  readonly source: string;
  /** The set, e.g. "training set (X, y)"; "" for a file that is one set. */
  readonly what: string;
  /** Where label j is, e.g. "line 7" or "'y' value 3"; "label j+1" by default. */
  readonly at?: (j: number) => string;
}

const prefix = (p: LabelPlace) => (p.what === "" ? "" : `${p.what}: `);
const where = (p: LabelPlace, j: number) => (p.at ? p.at(j) : `label ${j + 1}`);

/** Numbers by code point, as numpy sorts strings (JS's sort compares UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Names, distinct and sorted as scikit-learn's LabelEncoder numbers them. */
export function sortedClassNames(names: Iterable<string>): string[] {
  return [...new Set(names)].sort(byCodePoint);
}

/** Throws unless every label is a number, or every one a usable name; says which. */
function kindOf(raw: ArrayLike<RawLabel>, place: LabelPlace): "numbers" | "names" {
  let number = -1;
  let name = -1;
  for (let j = 0; j < raw.length && (number < 0 || name < 0); j++) {
    const v = raw[j];
    if (typeof v === "number") number = number < 0 ? j : number;
    else {
      if (v === "" || MISSING.test(v)) {
        throw new DataError(
          place.source,
          `${prefix(place)}${where(place, j)}: ${quote(v)} is a missing value, not a class`,
        );
      }
      name = name < 0 ? j : name;
    }
  }
  if (number >= 0 && name >= 0) {
    throw new DataError(
      place.source,
      `${prefix(place)}labels mix numbers (${where(place, number)}: ${raw[number]}) and names (${where(place, name)}: ${quote(String(raw[name]))}); write every label as a number 0…K−1 or every one as a name`,
    );
  }
  return name >= 0 ? "names" : "numbers";
}

function checkNumbers(raw: ArrayLike<RawLabel>, place: LabelPlace): Uint8Array {
  const y = new Uint8Array(raw.length);
  for (let j = 0; j < raw.length; j++) {
    const v = raw[j] as number;
    if (!isLabel(v))
      throw new DataError(place.source, `${prefix(place)}${where(place, j)} is ${v}; ${LABEL_RULE}`);
    y[j] = v;
  }
  return y;
}

/** "0, 1, 3" for a few values, "0…9 with gaps" for many. */
function listValues(present: readonly number[]): string {
  if (present.length <= 6) return present.join(", ");
  return `${present[0]}…${present[present.length - 1]} with gaps`;
}

/** "class 2 has", "classes 2 and 5 have", "classes 2, 5, 7, … (9 in all) have". */
function emptyClasses(missing: readonly number[], names?: readonly string[]): string {
  const named = (c: number) => (names?.[c] === undefined ? String(c) : `${c} (${quote(names[c])})`);
  if (missing.length === 1) return `class ${named(missing[0])} has`;
  if (missing.length === 2) return `classes ${named(missing[0])} and ${named(missing[1])} have`;
  if (missing.length === 3)
    return `classes ${named(missing[0])}, ${named(missing[1])} and ${named(missing[2])} have`;
  return `classes ${missing.slice(0, 3).map(named).join(", ")}, … (${missing.length} in all) have`;
}

/**
 * Checks that labels 0…K−1 give every class an example and at least two classes appear; the
 * message names the empty class and the likely cause (labels counted from 1, or a gap).
 */
export function checkClassesCovered(
  y: ArrayLike<number>,
  k: number,
  place: LabelPlace,
  names?: readonly string[],
): void {
  const counts = new Array<number>(Math.max(k, 1)).fill(0);
  for (let j = 0; j < y.length; j++) counts[y[j]]++;
  const present = counts.flatMap((n, c) => (n > 0 ? [c] : []));
  if (present.length === 1) {
    const c = present[0];
    const label = names?.[c] === undefined ? String(c) : quote(names[c]);
    const need =
      k <= 2 && names === undefined ? "both classes are needed" : "at least two classes are needed";
    throw new DataError(place.source, `${place.what || "data"} has only class ${label}; ${need}`);
  }
  const missing = counts.flatMap((n, c) => (n === 0 ? [c] : []));
  if (missing.length === 0) return;
  const empty = `${emptyClasses(missing, names)} no example`;
  let detail: string;
  if (names !== undefined) {
    detail = `${empty}; every class the data names needs a training example`;
  } else if (missing.length === 1 && missing[0] === 0) {
    detail = `labels run 1…${k - 1}: ${empty}; if they count from 1, subtract 1 (or write the classes as names)`;
  } else {
    detail = `labels are ${listValues(present)}: ${empty}; number the classes 0…K−1 without gaps (or write them as names)`;
  }
  throw new DataError(place.source, `${prefix(place)}${detail}`);
}

/** A training set's labels encoded by the rule, with the classes its held-out sets are read against. */
export interface EncodedLabels {
  readonly y: Uint8Array;
  readonly classes: ClassSet;
}

/**
 * Encodes a training set's labels by the rule above. `declared` is the file's own list of class
 * names (JSON "classes", HDF5 list_classes): names then map through it, numbers index it.
 */
export function encodeTrainingLabels(
  raw: ArrayLike<RawLabel>,
  place: LabelPlace,
  declared?: readonly string[],
): EncodedLabels {
  if (declared !== undefined && declared.length > MAX_CLASSES) {
    throw new DataError(place.source, `names ${declared.length} classes; at most ${MAX_CLASSES}`);
  }
  if (kindOf(raw, place) === "names") {
    const names = declared ?? sortedClassNames(Array.from(raw as ArrayLike<string>));
    if (names.length > MAX_CLASSES) {
      throw new DataError(
        place.source,
        `${prefix(place)}names ${names.length} classes; at most ${MAX_CLASSES}`,
      );
    }
    const classes: ClassSet = { count: names.length, names, named: true };
    const y = byName(raw as ArrayLike<string>, place, classes, declared ? "the data's class names" : "");
    checkClassesCovered(y, names.length, place, names);
    return { y, classes };
  }
  const y = checkNumbers(raw, place);
  let k = 2;
  for (let j = 0; j < y.length; j++) k = Math.max(k, y[j] + 1);
  if (declared !== undefined) {
    if (k > declared.length) {
      const j = y.findIndex((v) => v >= declared.length);
      throw new DataError(
        place.source,
        `${prefix(place)}${where(place, j)} is ${y[j]}, but the data names ${declared.length} classes (0…${declared.length - 1})`,
      );
    }
    k = declared.length;
  }
  checkClassesCovered(y, k, place, declared);
  return { y, classes: { count: k, ...(declared ? { names: declared } : {}), named: false } };
}

/** Class numbers of names, refusing a name that is not one of the classes. */
function byName(raw: ArrayLike<string>, place: LabelPlace, classes: ClassSet, whose: string): Uint8Array {
  const names = classes.names ?? [];
  const index = new Map(names.map((n, k) => [n, k]));
  const y = new Uint8Array(raw.length);
  for (let j = 0; j < raw.length; j++) {
    const k = index.get(raw[j]);
    if (k === undefined) {
      const list =
        names.length <= 6 ? names.join(", ") : `${names.slice(0, 5).join(", ")}, … (${names.length})`;
      throw new DataError(
        place.source,
        `${prefix(place)}${where(place, j)}: class ${quote(raw[j])} is not one of ${whose || "the training set's classes"} (${list})`,
      );
    }
    y[j] = k;
  }
  return y;
}

/**
 * Encodes a test or dev set's labels against the training set's classes: the same names or
 * numbers below K. A held-out set may lack a class; it may not add one.
 */
export function encodeHeldOutLabels(
  raw: ArrayLike<RawLabel>,
  place: LabelPlace,
  classes: ClassSet,
): Uint8Array {
  const kind = kindOf(raw, place);
  if (kind === "names") {
    if (classes.names === undefined) {
      throw new DataError(
        place.source,
        `${prefix(place)}names its classes (${quote(String(raw[0]))}) but the training set numbers them 0…${classes.count - 1}; use one or the other`,
      );
    }
    return byName(raw as ArrayLike<string>, place, classes, "");
  }
  if (classes.named) {
    const names = classes.names ?? [];
    throw new DataError(
      place.source,
      `${prefix(place)}numbers its classes (${raw[0]}) but the training set names them (${names.slice(0, 4).join(", ")}${names.length > 4 ? ", …" : ""}); use the names`,
    );
  }
  const y = checkNumbers(raw, place);
  for (let j = 0; j < y.length; j++) {
    if (y[j] >= classes.count) {
      throw new DataError(
        place.source,
        `${prefix(place)}${where(place, j)} is class ${y[j]}, which the training set lacks (its classes are 0…${classes.count - 1})`,
      );
    }
  }
  return y;
}

/**
 * The library's way to the rule: class names (or numbers written as text) to labels 0…K−1 and
 * the names by class number, exactly as a CSV's label column is read.
 */
export function encodeLabels(
  labels: ArrayLike<RawLabel>,
  source = "labels",
): { y: Uint8Array; classes?: readonly string[] } {
  const raw = Array.from(labels, (v) => (typeof v === "string" ? labelFromText(v) : v));
  const { y, classes } = encodeTrainingLabels(raw, { source, what: "" });
  return classes.names ? { y, classes: classes.names } : { y };
}
