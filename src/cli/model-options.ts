import { type Command, InvalidArgumentError } from "commander";
import {
  type ArticleRow,
  checkSetting,
  DEFAULT_RUN_CONFIG,
  EXTRA_SETTINGS,
  expectedText,
  type OptionKey,
  optionKey,
  quote,
  type RowValue,
  type RunConfig,
  SETTINGS,
  type SettingRow,
  type SettingValue,
  withSetting,
} from "../index.js";
import { denseSizes, type LayersValue, layersOption } from "./layers-option.js";

export { optionKey };

/**
 * The options that describe a network and how to train it, shared by train, check, sweep, …:
 * `--layers` (its own grammar, cli/layers-option.ts), then one flag per row of the settings
 * table (training/settings.ts). With `regularization: false` the rows a sweep or a comparison
 * varies (`swept`: λ, keepProb and the rows beyond the article's) are left to the command.
 */
export function addModelOptions(cmd: Command, which: { regularization?: boolean } = {}): Command {
  cmd.option(
    "--layers <sizes>",
    "hidden layers: sizes, e.g. 20,3 for [n_x, 20, 3, 1], or with conv:F:S[:STRIDE][:same|valid], maxpool:S, avgpool:S, spatial-dropout:P, dropout:P",
    layersOption,
    DEFAULT_RUN_CONFIG.hidden,
  );
  return addSettingOptions(cmd, settingValue, (row) => which.regularization !== false || !row.swept);
}

/** Reads one value of a settings row from the command line, checked against the row's range. */
export function settingValue(row: SettingRow): (raw: string) => SettingValue {
  return (raw) => {
    let v: SettingValue = raw;
    if (row.type === "number") {
      const num = (t: string) => (t.trim() === "" ? Number.NaN : Number(t));
      const parts = raw.split(",");
      v = row.perLayer && parts.length > 1 ? parts.map(num) : num(raw);
    }
    try {
      checkSetting(row, v);
    } catch (e) {
      // A schedule says what is wrong in its own words; a range or a list says what it takes.
      const why = row.type === "text" ? (e as Error).message.replace(/^.*?: /, "") : undefined;
      throw new InvalidArgumentError(why ?? `expected ${expectedText(row)}, got ${quote(raw)}`);
    }
    return v;
  };
}

/**
 * One flag per row of the settings table, its help the row's: the article's rows with their
 * default, the ones beyond it without (absent leaves them off). `parse` reads a value (a sweep
 * reads lists); `include` picks the rows.
 */
export function addSettingOptions(
  cmd: Command,
  parse: (row: SettingRow) => (raw: string) => unknown = settingValue,
  include: (row: SettingRow) => boolean = () => true,
): Command {
  for (const row of SETTINGS) {
    if (!include(row)) continue;
    const arg = row.arg ?? (row.type === "text" ? "<schedule>" : "<value>");
    if (EXTRA_SETTINGS.includes(row))
      cmd.option(`--${row.name} ${arg}`, `${row.help} (default ${row.default} = off)`, parse(row));
    else cmd.option(`--${row.name} ${arg}`, row.help, parse(row), row.default);
  }
  return cmd;
}

type ArticleValues = { -readonly [R in ArticleRow as OptionKey<R["name"]>]: RowValue<R> };
type SweptKey = OptionKey<Extract<ArticleRow, { swept: true }>["name"]>;

/** What commander gives for the model options: `--layers`, then one value per settings row. */
export type ModelOptionValues = { layers: LayersValue } & Omit<ArticleValues, SweptKey> &
  Partial<Pick<ArticleValues, SweptKey>>;

/** The run config the model options give (hidden from --layers' dense sizes; layers go separately). */
export function runConfigFrom(o: ModelOptionValues): Partial<RunConfig> {
  // Every row given (the article's have defaults; the others only when on the command line).
  let c: Partial<RunConfig> = { hidden: denseSizes(o.layers) };
  for (const row of SETTINGS) {
    const v = (o as unknown as Record<string, SettingValue | undefined>)[optionKey(row)];
    if (v !== undefined) c = withSetting(c, row, v);
  }
  return c;
}
