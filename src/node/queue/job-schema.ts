/**
 * What a queued job may hold, checked as strictly as the CLI checks its flags: a job is data
 * (which dataset, which configuration, which examples), never code, and a worker refuses anything
 * it does not fully understand — an unknown key, a string where a number belongs, a fold outside
 * its split — with a message that names the field.
 */
import { readFileSync } from "node:fs";
import { checkLayerSpec } from "../../core/layers/spec.js";
import { type Augmentation, checkAugmentation } from "../../data/augment/augmentation.js";
import type { DataRef, FitJob } from "../../experiments/jobs.js";
import { DEFAULT_RUN_CONFIG, resolveRunConfig } from "../../training/config.js";
import { resolveEarlyStopping } from "../../training/early-stopping.js";
import { SETTINGS, type SettingRow } from "../../training/settings.js";

/** A job that a worker must not run. */
export class JobValidationError extends Error {
  override name = "JobValidationError";
}

/** The version of reglab that made or runs a job: results are only bit-identical within one. */
export const REGLAB_VERSION: string = JSON.parse(
  readFileSync(new URL("../../../package.json", import.meta.url), "utf8"),
).version;

/** A fit job as it travels: the engine's FitJob without its position, and the dataset's hash. */
export interface QueuedFit {
  reglab: string;
  data: string;
  job: Omit<FitJob, "id">;
}

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const fail = (path: string, what: string, v: unknown): never => {
  const shown = JSON.stringify(v);
  throw new JobValidationError(`${path} must be ${what}, got ${shown === undefined ? String(v) : shown}`);
};

function keys(path: string, v: unknown, allowed: readonly string[], required: readonly string[] = []): Obj {
  if (!isObject(v)) fail(path, "an object", v);
  const o = v as Obj;
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new JobValidationError(`${path} has an unknown field '${k}'`);
  }
  for (const k of required) if (!(k in o)) throw new JobValidationError(`${path}.${k} is missing`);
  return o;
}

const wholeIn = (path: string, v: unknown, lo: number, hi: number) => {
  if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi)
    fail(path, `a whole number in [${lo}, ${hi}]`, v);
};

function dataRef(path: string, v: unknown): void {
  const set = isObject(v) ? v.set : undefined;
  switch (set) {
    case "train":
    case "test":
    case "dev":
      keys(path, v, ["set"]);
      return;
    case "fold": {
      const o = keys(path, v, ["set", "k", "fold", "splitSeed", "part"], ["k", "fold", "splitSeed", "part"]);
      wholeIn(`${path}.k`, o.k, 2, 1_000_000);
      wholeIn(`${path}.fold`, o.fold, 0, (o.k as number) - 1);
      wholeIn(`${path}.splitSeed`, o.splitSeed, 0, 2 ** 32 - 1);
      if (o.part !== "train" && o.part !== "dev") fail(`${path}.part`, "'train' or 'dev'", o.part);
      return;
    }
    case "split": {
      const o = keys(path, v, ["set", "fraction", "splitSeed", "part"], ["fraction", "splitSeed", "part"]);
      const f = o.fraction;
      if (typeof f !== "number" || !(f > 0 && f < 1)) fail(`${path}.fraction`, "a number in (0, 1)", f);
      wholeIn(`${path}.splitSeed`, o.splitSeed, 0, 2 ** 32 - 1);
      if (o.part !== "train" && o.part !== "dev") fail(`${path}.part`, "'train' or 'dev'", o.part);
      return;
    }
    default:
      fail(`${path}.set`, "'train', 'test', 'dev', 'fold' or 'split'", set);
  }
}

// The config fields the settings table's rows set, by the type they hold (spec rows travel in
// `regularizers`, the optimizer as `{ name, … }`, keepProb as one number or one per hidden layer).
const rowFields = (holds: (r: SettingRow) => boolean) =>
  SETTINGS.flatMap((r) => (holds(r) && (r.type !== "number" || r.field) ? [r.field as string] : []));
