/**
 * The CLI side of defaults by data: which model flags the user gave (they override the data's
 * defaults), the --help text, and the warning before a long run.
 */
import type { Command } from "commander";
import {
  ARTICLE_SETTINGS,
  type DataBundle,
  type DataDefaults,
  type Dataset,
  defaultsFor,
  defaultsHelp,
  estimateLayeredSeconds,
  estimateSeconds,
  formatDuration,
  inputShapeOf,
  type LayerSpec,
  LONG_RUN_SECONDS,
  layeredMultiplyAdds,
  layersFor,
  optionKey,
  type RunConfig,
} from "../index.js";
import { type ModelOptionValues, runConfigFrom } from "./model-options.js";
import type { Io } from "./runtime.js";

/** Each model flag's option name and the configuration key it sets: --layers, then the article's rows. */
const FLAG_KEYS: Record<string, keyof RunConfig> = Object.fromEntries([
  ["layers", "hidden"],
  ...ARTICLE_SETTINGS.map((row) => [optionKey(row), row.field]),
]);

/** Options whose default depends on the data; --help says so instead of the football value. */
const BY_DATA = ["layers", "init", "learningRate", "iterations", "optimizer", "batchSize", "costEvery"];

/** Marks the data-dependent model options in --help and appends the rule. */
export function describeDataDefaults(cmd: Command): Command {
  for (const opt of cmd.options) {
    if (BY_DATA.includes(opt.attributeName())) opt.defaultValueDescription = "by data, see below";
  }
  return cmd.addHelpText("after", `\n${defaultsHelp()}`);
}

/** True when the user set this option (on the command line or from the environment). */
export function userSet(command: Command, key: string): boolean {
  const source = command.getOptionValueSource(key);
  return source === "cli" || source === "env";
}

/**
 * The run's configuration: the option defaults, then the data's defaults, then every model flag
 * the user gave. `overrides` (e.g. a sweep's first λ) go last.
 */
export function configByData(
  o: ModelOptionValues,
  command: Command,
  bundle: DataBundle,
  overrides: Partial<RunConfig> = {},
): { defaults: DataDefaults; config: Partial<RunConfig> } {
  const defaults = defaultsFor(bundle);
  const all = runConfigFrom(o);
  const given: Partial<RunConfig> = {};
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    if (userSet(command, flag)) (given as Record<string, unknown>)[key] = all[key];
  }
  return { defaults, config: { ...all, ...defaults.base, ...given, ...overrides } };
}

/** The line under "Model:" saying where its defaults came from. */
export function defaultsNote(d: DataDefaults): string {
  return `  (defaults for ${d.description}; the flags you give override them)`;
}

/**
 * Says on stderr, before a run whose estimate passes LONG_RUN_SECONDS, about how long it may take
 * and which flags shorten it.
 */
export function warnIfLong(io: Io, seconds: number, what: string): void {
  if (seconds <= LONG_RUN_SECONDS) return;
  io.err(
    `reglab: ${what} may take about ${formatDuration(seconds)}; ` +
      "--train-size N (fewer examples) or --iterations N (fewer steps) shortens it\n",
  );
}

/** The estimate for one run of `config` on a training set (K classes), layered when `layers` are given. */
export function runSeconds(
  train: Dataset,
  config: RunConfig,
  classes: number,
  layers?: readonly LayerSpec[],
): number {
  const outputs = classes > 2 ? classes : 1;
  if (layers) {
    const full = layersFor(train, layers, config, outputs);
    return estimateLayeredSeconds(layeredMultiplyAdds(full, inputShapeOf(train)), train.X.cols, config);
  }
  const sizes = [train.X.rows, ...config.hidden, outputs];
  return estimateSeconds(sizes, train.X.cols, config);
}
