/** A run's configuration in one line of words: the CLI's "Model:" line and the playground's summary. */
import type { OptimizerName } from "../core/optimizers.js";
import type { RunConfig } from "../training/config.js";
import { ARTICLE_SETTINGS, activeSettings, type SettingRow, settingRow } from "../training/settings.js";

/** A row of the settings table by the config field it sets: its label and unit name the value. */
const row = (field: string): SettingRow => ARTICLE_SETTINGS.find((r) => r.field === field)!;
const LR = row("learningRate").label;
const DECAY = row("learningRateDecay").label;
const LAMBDA = row("lambda").label;
const KEEP = row("keepProb").label;
const MASKS = row("dropoutMasks").label;
const SEED = row("seed").label;
const ITERATIONS = row("iterations").unit;
const SCHEDULE = settingRow("lr-schedule")!.label;
const WEIGHT_DECAY = settingRow("weight-decay")!.label;

const OPTIMIZER_NAMES: Record<OptimizerName, string> = {
  gd: "gradient descent",
  momentum: "momentum",
  adam: "Adam",
};

/** "Adam", or "AdamW, weight decay 0.01" with decoupled decay (any optimizer names its decay). */
function optimizerText(c: RunConfig): string {
  const wd = c.weightDecay ?? 0;
  if (wd === 0) return OPTIMIZER_NAMES[c.optimizer.name];
  return `${c.optimizer.name === "adam" ? "AdamW" : OPTIMIZER_NAMES[c.optimizer.name]}, ${WEIGHT_DECAY} ${wd},`;
}

export interface DescribeOptions {
  /**
   * Say λ, dropout and early stopping; default true. Off for a comparison or a sweep, whose
   * models differ in exactly these.
   */
  regularization?: boolean;
  /** The run stops early, with this patience (in evaluations). */
  earlyStopping?: { patience: number };
  /** The run has no set length (the playground trains until paused). */
  untilPaused?: boolean;
  /** Classes K: 2 (one sigmoid output, the default) or more (a softmax over K outputs). */
  classes?: number;
  /** The hidden layers as written for a layered network (conv:8:5, maxpool:2, …), instead of `hidden`. */
  layers?: readonly string[];
}

/**
 * E.g. "[2, 20, 3, 1] relu, reference init, seed 3 · gradient descent α = 0.3 · λ = 0 · no dropout
 * · 30,000 iterations" for a network with `inputs` inputs.
 */
export function describeConfig(c: RunConfig, inputs: number, options: DescribeOptions = {}): string {
  const batch = c.batchSize > 0 ? `, batches of ${c.batchSize}` : "";
  const decay = c.learningRateDecay > 0 ? `, ${DECAY} ${c.learningRateDecay}` : "";
  const outputs = (options.classes ?? 2) > 2 ? (options.classes ?? 2) : 1;
  const parts = [
    `[${[inputs, ...(options.layers ?? c.hidden), outputs].join(", ")}] ${c.activation}${outputs > 1 ? " + softmax" : ""}, ${c.init} init, ${SEED} ${c.seed}`,
    `${optimizerText(c)} ${LR} = ${c.learningRate}${batch}${decay}${(c.lrSchedule ?? "none") !== "none" ? `, ${SCHEDULE} ${c.lrSchedule}` : ""}`,
  ];
  if (options.regularization ?? true) {
    const keep = Array.isArray(c.keepProb) ? c.keepProb : [c.keepProb];
    parts.push(
      `${LAMBDA} = ${c.lambda}`,
      keep.every((p) => p === 1) ? "no dropout" : `${KEEP} ${keep.join(", ")} (${c.dropoutMasks} ${MASKS})`,
    );
    // The settings table's rows in use (L1, max-norm, noise, …), each as "label value".
    for (const { row, value } of activeSettings(c)) {
      if (row.group !== "optimization") parts.push(`${row.label} ${value}`);
    }
    if (options.earlyStopping) parts.push(`early stopping, patience ${options.earlyStopping.patience}`);
  }
  parts.push(
    options.untilPaused ? "trains until paused" : `${c.iterations.toLocaleString("en-US")} ${ITERATIONS}`,
  );
  return parts.join(" · ");
}