const NUMBER_FIELDS = rowFields((r) => r.type === "number" && !r.perLayer);
const LIST_FIELDS = rowFields((r) => r.type === "number" && r.perLayer === true);
const STRING_FIELDS = rowFields((r) => r.type === "text" || (r.type === "choice" && !r.wrap));
const NAMED_FIELDS = rowFields((r) => r.type === "choice" && r.wrap === "name");
const OPTIMIZER_NUMBERS = ["beta", "beta1", "beta2", "epsilon"];

function config(path: string, v: unknown): void {
  const o = keys(path, v, Object.keys(DEFAULT_RUN_CONFIG));
  for (const k of NUMBER_FIELDS)
    if (k in o && typeof o[k] !== "number") fail(`${path}.${k}`, "a number", o[k]);
  for (const k of STRING_FIELDS)
    if (k in o && typeof o[k] !== "string") fail(`${path}.${k}`, "a string", o[k]);
  if ("hidden" in o && (!Array.isArray(o.hidden) || o.hidden.length > 64)) {
    fail(`${path}.hidden`, "a list of at most 64 layer sizes", o.hidden);
  }
  for (const k of LIST_FIELDS) {
    const v = o[k];
    const ok = typeof v === "number" || (Array.isArray(v) && v.every((x) => typeof x === "number"));
    if (k in o && !ok) fail(`${path}.${k}`, "a number or a list of numbers", v);
  }
  // Each spec is checked against its kind's fields by resolveRunConfig below.
  if ("regularizers" in o && (!Array.isArray(o.regularizers) || o.regularizers.length > 32)) {
    fail(`${path}.regularizers`, "a list of at most 32 regularizer specs", o.regularizers);
  }
  for (const k of NAMED_FIELDS) {
    if (!(k in o)) continue;
    const named = keys(`${path}.${k}`, o[k], ["name", ...OPTIMIZER_NUMBERS], ["name"]);
    if (typeof named.name !== "string") fail(`${path}.${k}.name`, "a string", named.name);
    for (const n of OPTIMIZER_NUMBERS) {
      if (n in named && (typeof named[n] !== "number" || !Number.isFinite(named[n]))) {
        fail(`${path}.${k}.${n}`, "a finite number", named[n]);
      }
    }
  }
  try {
    resolveRunConfig(o);
  } catch (e) {
    throw new JobValidationError(`${path}: ${(e as Error).message}`);
  }
}

function earlyStopping(path: string, v: unknown): void {
  const o = keys(
    path,
    v,
    ["monitor", "mode", "patience", "minDelta", "startFrom", "restoreBest", "evaluateEvery", "dev"],
    ["dev"],
  );
  for (const k of ["patience", "minDelta", "startFrom", "evaluateEvery"]) {
    if (k in o && typeof o[k] !== "number") fail(`${path}.${k}`, "a number", o[k]);
  }
  if ("restoreBest" in o && typeof o.restoreBest !== "boolean")
    fail(`${path}.restoreBest`, "true or false", o.restoreBest);
  dataRef(`${path}.dev`, o.dev);
  const { dev: _, ...settings } = o;
  try {
    resolveEarlyStopping(settings);
  } catch (e) {
    throw new JobValidationError(`${path}: ${(e as Error).message}`);
  }
}

/** An augmentation: a spec the worker can parse, a mode, and copies only in expand mode. */
function augment(path: string, v: unknown): void {
  const o = keys(path, v, ["spec", "mode", "copies"], ["spec", "mode"]);
  if (typeof o.spec !== "string" || o.spec.length > 500) fail(`${path}.spec`, "a spec string", o.spec);
  if (typeof o.mode !== "string") fail(`${path}.mode`, "'online' or 'expand'", o.mode);
  if ("copies" in o && typeof o.copies !== "number") fail(`${path}.copies`, "a number", o.copies);
  try {
    checkAugmentation(o as unknown as Augmentation);
  } catch (e) {
    throw new JobValidationError(`${path}: ${(e as Error).message}`);
  }
}

