/**
 * The run settings beyond the article's (L1, max-norm, noise, label smoothing, weight decay,
 * schedules) defined once, as data: name, type, range, default, unit, help with its formula,
 * group, and whether a running trainer takes it live or the run restarts. The CLI's flags and
 * their checks, sweep axes, the job schema's types, the config line (describeConfig), the
 * playground's link state and controls and the model file's config all read this table. A row
 * either sets a field of the config or contributes a regularizer spec to `config.regularizers`;
 * a new regularizer is its own file (core/regularizers/), one row here and a test.
 */
import type { RegularizerSpec } from "../core/regularizers.js";
// Registers the worked example's kind (CONTRIBUTING.md): a new penalty's file is imported here.
import "../core/regularizers/orthogonality.js";
import { parseSchedule, SCHEDULE_FORMS } from "../core/schedules.js";

/** The part of a run config the table's rows read and write (config.ts's RunConfig has it). */
export interface TableConfig {
  regularizers?: RegularizerSpec[];
  labelSmoothing?: number;
  weightDecay?: number;
  lrSchedule?: string;
}

export type SettingGroup = "regularization" | "noise" | "optimization";

interface RowBase {
  /** The setting's name: its flag is --name, its URL parameter the same. */
  readonly name: string;
  readonly label: string;
  readonly help: string;
  readonly group: SettingGroup;
  /** A running trainer takes a change (Trainer.retune); false: the run restarts. */
  readonly live: boolean;
  readonly unit?: string;
}

/** A number in a range: 0 (or `off`) leaves it off. */
export interface NumberRow extends RowBase {
  readonly type: "number";
  readonly min: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  /** The value meaning "off" (the default). */
  readonly off: number;
  /** Where it goes: a config field, or a regularizer spec it adds. */
  readonly field?: "labelSmoothing" | "weightDecay";
  readonly spec?: (value: number) => RegularizerSpec;
  /** Reads its value back from a spec the row made (for describe, links, sweeps). */
  readonly kind?: string;
  readonly specValue?: (spec: RegularizerSpec) => number;
  /** Which way is stronger regularization (a sweep's one-standard-error rule prefers it). */
  readonly stronger: "larger" | "smaller";
  /** Playground slider range. */
  readonly slider?: { max: number; step: number };
}

/** A string the row parses (a schedule). */
export interface TextRow extends RowBase {
  readonly type: "text";
  readonly field: "lrSchedule";
  readonly off: string;
  /** Throws a RangeError naming what is wrong. */
  check(value: string): void;
}

export type SettingRow = NumberRow | TextRow;

