/**
 * Hyper-parameter sweeps done honestly: every configuration (λ × keepProb) is trained on each
 * cross-validation fold with each initial seed; validation curves are the mean and spread over
 * those runs; the winner is chosen on the dev folds only, then retrained once on all the training
 * data and scored once on the test set. The test set takes no part in the choice.
 */
import type { LayerSpec } from "../core/layers/spec.js";
import type { DataBundle } from "../data/dataset.js";
import { type RunConfig, resolveRunConfig } from "../training/config.js";
import { EXTRA_SETTINGS, type NumberRow, withSetting } from "../training/settings.js";
import {
  type DataRef,
  divergenceOf,
  type FitJob,
  type FitJobResult,
  inProcessRunner,
  type JobRunner,
} from "./jobs.js";
import { mean, std } from "./stats.js";

export interface SweepSpec {
  /** Everything but the swept values (architecture, α, iterations, mask policy, …). */
  base: Partial<RunConfig>;
  /** L2 strengths to try; default [base.lambda ?? 0]. */
  lambdas?: readonly number[];
  /**
   * Keep probabilities to try: a number for all hidden layers, or one per hidden layer (the article's
   * advice: a lower keepProb for a wide layer, 1 for a layer that will not overfit); default
   * [base.keepProb ?? 1].
   */
  keepProbs?: readonly (number | readonly number[])[];
  /**
   * A third axis: one row of the settings table (training/settings.ts) and its values to try,
   * e.g. `{ name: "l1", values: [0, 0.001, 0.01] }`.
   */
  setting?: SweepAxis;
  /** Cross-validation folds (stratified); default 5. */
  folds?: number;
  /** Initial seeds (weights, masks, batches) of the runs; default [base.seed ?? 3]. */
  seeds?: readonly number[];
  /** Seed of the fold assignment; the same folds serve every configuration and seed. Default 0. */
  splitSeed?: number;
  /** How the winner is chosen from the dev scores; default "best". */
  rule?: SelectionRule;
  /**
   * Hidden layers of a layered (convolutional) network, every run's; base.hidden holds its dense
   * sizes (keepProb acts after them). Unset: the dense network of base.hidden.
   */
  layers?: readonly LayerSpec[];
}

/**
 * `best`: the highest mean dev accuracy. `1se`: the one-standard-error rule (Breiman et al.;
 * Hastie, Tibshirani & Friedman §7.10) — the most regularized configuration (largest λ, then
 * smallest keepProb) whose mean dev accuracy is within one standard error of the best mean,
 * the standard error being the best configuration's sd / √runs. Differences smaller than the
 * folds' own noise then do not buy a less regularized model.
 */
export type SelectionRule = "best" | "1se";
export const SELECTION_RULES: readonly SelectionRule[] = ["best", "1se"];

/** One keepProb setting of a sweep: for all hidden layers, or per hidden layer. */
export type KeepProb = number | number[];

/** "0.86", "0.7:1" (layer by layer, as `--keep-prob` takes it). */
export function keepProbText(k: number | readonly number[]): string {
  return typeof k === "number" ? String(k) : k.join(":");
}

/**
 * The mean keep probability over the layers: smaller is more regularized (the order the
 * tie-breaks and the one-standard-error rule use).
 */
export function meanKeep(k: number | readonly number[]): number {
  return typeof k === "number" ? k : k.reduce((s, v) => s + v, 0) / k.length;
}

/** A settings-table row swept over values. */
export interface SweepAxis {
  name: string;
  values: readonly number[];
}

export interface ResolvedSweepSpec {
  base: RunConfig;
  lambdas: number[];
  keepProbs: KeepProb[];
  setting?: { name: string; values: number[] };
  folds: number;
  seeds: number[];
  splitSeed: number;
  rule: SelectionRule;
  layers?: readonly LayerSpec[];
}

/** One point of the grid. */
export interface SweepConfig {
  index: number;
  lambda: number;
  keepProb: KeepProb;
  /** The swept setting's value (with a third axis). */
  setting?: number;
}

/** The run configuration of one grid point and seed. */
export function pointConfig(spec: ResolvedSweepSpec, c: SweepConfig, seed: number): RunConfig {
  const config: RunConfig = { ...spec.base, lambda: c.lambda, keepProb: c.keepProb, seed };
  if (!spec.setting || c.setting === undefined) return config;
  return withSetting(config, axisRow(spec.setting.name), c.setting);
}

