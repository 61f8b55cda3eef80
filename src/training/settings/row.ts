/**
 * What a row of the run settings table is, and how a value is checked against it. The rows
 * themselves are in article-rows.ts (the article's settings) and extra-rows.ts (the ones beyond
 * it); ../settings.ts joins them and reads and writes their values in a config.
 */
import { describeValue } from "../../core/quote.js";
import type { RegularizerSpec } from "../../core/regularizers.js";

export type SettingGroup = "model" | "optimization" | "regularization" | "noise" | "run";

interface RowBase {
  /** The setting's name: its flag is --name (a row beyond the article's also names it in `set=`). */
  readonly name: string;
  /** Its name in a sentence (describeConfig, compare's rows, the playground's slider). */
  readonly label: string;
  readonly help: string;
  readonly group: SettingGroup;
  /** A running trainer takes a change (Trainer.retune); false: the run restarts. */
  readonly live: boolean;
  /**
   * A sweep or a comparison varies it (its "regularization"): `addModelOptions(cmd,
   * { regularization: false })` leaves its flag out, and such a command declares its own.
   */
  readonly swept: boolean;
  /** The playground link's parameter; rows without one travel in `set=name:value;…`. */
  readonly param?: string;
  /** The flag's argument in --help (default <value>, <schedule> for text). */
  readonly arg?: string;
  readonly unit?: string;
}

/** A number in a range; a whole number with `integer`. */
export interface NumberRow extends RowBase {
  readonly type: "number";
  readonly min: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  readonly integer?: boolean;
  /** The maximum as written in messages (2^32 rather than 4294967296). */
  readonly maxText?: string;
  /** One value, or one per hidden layer (keepProb): each value is in the range. */
  readonly perLayer?: boolean;
  /** The default; for a row beyond the article's, the value that leaves it off. */
  readonly default: number;
  /** Where it goes: a config field, or a regularizer spec it adds. */
  readonly field?: string;
  readonly spec?: (value: number) => RegularizerSpec;
  /** Reads its value back from a spec the row made (for describe, links, sweeps). */
  readonly kind?: string;
  readonly specValue?: (spec: RegularizerSpec) => number;
  /** Which way is stronger regularization (a sweep's one-standard-error rule prefers it). */
  readonly stronger?: "larger" | "smaller";
  /** Playground slider range. */
  readonly slider?: { max: number; step: number };
}

/** One of a list of names (the engine's own list). */
export interface ChoiceRow extends RowBase {
  readonly type: "choice";
  readonly choices: readonly string[];
  readonly default: string;
  readonly field: string;
  /** The config field holds `{ name: value, … }` (the optimizer). */
  readonly wrap?: "name";
}

/** A string the row parses (a schedule). */
export interface TextRow extends RowBase {
  readonly type: "text";
  readonly field: string;
  readonly default: string;
  /** Throws a RangeError naming what is wrong. */
  check(value: string): void;
}

export type SettingRow = NumberRow | ChoiceRow | TextRow;

/** A row's value: keepProb's may be a list. */
export type SettingValue = number | string | readonly number[];

/** A number row's range in words: "a number > 0", "a whole number in [0, 2^32)". */
export function rangeText(r: NumberRow): string {
  const what = r.integer ? "a whole number" : "a number";
  if (r.max === undefined) return `${what} ${r.minExclusive ? ">" : "≥"} ${r.min}`;
  const hi = `${r.maxText ?? r.max}${r.maxExclusive ? ")" : "]"}`;
  return `${what} in ${r.minExclusive ? "(" : "["}${r.min}, ${hi}`;
}

/** What a row takes, in words (for messages). */
export function expectedText(r: SettingRow): string {
  if (r.type === "choice") return `one of ${r.choices.join(", ")}`;
  if (r.type === "text") return "a string";
  return r.perLayer ? `one value or one per hidden layer, each ${rangeText(r)}` : rangeText(r);
}

function inRange(r: NumberRow, v: unknown): boolean {
  return (
    typeof v === "number" &&
    Number.isFinite(v) &&
    (!r.integer || Number.isInteger(v)) &&
    (r.minExclusive ? v > r.min : v >= r.min) &&
    (r.max === undefined || (r.maxExclusive ? v < r.max : v <= r.max))
  );
}

/**
 * Checks a row's value; throws a RangeError "`who` must be …, got …" (`who`: the row's name, or
 * the config field when a config is checked).
 */
export function checkSetting(r: SettingRow, value: unknown, who: string = r.name): void {
  const fail = (): never => {
    throw new RangeError(`${who} must be ${expectedText(r)}, got ${describeValue(value)}`);
  };
  if (r.type === "text") {
    if (typeof value !== "string") fail();
    r.check(value as string);
  } else if (r.type === "choice") {
    if (!r.choices.includes(value as string)) fail();
  } else if (r.perLayer && Array.isArray(value)) {
    if (value.length === 0 || !value.every((v) => inRange(r, v))) fail();
  } else if (!inRange(r, value)) fail();
}

/** A row's option name as commander stores it and the playground keys it: --max-norm → maxNorm. */
export type OptionKey<S extends string> = S extends `${infer H}-${infer T}`
  ? `${H}${Capitalize<OptionKey<T>>}`
  : S;

export function optionKey<S extends string>(row: { readonly name: S }): OptionKey<S> {
  return row.name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as OptionKey<S>;
}

/** The type of a row's value as a flag gives it: a choice's names, keepProb's one or per layer. */
export type RowValue<R> = R extends { readonly type: "choice"; readonly choices: readonly (infer T)[] }
  ? T
  : R extends { readonly perLayer: true }
    ? number | number[]
    : R extends { readonly type: "text" }
      ? string
      : number;
