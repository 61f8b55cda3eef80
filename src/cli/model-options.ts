import type { Command } from "commander";
import {
  ACTIVATIONS,
  DEFAULT_RUN_CONFIG,
  INITIALIZATIONS,
  MASK_POLICIES,
  OPTIMIZERS,
  type OptimizerName,
  type RunConfig,
} from "../index.js";
import { denseSizes, type LayersValue, layeredSpecs, layersOption } from "./layers-option.js";
import {
  iterationCount,
  keepProbList,
  nonNegativeInteger,
  nonNegativeNumber,
  oneOf,
  positiveInteger,
  positiveNumber,
  seedNumber,
} from "./parse.js";
import { UsageError } from "./runtime.js";

const D = DEFAULT_RUN_CONFIG;

/** The options that describe a network and how to train it, shared by train, check, sweep, … */
export function addModelOptions(cmd: Command, which: { regularization?: boolean } = {}): Command {
  cmd
    .option(
      "--layers <sizes>",
      "hidden layers: sizes, e.g. 20,3 for [n_x, 20, 3, 1], or with conv:F:S[:STRIDE][:same|valid], maxpool:S, avgpool:S, spatial-dropout:P, dropout:P",
      layersOption,
      D.hidden,
    )
    .option(
      "--activation <name>",
      `hidden activation: ${ACTIVATIONS.join(", ")}`,
      oneOf(ACTIVATIONS),
      D.activation,
    )
    .option(
      "--init <name>",
      `weight initialization: ${INITIALIZATIONS.join(", ")}`,
      oneOf(INITIALIZATIONS),
      D.init,
    )
    .option("--learning-rate <alpha>", "learning rate α", positiveNumber, D.learningRate)
    .option("--iterations <n>", "optimizer steps", iterationCount, D.iterations)
    .option(
      "--seed <n>",
      "seed of the generator that draws weights, fresh masks and batches",
      seedNumber,
      D.seed,
    );
  // λ and keepProb are one value here; a sweep declares its own lists of them.
  if (which.regularization !== false) {
    cmd
      .option("--lambda <λ>", "L2 strength λ (0 = off)", nonNegativeNumber, D.lambda)
      .option(
        "--keep-prob <p>",
        "dropout keep probability in (0, 1], one value or one per hidden layer (1 = off)",
        keepProbList,
        D.keepProb,
      );
  }
  cmd.option(
    "--dropout-masks <policy>",
    "fresh (real dropout) or fixed (the article's reseeded masks)",
    oneOf(MASK_POLICIES),
    D.dropoutMasks,
  );
  return cmd
    .option("--optimizer <name>", `${OPTIMIZERS.join(", ")}`, oneOf(OPTIMIZERS), D.optimizer.name)
    .option("--batch-size <n>", "mini-batch size (0 = full batch)", nonNegativeInteger, D.batchSize)
    .option("--lr-decay <rate>", "learning rate α/(1 + rate·epoch)", nonNegativeNumber, D.learningRateDecay)
    .option("--cost-every <n>", "record the cost every n iterations", positiveInteger, D.costEvery);
}

export interface ModelOptionValues {
  layers: LayersValue;
  activation: RunConfig["activation"];
  init: RunConfig["init"];
  learningRate: number;
  iterations: number;
  seed: number;
  lambda?: number;
  keepProb?: number | number[];
  dropoutMasks?: RunConfig["dropoutMasks"];
  optimizer: OptimizerName;
  batchSize: number;
  lrDecay: number;
  costEvery: number;
}

/** `layered`: the command trains convolutional (layered) networks too; others refuse their specs. */
export function runConfigFrom(o: ModelOptionValues, layered = false): Partial<RunConfig> {
  if (!layered && layeredSpecs(o.layers))
    throw new UsageError(
      "--layers: convolution, pooling and dropout layers train with 'reglab train' and 'reglab check'",
    );
  return {
    hidden: denseSizes(o.layers),
    activation: o.activation,
    init: o.init,
    learningRate: o.learningRate,
    iterations: o.iterations,
    seed: o.seed,
    lambda: o.lambda ?? 0,
    keepProb: o.keepProb ?? 1,
    dropoutMasks: o.dropoutMasks ?? "fresh",
    optimizer: { name: o.optimizer },
    batchSize: o.batchSize,
    learningRateDecay: o.lrDecay,
    costEvery: o.costEvery,
  };
}
