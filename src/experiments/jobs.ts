/**
 * Training runs described as plain data, so they can be sent to a worker thread (or a Web Worker)
 * and run there: the engine has no shared state, so a worker only needs the data bundle and the
 * job. Every job seeds its own generator, so results do not depend on where or in which order
 * jobs run.
 */

import type { LayerSpec } from "../core/layers/spec.js";
import { RandomState } from "../core/random.js";
import { type Augmentation, augmentTraining } from "../data/augment/augmentation.js";
import { bundleClassCount, type DataBundle, DataError, type Dataset } from "../data/dataset.js";
import { kFold, trainDevSplit } from "../data/split.js";
import { type RunConfig, resolveRunConfig } from "../training/config.js";
import { type EarlyStoppingOptions, earlyStopping } from "../training/early-stopping.js";
import { DivergenceError, TrainingInterrupted } from "../training/errors.js";
import { scoreNetwork } from "../training/evaluate.js";
import { fitLayered, type LayeredFitResult } from "../training/layer-trainer.js";
import { type FitOptions, type FitResult, fit, type TrainOptions } from "../training/train.js";
import { type TestPoint, testCurveCallback } from "./test-curve.js";

/** Which examples a job uses, described so that any thread can rebuild them from the bundle. */
export type DataRef =
  | { set: "train" | "test" | "dev" }
  /** Fold `fold` of a stratified k-fold split of the training set. */
  | { set: "fold"; k: number; fold: number; splitSeed: number; part: "train" | "dev" }
  /** A stratified train/dev split of the training set. */
  | { set: "split"; fraction: number; splitSeed: number; part: "train" | "dev" };

/** Early stopping settings that travel with a job (the dev set is a reference). */
export type JobEarlyStopping = Omit<EarlyStoppingOptions, "dev" | "train" | "evaluate"> & { dev: DataRef };

export interface FitJob {
  id: number;
  config: Partial<RunConfig>;
  /**
   * Hidden layers of a layered (convolutional) network, the typed specs of the library and model
   * files; the output layer follows from the labels. Unset: the dense network of config.hidden.
   */
  layers?: readonly LayerSpec[];
  train: DataRef;
  earlyStopping?: JobEarlyStopping;
  /** Augmentation of the training data (never of the sets scored), drawn from the config's seed. */
  augment?: Augmentation;
  /** Sets to score the trained network on, by name. */
  score: Record<string, DataRef>;
  /** Names in `score` whose per-example right/wrong vector to return (for McNemar's test). */
  correct?: readonly string[];
  /** Score this set every `every` iterations while training (a seed's test curve). */
  curve?: { set: DataRef; every: number };
}

export interface JobScore {
  /** Cross-entropy without the L2 term (no dropout). */
  cost: number;
  accuracy: number;
  /** Examples scored. */
  n: number;
  /** 1 where the example was classified correctly (when asked for). */
  correct?: Uint8Array;
}

export interface FitJobResult {
  id: number;
  /** Seconds in the training loop. */
  seconds: number;
  iterationsRun: number;
  stopReason?: string;
  bestIteration?: number;
  /** Set when the run diverged: then `scores` is empty, the run is reported and never scored. */
  diverged?: { iteration: number; symptom: string; advice: string };
  scores: Record<string, JobScore>;
  /** The job's `curve`, scored as it trained. */
  curve?: TestPoint[];
}

/** The DivergenceError a diverged job result stands for. */
export function divergenceOf(r: FitJobResult): DivergenceError | undefined {
  const d = r.diverged;
  return d ? new DivergenceError(d.iteration, d.symptom, d.advice) : undefined;
}

/** Rebuilds (and caches) the datasets DataRefs name. */
export class DataResolver {
  private readonly folds = new Map<string, Array<{ train: Dataset; dev: Dataset }>>();
  private readonly splits = new Map<string, { train: Dataset; dev: Dataset }>();

  constructor(readonly bundle: DataBundle) {}

  get(ref: DataRef): Dataset {
    switch (ref.set) {
      case "train":
        return this.bundle.train;
      case "test":
      case "dev": {
        const d = this.bundle[ref.set];
        if (!d) throw new RangeError(`${this.bundle.source} has no ${ref.set} set`);
        return d;
      }
      case "fold": {
        const key = `${ref.k}/${ref.splitSeed}`;
        let folds = this.folds.get(key);
        if (!folds) {
          folds = this.asDataError(() => kFold(this.bundle.train, ref.k, new RandomState(ref.splitSeed)));
          this.folds.set(key, folds);
        }
        return folds[ref.fold][ref.part];
      }
      case "split": {
        const key = `${ref.fraction}/${ref.splitSeed}`;
        let split = this.splits.get(key);
        if (!split) {
          split = this.asDataError(() =>
            trainDevSplit(this.bundle.train, ref.fraction, new RandomState(ref.splitSeed)),
          );
          this.splits.set(key, split);
        }
        return split[ref.part];
      }
      default:
        throw new RangeError(`unknown data reference ${JSON.stringify(ref)}`);
    }
  }

