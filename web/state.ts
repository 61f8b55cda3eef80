/**
 * Every setting of the playground in ONE table. The same entries parse the URL, serialize it,
 * and give each setting its default, so a link reproduces a run exactly and the two directions
 * can never drift apart. Pure: no DOM, testable in Node.
 */
import { ACTIVATIONS, type Activation } from "../src/core/activations.js";
import { MASK_POLICIES, type MaskPolicy } from "../src/core/dropout.js";
import { INITIALIZATIONS, type Initialization } from "../src/core/network.js";
import { OPTIMIZERS, type OptimizerName } from "../src/core/optimizers.js";
import { DATASET_NAMES, DATASETS, type DatasetName } from "../src/data/generators.js";
import { describeConfig } from "../src/experiments/describe-config.js";
import { DEFAULT_RUN_CONFIG, type RunConfig } from "../src/training/config.js";
import { DEFAULT_PATIENCE } from "../src/training/early-stopping.js";
import {
  checkSetting,
  SETTINGS as RUN_SETTINGS,
  settingOf as runSettingOf,
  type SettingRow,
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

export interface Settings {
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
  activation: Activation;
  init: Initialization;
  seed: number;
  // Training
  learningRate: number;
  optimizer: OptimizerName;
  batchSize: number;
  lrDecay: number;
  lambda: number;
  keepProb: number[];
  /** Online augmentation of images (digits), live. */
  augment: AugmentKind[];
  dropoutMasks: MaskPolicy;
  /**
   * The engine's settings table (L1, max-norm, noise, label smoothing, weight decay, schedule):
   * the rows set away from off, by row name. One URL parameter, `set=l1:0.01;max-norm:3`.
   */
  table: TableValues;
  iterations: number;
  /** End training at `iterations` (otherwise it goes on until paused). */
  stopAt: boolean;
  costEvery: number;
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

/** A number in [min, max] (or (min, max] with `openMin`); String(v) is the shortest exact form. */
export function num(min: number, max: number, openMin = false): Kind<number> {
  return {
    parse(raw) {
      const v = toNumber(raw);
      if (v === undefined || v > max || v < min || (openMin && v === min)) return undefined;
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
      const row = RUN_SETTINGS.find((r) => r.name === item.slice(0, at));
      if (at < 0 || !row || row.name in out) return undefined;
      const text = item.slice(at + 1);
      const value = row.type === "number" ? toNumber(text) : text;
      if (value === undefined) return undefined;
      try {
        checkSetting(row, value);
      } catch {
        return undefined;
      }
      if (value !== row.off) out[row.name] = value;
    }
    return out;
  },
  format: (v) =>
    RUN_SETTINGS.filter((r) => v[r.name] !== undefined && v[r.name] !== r.off)
      .map((r) => `${r.name}:${v[r.name]}`)
      .join(";"),
};

/** A row's value in the playground's settings (its off value when not set). */
export function tableValue(s: Pick<Settings, "table">, row: SettingRow): number | string {
  return s.table[row.name] ?? row.off;
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
  setting("activation", "act", oneOf(ACTIVATIONS), () => D.activation),
  setting("init", "init", oneOf(INITIALIZATIONS), () => D.init),
  setting("seed", "seed", int(0, 0xffffffff), () => D.seed),
  setting("learningRate", "lr", num(0, 100, true), () => D.learningRate),
  setting("optimizer", "opt", oneOf(OPTIMIZERS), () => D.optimizer.name),
  setting("batchSize", "batch", int(0, 1_000_000), () => D.batchSize),
  setting("lrDecay", "decay", num(0, 100), () => D.learningRateDecay),
  setting("lambda", "lambda", num(0, 1000), () => D.lambda),
  setting("keepProb", "keep", list(num(0, 1, true), MAX_LAYERS), (s) => (s.hidden ?? D.hidden).map(() => 1)),
  setting("dropoutMasks", "masks", oneOf(MASK_POLICIES), () => D.dropoutMasks),
  setting("table", "set", tableValues, (): TableValues => ({})),
  setting("augment", "aug", augmentList, (): AugmentKind[] => []),
  setting("iterations", "iters", int(1, 10_000_000), () => D.iterations),
  setting("stopAt", "stop", bool, () => false),
  setting("costEvery", "every", int(1, 1_000_000), () => 100),
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
  "learningRate",
  "lrDecay",
  "optimizer",
  "lambda",
  "keepProb",
  "dropoutMasks",
  // Every row of the engine's table is live (Trainer.retune takes each).
  "table",
  "augment",
  "iterations",
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

/** The engine's run configuration these settings describe. */
export function runConfigOf(s: Settings): RunConfig {
  const keep =
    s.keepProb.length === 0 ? 1 : s.keepProb.every((p) => p === s.keepProb[0]) ? s.keepProb[0] : s.keepProb;
  let config: Partial<RunConfig> = {
    hidden: [...s.hidden],
    activation: s.activation,
    init: s.init,
    seed: s.seed,
    learningRate: s.learningRate,
    iterations: s.iterations,
    lambda: s.lambda,
    keepProb: Array.isArray(keep) ? [...keep] : keep,
    dropoutMasks: s.dropoutMasks,
    costEvery: s.costEvery,
    optimizer: { name: s.optimizer },
    batchSize: s.batchSize,
    learningRateDecay: s.lrDecay,
    regularizers: [],
    labelSmoothing: 0,
    weightDecay: 0,
    lrSchedule: "none",
  };
  for (const row of RUN_SETTINGS) config = withSetting(config, row, tableValue(s, row));
  return config as RunConfig;
}

/** The table values a run configuration holds (the inverse of runConfigOf's last step). */
export function tableOf(c: RunConfig): TableValues {
  const out: Record<string, number | string> = {};
  for (const row of RUN_SETTINGS) {
    const v = runSettingOf(c, row);
    if (v !== row.off) out[row.name] = v;
  }
  return out;
}

/** The same run as a `reglab train` command line (for built-in data with its default options). */
export function cliArgsOf(s: Settings): string[] {
  const c = runConfigOf(s);
  const args = s.dataset === "file" ? ["--data", s.fileName || "FILE"] : ["--dataset", s.dataset];
  args.push(
    "--layers",
    c.hidden.join(","),
    "--activation",
    c.activation,
    "--init",
    c.init,
    "--seed",
    String(c.seed),
    "--learning-rate",
    String(c.learningRate),
    "--optimizer",
    c.optimizer.name,
    "--batch-size",
    String(c.batchSize),
    "--lr-decay",
    String(c.learningRateDecay),
    "--lambda",
    String(c.lambda),
    "--keep-prob",
    Array.isArray(c.keepProb) ? c.keepProb.join(",") : String(c.keepProb),
    "--dropout-masks",
    c.dropoutMasks,
    "--iterations",
    String(c.iterations),
    "--cost-every",
    String(c.costEvery),
  );
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