/** Each layer kind's fields (besides `type`): anything else is refused, as an unknown config key is. */
const LAYER_FIELDS: Record<string, readonly string[]> = {
  conv: ["filters", "size", "stride", "padding"],
  maxpool: ["size", "stride"],
  avgpool: ["size", "stride"],
  flatten: [],
  dense: ["units"],
  dropout: ["keepProb"],
  "spatial-dropout": ["keepProb"],
};
const REQUIRED_LAYER_FIELDS: Record<string, readonly string[]> = {
  conv: ["filters", "size"],
  maxpool: ["size"],
  avgpool: ["size"],
  dense: ["units"],
  dropout: ["keepProb"],
  "spatial-dropout": ["keepProb"],
};

/** The hidden layers of a layered network: the library's typed specs, each checked by its kind's fields. */
function layers(path: string, v: unknown): void {
  if (!Array.isArray(v) || v.length === 0 || v.length > 64) fail(path, "a list of 1 to 64 layer specs", v);
  (v as unknown[]).forEach((spec, i) => {
    const at = `${path}[${i}]`;
    const type = isObject(spec) ? spec.type : undefined;
    if (typeof type !== "string" || !(type in LAYER_FIELDS))
      fail(`${at}.type`, `one of ${Object.keys(LAYER_FIELDS).join(", ")}`, type);
    const o = keys(
      at,
      spec,
      ["type", ...LAYER_FIELDS[type as string]],
      REQUIRED_LAYER_FIELDS[type as string],
    );
    try {
      checkLayerSpec(o);
    } catch (e) {
      // "conv layer: filters must be …" → "job.layers[0].filters must be …"
      const m = /^[\w-]+ layer: (\w+) (.*)$/.exec((e as Error).message);
      throw new JobValidationError(m ? `${at}.${m[1]} ${m[2]}` : `${at}: ${(e as Error).message}`);
    }
  });
}

const SCORE_NAME = /^[A-Za-z][\w-]{0,31}$/;

/** Checks a job's payload; returns it typed, or throws a JobValidationError naming the field. */
export function validateQueuedFit(v: unknown): QueuedFit {
  const top = keys("job data", v, ["reglab", "data", "job"], ["reglab", "data", "job"]);
  if (typeof top.reglab !== "string") fail("reglab", "a version string", top.reglab);
  if (typeof top.data !== "string" || !/^[0-9a-f]{64}$/.test(top.data))
    fail("data", "a SHA-256 in hex", top.data);
  const job = keys(
    "job",
    top.job,
    ["config", "layers", "train", "earlyStopping", "augment", "score", "correct", "curve"],
    ["config", "train", "score"],
  );
  config("job.config", job.config);
  if ("layers" in job) layers("job.layers", job.layers);
  dataRef("job.train", job.train as DataRef);
  if ("earlyStopping" in job) earlyStopping("job.earlyStopping", job.earlyStopping);
  if ("augment" in job) augment("job.augment", job.augment);
  if (!isObject(job.score) || Object.keys(job.score).length === 0 || Object.keys(job.score).length > 16) {
    fail("job.score", "an object of 1 to 16 named data references", job.score);
  }
  for (const [name, ref] of Object.entries(job.score as Obj)) {
    if (!SCORE_NAME.test(name)) fail("a job.score name", "a short identifier", name);
    dataRef(`job.score.${name}`, ref);
  }
  if ("curve" in job) {
    const c = keys("job.curve", job.curve, ["set", "every"], ["set", "every"]);
    dataRef("job.curve.set", c.set as DataRef);
    if (typeof c.every !== "number" || !Number.isInteger(c.every) || c.every < 1)
      fail("job.curve.every", "a whole number ≥ 1", c.every);
  }
  if ("correct" in job) {
    const c = job.correct;
    const names = Object.keys(job.score as Obj);
    if (!Array.isArray(c) || c.some((x) => !names.includes(x)) || new Set(c).size !== c.length) {
      fail("job.correct", "a list of distinct names from job.score", c);
    }
  }
  return top as unknown as QueuedFit;
}