/** The settings row a sweep axis names: a number row beyond λ and keepProb (which have their own axes). */
export function axisRow(name: string): NumberRow {
  const row = EXTRA_SETTINGS.find((r) => r.name === name);
  if (row?.type !== "number") throw new SweepError(`no setting '${name}' to sweep over`);
  return row;
}

/** Mean, sample standard deviation, min and max over runs. */
export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
  n: number;
}

export interface SweepPoint extends SweepConfig {
  trainAccuracy: Spread;
  devAccuracy: Spread;
  /** Cross-entropy without the L2 term, on the fold's training part. */
  trainCost: Spread;
  devCost: Spread;
  /** Training-loop seconds summed over the runs. */
  seconds: number;
  /**
   * Set when runs of this configuration diverged: how many, and the first one's message. Such a
   * configuration is reported, never scored (its spreads are NaN) and never chosen.
   */
  diverged?: { runs: number; message: string };
}

export interface SweepResult {
  spec: ResolvedSweepSpec;
  points: SweepPoint[];
  /** Index into `points` of the configuration chosen on validation. */
  winner: number;
  /** Why it won (best mean dev accuracy, or which tie-break decided). */
  reason: string;
  /** The winner retrained on all the training data (first seed) and scored on train and test. */
  final: FitJobResult;
  /** Examples in the training set (each is a dev example exactly once per seed). */
  trainExamples: number;
}

export class SweepError extends RangeError {
  override name = "SweepError";
}

function list(name: string, values: readonly number[], ok: (v: number) => boolean, what: string): number[] {
  if (values.length === 0) throw new SweepError(`${name}: give at least one value`);
  for (const v of values) if (!ok(v)) throw new SweepError(`${name}: every value must be ${what}, got ${v}`);
  const unique = [...new Set(values)];
  if (unique.length !== values.length) throw new SweepError(`${name}: a value is listed twice`);
  return unique;
}

function keepList(values: readonly (number | readonly number[])[]): KeepProb[] {
  if (values.length === 0) throw new SweepError("keepProb: give at least one value");
  for (const k of values) {
    for (const v of typeof k === "number" ? [k] : k) {
      if (!(v > 0 && v <= 1)) throw new SweepError(`keepProb: every value must be in (0, 1], got ${v}`);
    }
  }
  const texts = values.map(keepProbText);
  if (new Set(texts).size !== texts.length) throw new SweepError("keepProb: a value is listed twice");
  return values.map((k) => (typeof k === "number" ? k : [...k]));
}

export function resolveSweepSpec(spec: SweepSpec): ResolvedSweepSpec {
  const base = resolveRunConfig(spec.base);
  const lambdas = list("lambda", spec.lambdas ?? [base.lambda], (v) => v >= 0 && Number.isFinite(v), "≥ 0");
  const keepProbs = keepList(spec.keepProbs ?? [base.keepProb]);
  const folds = spec.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2)
    throw new SweepError(`folds must be a whole number ≥ 2, got ${folds}`);
  const seeds = list(
    "seeds",
    spec.seeds ?? [base.seed],
    (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32,
    "a whole number in [0, 2^32)",
  );
  const splitSeed = spec.splitSeed ?? 0;
  if (!Number.isInteger(splitSeed) || splitSeed < 0 || splitSeed >= 2 ** 32) {
    throw new SweepError(`split seed must be a whole number in [0, 2^32), got ${splitSeed}`);
  }
  const rule = spec.rule ?? "best";
  if (!SELECTION_RULES.includes(rule)) {
    throw new SweepError(`unknown selection rule '${rule}' (use ${SELECTION_RULES.join(" or ")})`);
  }
  let setting: ResolvedSweepSpec["setting"];
  if (spec.setting) {
    const row = axisRow(spec.setting.name);
    const values = list(spec.setting.name, spec.setting.values, () => true, "");
    for (const v of values) {
      try {
        withSetting(base, row, v);
      } catch (e) {
        throw new SweepError((e as Error).message);
      }
    }
    setting = { name: row.name, values };
  }
  const resolved: ResolvedSweepSpec = {
    base,
    lambdas,
    keepProbs,
    ...(setting && { setting }),
    folds,
    seeds,
    splitSeed,
    rule,
    ...(spec.layers && { layers: spec.layers }),
  };
  // Every configuration must be valid before any work starts.
  for (const c of sweepConfigs(resolved)) resolveRunConfig(pointConfig(resolved, c, base.seed));
  return resolved;
}