  /** A split the data is too small for is a fault of the data: say so, naming where it came from. */
  private asDataError<T>(split: () => T): T {
    try {
      return split();
    } catch (e) {
      if (e instanceof RangeError) throw new DataError(this.bundle.source, e.message);
      throw e;
    }
  }
}

/**
 * Fits a model — dense, or layered when `layers` are given — on `train` augmented as asked: the
 * one path of every comparison run, here or on a worker, so they agree bit for bit.
 */
export async function fitAugmented(
  train: Dataset,
  config: Partial<RunConfig>,
  augment: Augmentation | undefined,
  options: FitOptions = {},
  layers?: readonly LayerSpec[],
): Promise<FitResult | LayeredFitResult> {
  const run = (data: Dataset, opts: FitOptions) =>
    layers ? fitLayered(data, layers, config, opts) : fit(data, config, opts);
  if (!augment) return run(train, options);
  const a = augmentTraining(augment, train, resolveRunConfig(config).seed);
  return run(a.train, { ...options, ...(a.transform && { transform: a.transform }) });
}

/** Runs one job: fit on its training data (with early stopping if asked), then score. */
export async function runFitJob(
  data: DataResolver,
  job: FitJob,
  options: TrainOptions = {},
): Promise<FitJobResult> {
  const train = data.get(job.train);
  const callbacks = [...(options.callbacks ?? [])];
  if (job.earlyStopping) {
    const { dev, ...settings } = job.earlyStopping;
    callbacks.unshift(earlyStopping({ ...settings, dev: data.get(dev) }));
  }
  // Before early stopping, as in runComparison: the last point scores the weights as trained.
  const curve: TestPoint[] = [];
  if (job.curve) callbacks.unshift(testCurveCallback(data.get(job.curve.set), job.curve.every, curve));
  let result: FitResult | LayeredFitResult;
  try {
    // K from every set, so a scored set never holds a class the model has no output for.
    result = await fitAugmented(
      train,
      job.config,
      job.augment,
      { ...options, callbacks, classes: bundleClassCount(data.bundle) },
      job.layers,
    );
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    const { iteration, symptom, advice } = e;
    return {
      id: job.id,
      seconds: 0,
      iterationsRun: iteration,
      diverged: { iteration, symptom, advice },
      scores: {},
    };
  }
  const scores: Record<string, JobScore> = {};
  for (const [name, ref] of Object.entries(job.score)) {
    const set = data.get(ref);
    const s: JobScore = { ...scoreNetwork(result.network, set), n: set.X.cols };
    if (job.correct?.includes(name)) {
      const p = result.network.predict(set.X);
      s.correct = p.map((v, j) => (v === set.y[j] ? 1 : 0));
    }
    scores[name] = s;
  }
  const h = result.history;
  return {
    id: job.id,
    seconds: result.seconds,
    iterationsRun: h.iterationsRun,
    ...(h.stopReason !== undefined && { stopReason: h.stopReason }),
    ...(h.bestIteration !== undefined && { bestIteration: h.bestIteration }),
    scores,
    ...(job.curve && { curve }),
  };
}

/** Runs jobs and reports each result as it arrives; resolves to the results in job order. */
export type JobRunner = (
  jobs: readonly FitJob[],
  onResult?: (result: FitJobResult, done: number) => void,
) => Promise<FitJobResult[]>;

/**
 * Runs jobs one after another in this thread (browsers without workers, tests). `yieldControl`
 * is awaited between jobs so a caller's event loop keeps running.
 */
export function inProcessRunner(
  bundle: DataBundle,
  options: { yieldControl?: () => Promise<void>; signal?: { readonly aborted: boolean } } = {},
): JobRunner {
  const data = new DataResolver(bundle);
  return async (jobs, onResult) => {
    const out: FitJobResult[] = [];
    for (const job of jobs) {
      if (options.signal?.aborted)
        throw new TrainingInterrupted(
          out.length,
          jobs.length,
          `interrupted after ${out.length} of ${jobs.length} runs`,
        );
      const r = await runFitJob(data, job);
      out.push(r);
      onResult?.(r, out.length);
      await options.yieldControl?.();
    }
    return out;
  };
}
