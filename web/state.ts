/**
 * Every setting of the playground in ONE table. The same entries parse the URL, serialize it,
 * and give each setting its default, so a link reproduces a run exactly and the two directions
 * can never drift apart. Pure: no DOM, testable in Node.
 */
import { DATASET_NAMES, DATASETS, type DatasetName } from "../src/data/generators.js";
import { describeConfig } from "../src/experiments/describe-config.js";
import { DEFAULT_RUN_CONFIG, type RunConfig } from "../src/training/config.js";
import { DEFAULT_PATIENCE } from "../src/training/early-stopping.js";
import {
  ARTICLE_SETTINGS,
  type ArticleRow,
  checkSetting,
  EXTRA_SETTINGS,
  type OptionKey,
  optionKey,
  type RowValue,
  SETTINGS as RUN_SETTINGS,
  settingOf as runSettingOf,
  type SettingRow,
  type SettingValue,
  withSetting,
} from "../src/training/settings.js";
import { type AugmentKind, augmentList } from "./digits/augment-kinds.js";
import { FEATURES, type Feature } from "./features.js";

export const MAX_LAYERS = 8;
export const MAX_NEURONS = 32;
/** Units a layer may have in a link (digits take [784, 64, 10]); the +/− buttons stop at MAX_NEURONS. */
export const MAX_UNITS = 512;
export const MAX_POINTS = 2000;
export const MAX_ADDED = 400;

/** A point added by clicking: coordinates rounded to 4 decimals so they survive the URL exactly. */
export interface AddedPoint {
  readonly x: number;
  readonly y: number;
  readonly label: 0 | 1;
}

export type DataSource = DatasetName | "file" | "digits";
export type HeatmapMode = "probability" | "discrete";

/**
 * The article's settings, one per row of the engine's settings table, keyed as the CLI's options
 * are (learningRate, lrDecay, keepProb, …); keepProb is one value per hidden layer here.
 */
type RowSettings = {
  -readonly [R in ArticleRow as OptionKey<R["name"]>]: R extends { perLayer: true } ? number[] : RowValue<R>;
};

export interface Settings extends RowSettings {
  // Data
  dataset: DataSource;
  points: number;
  noise: number;
  testFraction: number;
  dataSeed: number;
  devFraction: number;
  splitSeed: number;
  added: AddedPoint[];
  fileName: string;
  // Model
  /** Engineered inputs beside x₁, x₂ (2-feature data only), in FEATURES order. */
  features: Feature[];
  hidden: number[];
  // Training (the article's settings come from RowSettings)
  /** Online augmentation of images (digits), live. */
  augment: AugmentKind[];
  /**
   * The engine's settings table (L1, max-norm, noise, label smoothing, weight decay, schedule):
   * the rows set away from off, by row name. One URL parameter, `set=l1:0.01;max-norm:3`.
   */
  table: TableValues;
  /** End training at `iterations` (otherwise it goes on until paused). */
  stopAt: boolean;
  earlyStopping: boolean;
  patience: number;
  // View
  heatmap: HeatmapMode;
  showTest: boolean;
  compare: boolean;
  /** Iterations trained per drawn frame ("full": as fast as the worker can). */
  speed: "full" | "1000" | "100" | "10" | "1";
  /** Images: the dense layers alone, or the small CNN's convolution and pooling before them. */
  net: "dense" | "cnn";
}

/** How one kind of value reads from and writes to a URL parameter. */
export interface Kind<T> {
  /** The value, or undefined when `raw` is not a valid one. */
  parse(raw: string): T | undefined;
  format(value: T): string;
}

export interface Setting<K extends keyof Settings> {
  readonly key: K;
  /** Its URL parameter name. */
  readonly param: string;
  readonly kind: Kind<Settings[K]>;
  /** The default; may depend on settings earlier in the table (the dataset's own defaults). */
  readonly fallback: (earlier: Partial<Settings>) => Settings[K];
}

type AnySetting = { [K in keyof Settings]: Setting<K> }[keyof Settings];

