import type { Network } from "../core/network.js";
import { RandomState } from "../core/random.js";
import type { Dataset } from "../data/dataset.js";
import { buildNetwork } from "./build.js";
import type { Callback, TrainContext } from "./callbacks.js";
import { type RunConfig, resolveRunConfig } from "./config.js";
import { DivergenceError } from "./errors.js";
import { emptyHistory, type History } from "./history.js";
import { Trainer, type TrainerOptions } from "./trainer.js";

export interface TrainOptions {
  callbacks?: readonly Callback[];
  /** Aborting ends training after the current iteration, like an early stop. */
  signal?: { readonly aborted: boolean };
  /**
   * Awaited every `yieldEvery` iterations so the caller's event loop can run (progress output,
   * a SIGINT handler). The engine has no timers of its own.
   */
  yieldControl?: () => Promise<void>;
  yieldEvery?: number;
  /** Milliseconds from some origin; defaults to Date.now. */
  now?: () => number;
}

/** Runs the trainer for its configured iterations, recording the cost every `costEvery`. */
export async function train(trainer: Trainer, options: TrainOptions = {}): Promise<History> {
  const history = emptyHistory();
  const callbacks = options.callbacks ?? [];
  const { iterations, costEvery } = trainer.config;
  let stopReason: string | undefined;
  const ctx: TrainContext = {
    trainer,
    network: trainer.network,
    history,
    iterations,
    stop(reason: string) {
      stopReason ??= reason;
    },
  };
  const everyCost = callbacks.some((c) => c.wantsEveryCost);
  const yieldEvery = options.yieldEvery ?? 1000;
  for (const c of callbacks) c.onTrainBegin?.(ctx);
  for (let i = 0; i < iterations; i++) {
    const record = i % costEvery === 0;
    const cost = trainer.step(record || everyCost);
    history.iterationsRun = i + 1;
    if (record) {
      // Cross-entropy starts near log 2 and only falls on a healthy run; growing tenfold past
      // its start means the steps overshoot, even while every number is still finite.
      if (history.costs.length > 0 && cost > 10 * Math.max(history.costs[0], 1)) {
        throw new DivergenceError(i, trainer.learningRate);
      }
      history.iterations.push(i);
      history.costs.push(cost);
      for (const c of callbacks) c.onCostRecorded?.(ctx, i, cost);
    }
    for (const c of callbacks) c.onIterationEnd?.(ctx, i, cost);
    if (options.signal?.aborted) ctx.stop("aborted");
    if (stopReason !== undefined) break;
    if (options.yieldControl && (i + 1) % yieldEvery === 0) await options.yieldControl();
  }
  if (stopReason !== undefined) history.stopReason = stopReason;
  for (const c of callbacks) c.onTrainEnd?.(ctx);
  return history;
}

export interface FitResult {
  network: Network;
  history: History;
  config: RunConfig;
  /** Wall-clock seconds of the training loop alone. */
  seconds: number;
}

/**
 * Builds the network from `config.seed` and trains it: the generator that drew the weights goes
 * on to draw the `fresh` dropout masks and mini-batch orders, so a seed fixes the whole run.
 */
export async function fit(
  data: Dataset,
  config: Partial<RunConfig> = {},
  options: TrainOptions & TrainerOptions = {},
): Promise<FitResult> {
  const full = resolveRunConfig(config);
  const rng = new RandomState(full.seed);
  const network = buildNetwork(data.X.rows, full, rng);
  const trainer = new Trainer(network, data, full, rng, options);
  const now = options.now ?? Date.now;
  const t0 = now();
  let history: History;
  try {
    history = await train(trainer, options);
  } finally {
    // The kernels' helper threads, if any, end with the run (the network holds its weights).
    trainer.kernels.close?.();
  }
  return { network, history, config: full, seconds: (now() - t0) / 1000 };
}