/** The grid, λ varying fastest, then keepProb, then the setting axis. */
export function sweepConfigs(spec: ResolvedSweepSpec): SweepConfig[] {
  const out: SweepConfig[] = [];
  for (const setting of spec.setting?.values ?? [undefined]) {
    for (const keepProb of spec.keepProbs) {
      for (const lambda of spec.lambdas)
        out.push({ index: out.length, lambda, keepProb, ...(setting !== undefined && { setting }) });
    }
  }
  return out;
}

/** How much more the setting axis regularizes a than b (> 0: a is stronger), by the row's direction. */
function settingOrder(
  spec: Pick<ResolvedSweepSpec, "setting"> | undefined,
  a: SweepConfig,
  b: SweepConfig,
): number {
  if (!spec?.setting || a.setting === undefined || b.setting === undefined) return 0;
  const d = a.setting - b.setting;
  // 0 is "off" for every row (max-norm's c = 0 too), the weakest.
  if (axisRow(spec.setting.name).stronger === "smaller" && a.setting !== 0 && b.setting !== 0) return -d;
  return a.setting === 0 ? -1 : b.setting === 0 ? 1 : d;
}

/** One job per configuration × fold × seed; job id = (config·folds + fold)·seeds + seed index. */
export function sweepJobs(spec: ResolvedSweepSpec): FitJob[] {
  const jobs: FitJob[] = [];
  for (const c of sweepConfigs(spec)) {
    for (let fold = 0; fold < spec.folds; fold++) {
      const ref = (part: "train" | "dev"): DataRef => ({
        set: "fold",
        k: spec.folds,
        fold,
        splitSeed: spec.splitSeed,
        part,
      });
      for (const seed of spec.seeds) {
        jobs.push({
          id: jobs.length,
          config: pointConfig(spec, c, seed),
          ...(spec.layers && { layers: spec.layers }),
          train: ref("train"),
          score: { train: ref("train"), dev: ref("dev") },
        });
      }
    }
  }
  return jobs;
}

