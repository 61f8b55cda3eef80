import { outputUnits } from "../core/heads.js";
import type { Network } from "../core/network.js";
import { SLICE_MS } from "../core/pace.js";
import { RandomState } from "../core/random.js";
import { classCount, type Dataset } from "../data/dataset.js";
import { buildNetwork } from "./build.js";
import type { Callback } from "./callbacks.js";
import { type RunConfig, resolveRunConfig, type TrainConfig } from "./config.js";
import { TrainingInterrupted } from "./errors.js";
import type { History } from "./history.js";
import { type RunState, TrainingRun } from "./run.js";
import type { Stepper } from "./stepper.js";
import { Trainer, type TrainerOptions } from "./trainer.js";
import { validateFitInput } from "./validate-input.js";

export interface TrainOptions {
  callbacks?: readonly Callback[];
  /** Aborting ends training with TrainingInterrupted (never a result). */
  signal?: { readonly aborted: boolean };
  /**
   * Awaited after about `sliceMs` of training (by the clock, not a count of steps, so a run of
   * slow steps yields as often as one of fast steps) so the caller's event loop can run: progress
   * output, a SIGINT handler. The engine has no timers of its own.
   */
  yieldControl?: () => Promise<void>;
  /** Milliseconds of training between yields; default 50 (SLICE_MS). */
  sliceMs?: number;
  /** Milliseconds from some origin; defaults to Date.now. */
  now?: () => number;
  /** Hands the run's state out every `checkpointEvery` iterations and once more on interrupt. */
  onCheckpoint?: (state: RunState) => void | Promise<void>;
  /** Iterations between checkpoints (default 1000). */
  checkpointEvery?: number;
  /** Seconds between checkpoints, whichever comes first with checkpointEvery. */
  checkpointSeconds?: number;
  /** Goes on from a state an earlier run handed to onCheckpoint (same data, config, callbacks). */
  resume?: RunState;
}

/** The history of a run that ended as asked or stopped early. */
export async function train(
  trainer: Stepper & { readonly config: TrainConfig; readonly batchSize: number },
  options: TrainOptions = {},
): Promise<History> {
  const run = new TrainingRun(
    trainer,
    {
      iterations: trainer.config.iterations,
      costEvery: trainer.config.costEvery,
      lambda: trainer.config.lambda,
      batch: trainer.batchSize,
    },
    options,
  );
  if (options.resume) run.restore(options.resume);
  await drive(run, options);
  return run.history;
}

/** Steps per chunk are never more than this, so a clock that stands still cannot starve yields. */
const MAX_CHUNK = 1 << 16;

/**
 * Advances a run between awaits until it ends, checkpointing on the way and on interrupt. Steps
 * run in chunks sized by the clock to about a quarter of a slice (one step when a step is slow),
 * so the signal is seen after at most one step or one slice, whichever is longer, and the clock is
 * read once per chunk rather than once per step.
 */
async function drive(run: TrainingRun, options: TrainOptions): Promise<void> {
  const save = options.onCheckpoint;
  const every = options.checkpointEvery ?? 1000;
  const now = options.now ?? Date.now;
  const slice = options.sliceMs ?? SLICE_MS;
  const seconds = options.checkpointSeconds;
  let lastSaved = now();
  let lastSavedIteration = run.iteration;
  let lastYield = lastSaved;
  let size = 1;
  while (!run.ended) {
    let chunk = size;
    if (save) chunk = Math.max(1, Math.min(chunk, lastSavedIteration + every - run.iteration));
    const t0 = now();
    try {
      run.advance(chunk);
    } catch (e) {
      if (e instanceof TrainingInterrupted && save) await save(run.getState());
      throw e;
    }
    const t1 = now();
    // Aim each chunk at a quarter slice: grow while chunks are short, shrink at once when long.
    const spent = t1 - t0;
    if (spent < slice / 8) size = Math.min(MAX_CHUNK, size * 2);
    else if (spent > slice / 2) size = Math.max(1, Math.floor((size * slice) / 4 / spent));
    if (run.ended) break;
    const due =
      run.iteration - lastSavedIteration >= every ||
      (seconds !== undefined && (t1 - lastSaved) / 1000 >= seconds);
    if (save && due) {
      await save(run.getState());
      lastSaved = now();
      lastSavedIteration = run.iteration;
    }
    if (options.yieldControl && t1 - lastYield >= slice) {
      await options.yieldControl();
      lastYield = now();
    }
  }
}

export interface FitResult {
  network: Network;
  history: History;
  config: RunConfig;
  /** Wall-clock seconds of the training loop alone. */
  seconds: number;
}

export interface FitOptions extends TrainOptions, TrainerOptions {
  /**
   * Number of classes K when the training labels may not show them all (a test set or the data's
   * class names may know more); by default the largest training label + 1.
   */
  classes?: number;
}

/**
 * Builds the network from `config.seed` and trains it: the generator that drew the weights goes
 * on to draw the `fresh` dropout masks and mini-batch orders, so a seed fixes the whole run.
 */
export async function fit(
  data: Dataset,
  config: Partial<RunConfig> = {},
  options: FitOptions = {},
): Promise<FitResult> {
  validateFitInput(data, options.classes);
  const full = resolveRunConfig(config);
  const rng = new RandomState(full.seed);
  const network = buildNetwork(data.X.rows, full, rng, data.X.cols, outputCount(data, options.classes));
  const trainer = new Trainer(network, data, full, rng, options);
  return { network, config: full, ...(await trainTimed(trainer, options)) };
}

/** Output units for the labels of `data`, or for `classes` K when given (2 → one sigmoid unit). */
export function outputCount(data: Dataset, classes?: number): number {
  const k = classes;
  if (k !== undefined && !(Number.isInteger(k) && k >= 2 && k >= classCount(data.y)))
    throw new RangeError(`classes must be a whole number ≥ 2 covering the labels, got ${k}`);
  return k === undefined ? outputUnits(data.y) : k === 2 ? 1 : k;
}

/** Trains `trainer` to its end, timed; its kernels' helper threads end with the run. */
export async function trainTimed(
  trainer: Stepper & {
    readonly config: TrainConfig;
    readonly batchSize: number;
    readonly kernels: { close?(): void };
  },
  options: FitOptions,
): Promise<{ history: History; seconds: number }> {
  const now = options.now ?? Date.now;
  const t0 = now();
  try {
    return { history: await train(trainer, options), seconds: (now() - t0) / 1000 };
  } finally {
    trainer.kernels.close?.();
  }
}