// Plain decimal numbers only (Number() would take "", "0x10", "Infinity").
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function toNumber(raw: string): number | undefined {
  const t = raw.trim();
  if (!NUMBER.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** A number in [min, max]; String(v) is the shortest exact form. */
export function num(min: number, max: number): Kind<number> {
  return {
    parse(raw) {
      const v = toNumber(raw);
      if (v === undefined || v > max || v < min) return undefined;
      return v;
    },
    format: (v) => String(v),
  };
}

export function int(min: number, max: number): Kind<number> {
  const n = num(min, max);
  return {
    parse: (raw) => {
      const v = n.parse(raw);
      return v !== undefined && Number.isInteger(v) ? v : undefined;
    },
    format: (v) => String(v),
  };
}

export function oneOf<T extends string>(choices: readonly T[]): Kind<T> {
  return {
    parse: (raw) => ((choices as readonly string[]).includes(raw) ? (raw as T) : undefined),
    format: (v) => v,
  };
}

export const bool: Kind<boolean> = {
  parse: (raw) => (raw === "1" || raw === "true" ? true : raw === "0" || raw === "false" ? false : undefined),
  format: (v) => (v ? "1" : "0"),
};

/** A comma-separated list of `item`s with at most `maxLength` entries (empty allowed). */
export function list(item: Kind<number>, maxLength: number): Kind<number[]> {
  return {
    parse(raw) {
      if (raw.trim() === "") return [];
      const parts = raw.split(",");
      if (parts.length > maxLength) return undefined;
      const out: number[] = [];
      for (const p of parts) {
        const v = item.parse(p);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    },
    format: (v) => v.map(item.format).join(","),
  };
}

export const text: Kind<string> = {
  parse: (raw) => (raw.length <= 200 ? raw : undefined),
  format: (v) => v,
};

export type TableValues = Readonly<Record<string, number | string>>;

/**
 * The engine's settings rows as "name:value;name:value" (a schedule keeps its own colons), each
 * checked by its row; rows at their off value are left out, so the default is "".
 */
export const tableValues: Kind<TableValues> = {
  parse(raw) {
    const out: Record<string, number | string> = {};
    if (raw.trim() === "") return out;
    for (const item of raw.split(";")) {
      const at = item.indexOf(":");
      const row = EXTRA_SETTINGS.find((r) => r.name === item.slice(0, at));
      if (at < 0 || !row || row.name in out) return undefined;
      const text = item.slice(at + 1);
      const value = row.type === "number" ? toNumber(text) : text;
      if (value === undefined) return undefined;
      try {
        checkSetting(row, value);
      } catch {
        return undefined;
      }
      if (value !== row.default) out[row.name] = value;
    }
    return out;
  },
  format: (v) =>
    EXTRA_SETTINGS.filter((r) => v[r.name] !== undefined && v[r.name] !== r.default)
      .map((r) => `${r.name}:${v[r.name]}`)
      .join(";"),
};

/** A row's value in the playground's settings (its off value when not set). */
export function tableValue(s: Pick<Settings, "table">, row: SettingRow): number | string {
  return s.table[row.name] ?? (row.default as number | string);
}

/** Engineered features as "x1sq,sin1", each at most once, kept in FEATURES order. */
export const featureList: Kind<Feature[]> = {
  parse(raw) {
    if (raw.trim() === "") return [];
    const parts = raw.split(",");
    if (parts.some((p) => !(FEATURES as readonly string[]).includes(p))) return undefined;
    return FEATURES.filter((f) => parts.includes(f));
  },
  format: (v) => FEATURES.filter((f) => v.includes(f)).join(","),
};

/** Rounds a clicked coordinate so that it survives the URL exactly. */
export function roundCoordinate(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}

/** Added points as "x,y,label;x,y,label…". */
export const points: Kind<AddedPoint[]> = {
  parse(raw) {
    if (raw.trim() === "") return [];
    const items = raw.split(";");
    if (items.length > MAX_ADDED) return undefined;
    const out: AddedPoint[] = [];
    for (const item of items) {
      const f = item.split(",");
      if (f.length !== 3) return undefined;
      const x = toNumber(f[0]);
      const y = toNumber(f[1]);
      if (x === undefined || y === undefined || Math.abs(x) > 1e6 || Math.abs(y) > 1e6) return undefined;
      if (f[2] !== "0" && f[2] !== "1") return undefined;
      out.push({ x: roundCoordinate(x), y: roundCoordinate(y), label: f[2] === "1" ? 1 : 0 });
    }
    return out;
  },
  format: (v) => v.map((p) => `${p.x},${p.y},${p.label}`).join(";"),
};

/** The generator defaults of the dataset chosen earlier in the table (football for a file). */
function presetDefaults(earlier: Partial<Settings>) {
  const d = earlier.dataset;
  return DATASETS[d === undefined || d === "file" || d === "digits" ? "football" : d].defaults;
}

const D = DEFAULT_RUN_CONFIG;

function setting<K extends keyof Settings>(
  key: K,
  param: string,
  kind: Kind<Settings[K]>,
  fallback: (earlier: Partial<Settings>) => Settings[K],
): Setting<K> {
  return { key, param, kind, fallback };
}

/** A number row's values in a link: plain decimals its row accepts. */
function rowNumber(row: SettingRow): Kind<number> {
  return {
    parse(raw) {
      const v = toNumber(raw);
      try {
        checkSetting(row, v);
      } catch {
        return undefined;
      }
      return v;
    },
    format: (v) => String(v),
  };
}

/**
 * The playground's own defaults where they differ from the CLI's: a cost every 100 iterations
 * draws the curves as it trains.
 */
const PLAYGROUND_DEFAULTS: Partial<Settings> = { costEvery: 100 };

/**
 * The entry of each of the article's settings, from its row of the engine's settings table: its
 * link parameter, its values (the row's range or choices) and its default (keepProb one per hidden
 * layer, so it must come after `hidden`).
 */
function rowEntries(): AnySetting[] {
  return ARTICLE_SETTINGS.map((row): AnySetting => {
    const key = optionKey(row) as keyof Settings;
    const kind =
      row.type === "choice"
        ? oneOf(row.choices)
        : "perLayer" in row
          ? list(rowNumber(row), MAX_LAYERS)
          : rowNumber(row);
    const own = PLAYGROUND_DEFAULTS[key];
    const fallback =
      "perLayer" in row
        ? (s: Partial<Settings>) => (s.hidden ?? D.hidden).map(() => row.default)
        : () => own ?? row.default;
    return setting(key, row.param, kind as Kind<never>, fallback as () => never) as AnySetting;
  });
}

/**
 * THE table. Order matters: a default may read settings above it (the generator's noise depends
 * on the dataset; keepProb has one entry per hidden layer). Defaults are the article's model with a
 * cost recorded every 100 iterations, so the curves draw as it trains.
 */
export const SETTINGS: readonly AnySetting[] = [
  setting(
    "dataset",
    "data",
    oneOf<DataSource>([...DATASET_NAMES, "digits", "file"]),
    (): DataSource => "football",
  ),
  setting("points", "n", int(4, MAX_POINTS), (s) => presetDefaults(s).n),
  setting("noise", "noise", num(0, 10), (s) => presetDefaults(s).noise),
  setting("testFraction", "test", num(0, 0.9), (s) => presetDefaults(s).testFraction),
  setting("dataSeed", "dseed", int(0, 0xffffffff), (s) => presetDefaults(s).seed),
  setting("devFraction", "dev", num(0, 0.5), () => 0),
  setting("splitSeed", "sseed", int(0, 0xffffffff), () => 0),
  setting("added", "add", points, () => []),
  setting("fileName", "file", text, () => ""),
  setting("features", "feat", featureList, (): Feature[] => []),
  setting("hidden", "layers", list(int(1, MAX_UNITS), MAX_LAYERS), () => [...D.hidden]),
  ...rowEntries(),
  setting("table", "set", tableValues, (): TableValues => ({})),
  setting("augment", "aug", augmentList, (): AugmentKind[] => []),
  setting("stopAt", "stop", bool, () => false),
  setting("earlyStopping", "es", bool, () => false),
  setting("patience", "patience", int(0, 100_000), () => DEFAULT_PATIENCE),
  setting(
    "heatmap",
    "view",
    oneOf<HeatmapMode>(["probability", "discrete"]),
    (): HeatmapMode => "probability",
  ),
  setting("showTest", "testpts", bool, () => true),
  setting("compare", "compare", bool, () => false),
  setting("speed", "speed", oneOf(["full", "1000", "100", "10", "1"] as const), () => "full" as const),
  setting("net", "net", oneOf(["dense", "cnn"] as const), () => "dense" as const),
];

/** The table entry of one setting. */
export function settingOf<K extends keyof Settings>(key: K): Setting<K> {
  const entry = SETTINGS.find((s) => s.key === key);
  if (!entry) throw new Error(`no setting '${key}'`);
  return entry as unknown as Setting<K>;
}

export function defaultSettings(): Settings {
  return parseSettings("").settings;
}

export interface ParseResult {
  settings: Settings;
  /** One line per parameter that was ignored (unknown value or an inconsistency fixed). */
  warnings: string[];
}

/**
 * Reads settings from a URL hash or query ("#a=1&b=2", "?a=1" or "a=1"). Missing parameters get
 * their default; invalid ones get their default and a warning; unknown ones are ignored.
 */
export function parseSettings(query: string): ParseResult {
  const params = new URLSearchParams(query.replace(/^[#?]/, ""));
  const s: Partial<Settings> = {};
  const warnings: string[] = [];
  const known = new Set<string>();
  for (const entry of SETTINGS) {
    known.add(entry.param);
    const raw = params.get(entry.param);
    let value = raw === null ? undefined : entry.kind.parse(raw);
    if (raw !== null && value === undefined)
      warnings.push(`ignored ${entry.param}=${raw} (not a valid value)`);
    value ??= entry.fallback(s);
    (s as Record<string, unknown>)[entry.key] = value;
  }
  for (const name of params.keys()) {
    if (!known.has(name)) warnings.push(`ignored unknown setting '${name}'`);
  }
  const settings = s as Settings;
  warnings.push(...normalize(settings));
  return { settings, warnings };
}

/**
 * Fixes what single values cannot say: one keepProb per hidden layer (extra dropped, missing ones
 * copied from the last, or 1), and a dev set whenever early stopping is on. Returns what it changed.
 */
export function normalize(s: Settings): string[] {
  const notes: string[] = [];
  if (s.keepProb.length !== s.hidden.length) {
    const last = s.keepProb.length > 0 ? s.keepProb[s.keepProb.length - 1] : 1;
    if (s.keepProb.length > 0)
      notes.push(`keep lists ${s.keepProb.length} values for ${s.hidden.length} layers`);
    s.keepProb = s.hidden.map((_, i) => s.keepProb[i] ?? last);
  }
  if (s.earlyStopping && s.devFraction === 0 && s.dataset !== "file") {
    s.devFraction = 0.2;
    notes.push("early stopping needs a dev set: dev share set to 0.2");
  }
  return notes;
}

// Keep ',', ';' and ':' readable in links; everything else is percent-encoded.
function encode(v: string): string {
  return encodeURIComponent(v).replace(/%2C/gi, ",").replace(/%3B/gi, ";").replace(/%3A/gi, ":");
}

/**
 * What a running model takes live (Trainer.retune): changing these goes on from the current
 * weights. Every other setting but the view's needs new data or new weights: the run starts over.
 */
export const LIVE_KEYS: ReadonlySet<keyof Settings> = new Set<keyof Settings>([
  // The article's rows that say so; `set=` when every row beyond them is live (Trainer.retune).
  ...ARTICLE_SETTINGS.filter((r) => r.live).map((r) => optionKey(r)),
  ...(EXTRA_SETTINGS.every((r) => r.live) ? (["table"] as const) : []),
  "augment",
  "stopAt",
]);

/** Settings that only change the drawing. */
export const VIEW_KEYS: ReadonlySet<keyof Settings> = new Set<keyof Settings>(["heatmap", "showTest"]);

/** Where training ends: null = never (until paused). */
export function stopOf(s: Settings): number | null {
  return s.stopAt ? s.iterations : null;
}

/** Every setting, in table order, as "a=1&b=2" (no leading '#'). */
export function serializeSettings(s: Settings): string {
  return SETTINGS.map((entry) => {
    const value = (s as unknown as Record<string, unknown>)[entry.key];
    return `${entry.param}=${encode((entry.kind as Kind<unknown>).format(value))}`;
  }).join("&");
}

/**
 * A row's value in the playground's settings: the article's by key (keepProb one value when all
 * layers agree), the others from `set=`.
 */
function rowValue(s: Settings, row: SettingRow): SettingValue {
  if (!ARTICLE_SETTINGS.includes(row as ArticleRow)) return tableValue(s, row);
  const v = (s as unknown as Record<string, SettingValue>)[optionKey(row)];
  if (!Array.isArray(v)) return v;
  return v.length === 0 ? 1 : v.every((p) => p === v[0]) ? v[0] : v;
}

/** The engine's run configuration these settings describe: every row of its settings table. */
export function runConfigOf(s: Settings): RunConfig {
  let config: RunConfig = { ...D, hidden: [...s.hidden] };
  for (const row of RUN_SETTINGS) config = withSetting(config, row, rowValue(s, row));
  return config;
}

/** The table values a run configuration holds (the inverse of runConfigOf for the rows in `set=`). */
export function tableOf(c: RunConfig): TableValues {
  const out: Record<string, number | string> = {};
  for (const row of EXTRA_SETTINGS) {
    const v = runSettingOf(c, row) as number | string;
    if (v !== row.default) out[row.name] = v;
  }
  return out;
}

/**
 * The same run as a `reglab train` command line (for built-in data with its default options):
 * every article row's flag and value, and the rows beyond it that are on.
 */
export function cliArgsOf(s: Settings): string[] {
  const c = runConfigOf(s);
  const args = s.dataset === "file" ? ["--data", s.fileName || "FILE"] : ["--dataset", s.dataset];
  args.push("--layers", c.hidden.join(","));
  for (const row of RUN_SETTINGS) {
    const v = runSettingOf(c, row);
    if (ARTICLE_SETTINGS.includes(row as ArticleRow) || v !== row.default)
      args.push(`--${row.name}`, Array.isArray(v) ? v.join(",") : String(v));
  }
  if (s.devFraction > 0)
    args.push("--dev-fraction", String(s.devFraction), "--split-seed", String(s.splitSeed));
  if (s.earlyStopping) {
    args.push("--early-stopping", "--patience", String(s.patience), "--evaluate-every", String(c.costEvery));
  }
  return args;
}

/**
 * True when the built-in data uses the generator's defaults and no added points, so that the CLI's
 * `--dataset NAME` (with `--dev-fraction`/`--split-seed` when a dev set is split off) trains on
 * the same examples.
 */
export function usesDefaultData(s: Settings): boolean {
  if (s.dataset === "file" || s.dataset === "digits") return false;
  const d = DATASETS[s.dataset].defaults;
  return (
    s.features.length === 0 &&
    s.points === d.n &&
    s.noise === d.noise &&
    s.testFraction === d.testFraction &&
    s.dataSeed === d.seed &&
    s.added.length === 0
  );
}

/** One line saying what is being trained, e.g. for screenshots and the phone layout. */
export function describeRun(s: Settings, inputs: number, classes = 2): string {
  const config = runConfigOf(s);
  if (s.compare) {
    const shared = describeConfig(config, inputs, { regularization: false, untilPaused: !s.stopAt, classes });
    const keep = s.keepProb.every((p) => p === s.keepProb[0])
      ? String(s.keepProb[0] ?? 1)
      : s.keepProb.join(", ");
    return `Compare on the same data: no regularization · L2 λ = ${s.lambda} · dropout keepProb ${keep} (${s.dropoutMasks} masks) — ${shared}`;
  }
  return describeConfig(config, inputs, {
    untilPaused: !s.stopAt,
    classes,
    ...(s.earlyStopping && { earlyStopping: { patience: s.patience } }),
  });
}