export function spread(values: readonly number[]): Spread {
  return {
    mean: mean(values),
    sd: values.length > 1 ? std(values) : 0,
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/** Validation curves: each configuration's mean and spread over its folds × seeds. */
export function aggregateSweep(spec: ResolvedSweepSpec, results: readonly FitJobResult[]): SweepPoint[] {
  const perConfig = spec.folds * spec.seeds.length;
  const byId = new Map(results.map((r) => [r.id, r]));
  return sweepConfigs(spec).map((c) => {
    const runs: FitJobResult[] = [];
    for (let k = 0; k < perConfig; k++) {
      const r = byId.get(c.index * perConfig + k);
      if (!r) throw new SweepError(`missing the result of run ${c.index * perConfig + k}`);
      runs.push(r);
    }
    const failed = runs.filter((r) => r.diverged);
    if (failed.length > 0) {
      const none = spread([Number.NaN]);
      return {
        ...c,
        trainAccuracy: none,
        devAccuracy: none,
        trainCost: none,
        devCost: none,
        seconds: runs.reduce((s, r) => s + r.seconds, 0),
        diverged: { runs: failed.length, message: divergenceOf(failed[0])?.message ?? "diverged" },
      };
    }
    const pick = (set: string, what: "accuracy" | "cost") => spread(runs.map((r) => r.scores[set][what]));
    return {
      ...c,
      trainAccuracy: pick("train", "accuracy"),
      devAccuracy: pick("dev", "accuracy"),
      trainCost: pick("train", "cost"),
      devCost: pick("dev", "cost"),
      seconds: runs.reduce((s, r) => s + r.seconds, 0),
    };
  });
}

/** Accuracies this close are a tie (fold means of different configurations can coincide exactly). */
const TIE = 1e-9;

/**
 * The configuration with the highest mean dev accuracy. Ties go to the lower mean dev cost (the
 * better calibrated model), then to the simpler model: larger λ, then smaller keepProb. Under
 * the `1se` rule, that configuration sets the bar one standard error below its mean, and the
 * most regularized configuration clearing it wins (see SelectionRule).
 */
export function chooseWinner(
  points: readonly SweepPoint[],
  rule: SelectionRule = "best",
  spec?: Pick<ResolvedSweepSpec, "setting">,
): { winner: number; reason: string } {
  if (points.length === 0) throw new SweepError("no configurations to choose from");
  const scored = points.filter((p) => !p.diverged);
  if (scored.length === 0)
    throw new SweepError(`every configuration diverged; the first: ${points[0].diverged?.message}`);
  if (scored.length < points.length) return chooseWinner(scored, rule, spec);
  const top = Math.max(...points.map((p) => p.devAccuracy.mean));
  const tied = points.filter((p) => Math.abs(p.devAccuracy.mean - top) <= TIE);
  // Re-rank within the tie without the accuracy term, so 1e-12 differences do not decide.
  const best = [...tied].sort(
    (a, b) =>
      a.devCost.mean - b.devCost.mean ||
      b.lambda - a.lambda ||
      meanKeep(a.keepProb) - meanKeep(b.keepProb) ||
      settingOrder(spec, b, a),
  )[0];
  if (rule === "1se") return oneStandardError(points, best, spec);
  const reason =
    tied.length === 1
      ? "highest mean dev accuracy"
      : `${tied.length} configurations tie on mean dev accuracy; the lowest mean dev cost decides`;
  return { winner: best.index, reason };
}

function oneStandardError(
  points: readonly SweepPoint[],
  best: SweepPoint,
  spec?: Pick<ResolvedSweepSpec, "setting">,
): { winner: number; reason: string } {
  const { mean: top, sd, n } = best.devAccuracy;
  const se = sd / Math.sqrt(n);
  const within = points.filter((p) => p.devAccuracy.mean >= top - se - TIE);
  const simplest = [...within].sort(
    (a, b) =>
      b.lambda - a.lambda ||
      meanKeep(a.keepProb) - meanKeep(b.keepProb) ||
      settingOrder(spec, b, a) ||
      b.devAccuracy.mean - a.devAccuracy.mean,
  )[0];
  const points1 = (v: number) => `${(100 * v).toFixed(1)} points`;
  const bar = `within one standard error (${points1(se)}) of the best mean dev accuracy`;
  const reason =
    simplest === best
      ? `one-standard-error rule: no more regularized configuration is ${bar}`
      : `one-standard-error rule: the most regularized configuration ${bar}, ` +
        `${(100 * top).toFixed(1)}% at λ = ${best.lambda}${meanKeep(best.keepProb) < 1 ? `, keepProb = ${keepProbText(best.keepProb)}` : ""}`;
  return { winner: simplest.index, reason };
}

/** The winner trained on all the training data with the first seed, scored on train and test. */
export function finalJob(spec: ResolvedSweepSpec, point: SweepConfig, hasTest: boolean, id = -1): FitJob {
  return {
    id,
    config: pointConfig(spec, point, spec.seeds[0]),
    ...(spec.layers && { layers: spec.layers }),
    train: { set: "train" },
    score: hasTest ? { train: { set: "train" }, test: { set: "test" } } : { train: { set: "train" } },
  };
}

/**
 * Runs the sweep with `runner` (in this thread by default; the CLI passes a worker pool) and
 * reports each finished run through `onResult`.
 */
export async function runSweep(
  bundle: DataBundle,
  spec: SweepSpec,
  options: {
    runner?: JobRunner;
    onResult?: (result: FitJobResult, done: number, total: number) => void;
  } = {},
): Promise<SweepResult> {
  const resolved = resolveSweepSpec(spec);
  const runner = options.runner ?? inProcessRunner(bundle);
  const jobs = sweepJobs(resolved);
  const total = jobs.length + 1;
  const results = await runner(jobs, (r, done) => options.onResult?.(r, done, total));
  const points = aggregateSweep(resolved, results);
  const { winner, reason } = chooseWinner(points, resolved.rule, resolved);
  const [final] = await runner(
    [finalJob(resolved, points[winner], bundle.test !== undefined, jobs.length)],
    (r) => options.onResult?.(r, total, total),
  );
  const failed = divergenceOf(final);
  if (failed) throw failed;
  return { spec: resolved, points, winner, reason, final, trainExamples: bundle.train.X.cols };
}