export const SETTINGS: readonly SettingRow[] = [
  {
    name: "l1",
    label: "L1 λ₁",
    type: "number",
    min: 0,
    off: 0,
    group: "regularization",
    live: true,
    help: "L1 strength λ₁: cost + λ₁/m·Σ|w|, gradient + λ₁/m·sign(w); weights pushed across 0 stop at 0 (Keras l1 = λ₁/m). With --lambda: elastic net",
    spec: (lambda) => ({ kind: "l1", lambda }),
    kind: "l1",
    specValue: (s) => s.lambda as number,
    stronger: "larger",
    slider: { max: 1, step: 0.001 },
  },
  {
    name: "max-norm",
    label: "max-norm c",
    type: "number",
    min: 0,
    minExclusive: false,
    off: 0,
    group: "regularization",
    live: true,
    help: "max-norm c: after each update every unit's incoming weights w ← w·min(1, c/‖w‖) (Keras MaxNorm(c)); 0 = off",
    spec: (c) => ({ kind: "max-norm", c }),
    kind: "max-norm",
    specValue: (s) => s.c as number,
    stronger: "smaller",
    slider: { max: 5, step: 0.1 },
  },
  {
    name: "gaussian-noise",
    label: "Gaussian noise σ",
    type: "number",
    min: 0,
    off: 0,
    group: "noise",
    live: true,
    help: "Gaussian noise σ on the inputs while training: x ← x + σ·ε, ε ~ N(0, 1) (Keras GaussianNoise(σ))",
    spec: (sigma) => ({ kind: "gaussian-noise", sigma }),
    kind: "gaussian-noise",
    specValue: (s) => s.sigma as number,
    stronger: "larger",
    slider: { max: 1, step: 0.01 },
  },
  {
    name: "gaussian-dropout",
    label: "Gaussian dropout p",
    type: "number",
    min: 0,
    max: 1,
    maxExclusive: true,
    off: 0,
    group: "noise",
    live: true,
    help: "Gaussian dropout rate p: hidden a ← a·(1 + √(p/(1−p))·ε) while training (Keras GaussianDropout(p))",
    spec: (rate) => ({ kind: "gaussian-dropout", rate }),
    kind: "gaussian-dropout",
    specValue: (s) => s.rate as number,
    stronger: "larger",
    slider: { max: 0.9, step: 0.01 },
  },
  {
    name: "orthogonality",
    label: "orthogonality λ",
    type: "number",
    min: 0,
    off: 0,
    group: "regularization",
    live: true,
    help: "soft orthogonality λ: cost + λ/(4m)·Σ‖W Wᵀ − I‖², gradient + λ/m·(W Wᵀ − I)·W",
    spec: (lambda) => ({ kind: "orthogonality", lambda }),
    kind: "orthogonality",
    specValue: (s) => s.lambda as number,
    stronger: "larger",
  },
  {
    name: "label-smoothing",
    label: "label smoothing ε",
    type: "number",
    min: 0,
    max: 1,
    maxExclusive: true,
    off: 0,
    field: "labelSmoothing",
    group: "regularization",
    live: true,
    help: "label smoothing ε: targets y·(1−ε) + ε/K (K = 2 for a sigmoid), as Keras's cross-entropies",
    stronger: "larger",
    slider: { max: 0.5, step: 0.01 },
  },
  {
    name: "weight-decay",
    label: "weight decay",
    type: "number",
    min: 0,
    off: 0,
    field: "weightDecay",
    group: "optimization",
    live: true,
    help: "decoupled weight decay wd: w ← w − α·wd·w beside the optimizer's step (AdamW with --optimizer adam; with gd the same as λ = wd·m)",
    stronger: "larger",
  },
  {
    name: "lr-schedule",
    label: "schedule",
    type: "text",
    off: "none",
    field: "lrSchedule",
    group: "optimization",
    live: true,
    help: `learning-rate schedule: ${SCHEDULE_FORMS} (α·FACTOR^⌊t/EVERY⌋, α·RATE^t, cosine decay after a linear warmup; as Keras's)`,
    check: (v) => {
      parseSchedule(v);
    },
  },
];

export function settingRow(name: string): SettingRow | undefined {
  return SETTINGS.find((r) => r.name === name);
}

/** A number row's range in words, e.g. "a number in [0, 1)". */
export function rangeText(r: NumberRow): string {
  const lo = `${r.minExclusive ? "(" : "["}${r.min}`;
  const hi = r.max === undefined ? "∞)" : `${r.max}${r.maxExclusive ? ")" : "]"}`;
  return `a number in ${lo}, ${hi}`;
}

/** Checks a row's value; throws a RangeError naming the setting and its range. */
export function checkSetting(r: SettingRow, value: unknown): void {
  if (r.type === "text") {
    if (typeof value !== "string")
      throw new RangeError(`${r.name} must be a string, got ${JSON.stringify(value)}`);
    r.check(value);
    return;
  }
  const v = value as number;
  const ok =
    typeof v === "number" &&
    Number.isFinite(v) &&
    (r.minExclusive ? v > r.min : v >= r.min) &&
    (r.max === undefined || (r.maxExclusive ? v < r.max : v <= r.max));
  if (!ok) throw new RangeError(`${r.name} must be ${rangeText(r)}, got ${JSON.stringify(value)}`);
}

/** The row's value in a config (its off value when absent). */
export function settingOf(c: TableConfig, r: SettingRow): number | string {
  if (r.type === "text") return c[r.field] ?? r.off;
  if (r.field) return c[r.field] ?? r.off;
  const spec = (c.regularizers ?? []).find((s) => s.kind === r.kind);
  return spec && r.specValue ? r.specValue(spec) : r.off;
}

/**
 * The config with the row set to `value`: a field, or its spec replacing any spec of the same
 * kind (none at its off value).
 */
export function withSetting<C extends TableConfig>(c: C, r: SettingRow, value: number | string): C {
  checkSetting(r, value);
  if (r.type === "text") return { ...c, [r.field]: value as string };
  if (r.field) return { ...c, [r.field]: value as number };
  const rest = (c.regularizers ?? []).filter((s) => s.kind !== r.kind);
  return { ...c, regularizers: value === r.off ? rest : [...rest, r.spec!(value as number)] };
}

/** The rows set away from their off value in a config, with their values. */
export function activeSettings(c: TableConfig): { row: SettingRow; value: number | string }[] {
  return SETTINGS.map((row) => ({ row, value: settingOf(c, row) })).filter(
    ({ row, value }) => value !== row.off,
  );
}
