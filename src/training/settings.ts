/**
 * Every run setting defined once, as data: the article's (settings/article-rows.ts) and the ones
 * beyond it (settings/extra-rows.ts), each a row with its name, type, range, default, unit, help
 * with its formula, group, and whether a running trainer takes it live or the run restarts. The
 * CLI's flags and their checks, sweep axes, DEFAULT_RUN_CONFIG and resolveRunConfig's checks (so
 * the model file's and the checkpoint's config checks), the job schema's types, the config line
 * (describeConfig) and the playground's link state and controls all read this table.
 */
import type { RegularizerSpec } from "../core/regularizers.js";
import { ARTICLE_SETTINGS } from "./settings/article-rows.js";
import { EXTRA_SETTINGS } from "./settings/extra-rows.js";
import { checkSetting, type SettingRow, type SettingValue } from "./settings/row.js";

export { ARTICLE_SETTINGS, type ArticleRow, MAX_ITERATIONS } from "./settings/article-rows.js";
export { EXTRA_SETTINGS } from "./settings/extra-rows.js";
export {
  type ChoiceRow,
  checkSetting,
  expectedText,
  type NumberRow,
  type OptionKey,
  optionKey,
  type RowValue,
  rangeText,
  type SettingGroup,
  type SettingRow,
  type SettingValue,
  type TextRow,
} from "./settings/row.js";

/** Every row: the article's first, in DEFAULT_RUN_CONFIG's order, then the ones beyond it. */
export const SETTINGS: readonly SettingRow[] = [...ARTICLE_SETTINGS, ...EXTRA_SETTINGS];

/** A config as the rows read and write it (config.ts's RunConfig is one). */
type Config = object & { regularizers?: readonly RegularizerSpec[] };

export function settingRow(name: string): SettingRow | undefined {
  return SETTINGS.find((r) => r.name === name);
}

/** The row's value in a config (its default when absent). */
export function settingOf(c: Config, r: SettingRow): SettingValue {
  if (r.type === "number" && r.spec) {
    const spec = (c.regularizers ?? []).find((s) => s.kind === r.kind);
    return spec && r.specValue ? r.specValue(spec) : r.default;
  }
  const v = (c as Record<string, unknown>)[r.field as string];
  if (r.type === "choice" && r.wrap)
    return ((v as { name?: string } | undefined)?.name ?? r.default) as string;
  return (v ?? r.default) as SettingValue;
}

/**
 * The config with the row set to `value` (checked): its field, or its spec replacing any spec of
 * the same kind (none at its off value).
 */
export function withSetting<C extends Config>(c: C, r: SettingRow, value: SettingValue): C {
  checkSetting(r, value);
  if (r.type === "number" && r.spec) {
    const rest = (c.regularizers ?? []).filter((s) => s.kind !== r.kind);
    return { ...c, regularizers: value === r.default ? rest : [...rest, r.spec(value as number)] };
  }
  const v = Array.isArray(value) ? [...value] : value;
  return { ...c, [r.field as string]: r.type === "choice" && r.wrap ? { name: v } : v };
}

/** The config fields the rows set, at their defaults (DEFAULT_RUN_CONFIG is built from them). */
export function rowDefaults(rows: readonly SettingRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    if (r.type === "number" && !r.field) continue;
    out[r.field as string] = r.type === "choice" && r.wrap ? { name: r.default } : r.default;
  }
  return out;
}

/**
 * The rows beyond the article's set away from their default in a config, with their values (λ,
 * keepProb and the rest have their own words in describeConfig and compare's rows).
 */
export function activeSettings(c: Config): { row: SettingRow; value: number | string }[] {
  return EXTRA_SETTINGS.map((row) => ({ row, value: settingOf(c, row) as number | string })).filter(
    ({ row, value }) => value !== row.default,
  );
}
