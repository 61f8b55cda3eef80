import { type Command, InvalidArgumentError } from "commander";
import {
  ACTIVATIONS,
  checkSetting,
  DEFAULT_RUN_CONFIG,
  INITIALIZATIONS,
  MASK_POLICIES,
  OPTIMIZERS,
  type OptimizerName,
  type RunConfig,
  rangeText,
  SETTINGS,
  type SettingRow,
  withSetting,
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
  if (which.regularization !== false) addSettingOptions(cmd);
  return cmd
    .option("--optimizer <name>", `${OPTIMIZERS.join(", ")}`, oneOf(OPTIMIZERS), D.optimizer.name)
    .option("--batch-size <n>", "mini-batch size (0 = full batch)", nonNegativeInteger, D.batchSize)
    .option("--lr-decay <rate>", "learning rate α/(1 + rate·epoch)", nonNegativeNumber, D.learningRateDecay)
    .option("--cost-every <n>", "record the cost every n iterations", positiveInteger, D.costEvery);
}

/** A settings row's option name as commander stores it: --max-norm → maxNorm. */
export const optionKey = (row: SettingRow): string =>
  row.name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** Reads one value of a settings row from the command line, checked against the row's range. */
export function settingValue(row: SettingRow): (raw: string) => number | string {
  return (raw) => {
    const v = row.type === "number" ? (raw.trim() === "" ? Number.NaN : Number(raw)) : raw;
    try {
      checkSetting(row, v);
    } catch (e) {
      const what = row.type === "number" ? rangeText(row) : (e as Error).message.replace(/^.*?: /, "");
      throw new InvalidArgumentError(row.type === "number" ? `expected ${what}, got '${raw}'` : what);
    }
    return v;
  };
}

/** One flag per row of the settings table (training/settings.ts), its help the row's. */
export function addSettingOptions(
  cmd: Command,
  parse: (row: SettingRow) => (raw: string) => unknown = settingValue,
): Command {
  for (const row of SETTINGS) {
    const arg = row.type === "number" ? "<value>" : "<schedule>";
    cmd.option(`--${row.name} ${arg}`, `${row.help} (default ${row.off} = off)`, parse(row));
  }
  return cmd;
}

/** The config with every settings row given on the command line (`values` keyed as commander keys them). */
export function applySettings(c: Partial<RunConfig>, values: object): Partial<RunConfig> {
  let out = c;
  for (const row of SETTINGS) {
    const v = (values as Record<string, unknown>)[optionKey(row)];
    if (v !== undefined) out = withSetting(out, row, v as number | string);
  }
  return out;
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
  return applySettings(runConfigBase(o), o);
}

function runConfigBase(o: ModelOptionValues): Partial<RunConfig> {
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
