/**
 * `compare --cv K --repeats R`: the models scored by repeated stratified cross-validation over all
 * labelled examples (train and test pooled; digits: the training subset), reported as
 * cross-validation, never as a test score. `--cnn` takes the convolutional sets.
 */
import {
  type CnnModelSet,
  type CvModel,
  cnnSetFor,
  crossValidate,
  crossValidationLines,
  type DataBundle,
  DIGITS_SOURCE,
  modelSetFor,
  poolLabelled,
  resolveRunConfig,
} from "../index.js";
import { defaultThreadCount, nodeHelperSpawner } from "../node/index.js";
import { RunSeries, runOptions } from "./progress.js";
import { type Io, UsageError } from "./runtime.js";

export interface CvCommandOptions {
  cv?: number;
  repeats: number;
  cnn?: boolean;
  models?: string[];
  iterations?: number;
  json?: boolean;
  quiet?: boolean;
  threads?: number;
  data?: string;
  dataset?: string;
  report?: string;
  seeds?: number;
  queue?: string;
}

/** The convolutional model set for `--cnn`, or a usage error on data that are not images. */
export function cnnSetOf(bundle: DataBundle): CnnModelSet {
  const set = cnnSetFor(bundle);
  if (set === null) throw new UsageError("--cnn needs images (e.g. --dataset digits or the cat .h5 files)");
  return set;
}

export async function compareCrossValidated(
  io: Io,
  bundle: DataBundle,
  o: CvCommandOptions & { cv: number },
): Promise<void> {
  if (o.cv < 2) throw new UsageError(`--cv: need at least 2 folds, got ${o.cv}`);
  // Cross-validation has its own repeats and runs here: these belong to the test-set comparison.
  for (const [flag, set] of [
    ["--report", o.report !== undefined],
    ["--seeds", (o.seeds ?? 1) > 1],
    ["--queue", o.queue !== undefined],
  ] as const) {
    if (set) throw new UsageError(`${flag} is not available with --cv (use --repeats for more runs)`);
  }
  const set = o.cnn ? cnnSetOf(bundle) : modelSetFor(bundle);
  let models: readonly CvModel[] = set.models;
  if (o.models) {
    const known = set.models.map((m) => m.key);
    const bad = o.models.find((k) => !known.includes(k));
    if (bad !== undefined)
      throw new UsageError(`--models: no model '${bad}' here (choose from ${known.join(", ")})`);
    models = set.models.filter((m) => o.models!.includes(m.key));
  }
  const digits = !o.data && o.dataset === DIGITS_SOURCE;
  // Digits: the training subset only (the 10 000 test digits stay a test set); else train and test pooled.
  const data = digits ? bundle.train : poolLabelled(bundle);
  const base = { ...set.base, ...(o.iterations ? { iterations: o.iterations } : {}) };
  // Every fold of every repeat of every model trains here: "run k of N" and one ETA for them all.
  const runs = o.cv * o.repeats * models.length;
  const series = new RunSeries(
    io,
    Array.from({ length: runs }, () => resolveRunConfig(base).iterations),
    "run",
    "compare",
    o.quiet,
  );
  let run = -1;
  const r = await crossValidate(data, {
    folds: o.cv,
    repeats: o.repeats,
    models,
    base,
    onFold: (a) => {
      if (!o.quiet)
        io.err(`fold ${a.fold} of ${a.folds}, repeat ${a.repeat} of ${a.repeats}: ${a.model.name}\n`);
    },
    trainOptions: (m) => ({
      ...runOptions(io, m.name, o.quiet, 0.5, {
        series,
        index: ++run,
        place: `run ${run + 1} of ${runs}`,
      }),
      threads: o.threads ?? defaultThreadCount(),
      spawnHelper: nodeHelperSpawner,
    }),
  }).catch((e) => {
    if (e instanceof RangeError && /folds? /.test(e.message)) throw new UsageError(`--cv: ${e.message}`);
    throw e;
  });
  if (o.json) {
    io.out(`${JSON.stringify({ data: bundle.source, modelSet: set.name, crossValidation: r })}\n`);
    return;
  }
  io.out(`${crossValidationLines(r).join("\n")}\n`);
}
