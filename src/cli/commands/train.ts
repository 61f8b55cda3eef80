import type { Command } from "commander";
import {
  accuracy,
  baselineSentence,
  baselineSummary,
  bundleClassCount,
  type Callback,
  type Confusion,
  checkLayeredTrainingMemory,
  classCount,
  confusionJson,
  confusionMatrix,
  type DataBundle,
  type Dataset,
  DEFAULT_EVALUATE_EVERY,
  DEFAULT_PATIENCE,
  describeAugmentation,
  describeConfig,
  type EarlyStopping,
  earlyStopping,
  evaluationCallback,
  type FitOptions,
  fit,
  fitLayered,
  type History,
  inputShapeOf,
  LayeredNetwork,
  layeredModelToJSON,
  layersFor,
  MONITORS,
  type Model,
  type Monitor,
  modelToJSON,
  Network,
  PRECISIONS,
  type Precision,
  plotConfusionMatrix,
  plotCostCurves,
  plotWeightNorms,
  resolveRunConfig,
  specText,
  TrainingInterrupted,
  zeroWeights,
} from "../../index.js";
import {
  defaultThreadCount,
  enableRelaxedSimd,
  nodeHelperSpawner,
  writeFileAtomic,
} from "../../node/index.js";
import { type AugmentOptionValues, addAugmentOptions, applyAugmentation } from "../augment-options.js";
import { addCheckpointOptions, type CheckpointOptionValues, checkpointing } from "../checkpoint-options.js";
import { confusionText } from "../confusion-text.js";
import {
  configByData,
  defaultsNote,
  describeDataDefaults,
  runSeconds,
  userSet,
  warnIfLong,
} from "../data-defaults.js";
import {
  addDataOptions,
  addDevOptions,
  type DataOptionValues,
  type DevOptionValues,
  describeBundle,
  digitsSubsetNote,
  loadBundle,
  resolveDevSet,
} from "../data-options.js";
import { boundarySvg, checkPlottable } from "../figures.js";
import { layeredSpecs } from "../layers-option.js";
import { addModelOptions, type ModelOptionValues } from "../model-options.js";
import { checkOutputPath, writeFigure } from "../output.js";
import { nonNegativeInteger, nonNegativeNumber, oneOf, parseNumber, positiveInteger } from "../parse.js";
import { progressCallback } from "../progress.js";
import { formatAccuracy, percent } from "../report-text.js";
import { type Io, phase, stopIfInterrupted, UsageError } from "../runtime.js";

interface TrainOptions
  extends DataOptionValues,
    DevOptionValues,
    ModelOptionValues,
    CheckpointOptionValues,
    AugmentOptionValues {
  json?: boolean;
  save?: string;
  plot?: string;
  costPlot?: string;
  confusionPlot?: string;
  normPlot?: string;
  quiet?: boolean;
  threads?: number;
  precision: Precision;
  earlyStopping?: boolean;
  patience: number;
  minDelta: number;
  monitor: Monitor;
  evaluateEvery: number;
  startFrom: number;
  restoreBest: boolean;
  baseline?: number;
}

/** Options that only mean something with --early-stopping. */
const EARLY_STOPPING_ONLY = [
  "patience",
  "minDelta",
  "monitor",
  "startFrom",
  "restoreBest",
  "baseline",
] as const;
const FLAG: Record<(typeof EARLY_STOPPING_ONLY)[number], string> = {
  patience: "--patience",
  minDelta: "--min-delta",
  monitor: "--monitor",
  startFrom: "--start-from",
  restoreBest: "--no-restore-best",
  baseline: "--baseline",
};

/** Accuracy on a set, or null when there is none. */
function accuracyOn(net: Model, data: Dataset | undefined): number | null {
  return data ? accuracy(net, data) : null;
}

/** The set a confusion matrix is counted on: the test set, else the dev set, else the training set. */
function confusionOn(
  net: Model,
  sets: { test?: Dataset; dev?: Dataset; train: Dataset },
  names: readonly string[] | undefined,
  classes: number,
): { set: "test" | "dev" | "train"; confusion: Confusion } {
  const set = sets.test ? "test" : sets.dev ? "dev" : "train";
  const data = sets[set] ?? sets.train;
  const labels = names ?? Array.from({ length: classes }, (_, c) => String(c));
  return { set, confusion: confusionMatrix(data.y, net.predict(data.X), labels) };
}

/** One line on what early stopping did, for the text report. */
export function describeEarlyStopping(es: EarlyStopping, history: History, dev: Dataset): string {
  const s = es.settings;
  const every = `an evaluation every ${s.evaluateEvery} iterations`;
  const what = s.monitor === "devCost" ? "dev cost" : "dev accuracy";
  const ran =
    es.stoppedAt !== undefined
      ? `stopped at iteration ${es.stoppedAt}: the ${what} had not improved${s.minDelta > 0 ? ` by more than ${s.minDelta}` : ""} for ${s.patience} evaluations (${every})`
      : `ran all ${history.iterationsRun} iterations without stopping (${every}, patience ${s.patience})`;
  const best = es.bestEvaluation;
  if (best === undefined || es.bestIteration === undefined)
    return `Early stopping: ${ran}; no evaluation after --start-from ${s.startFrom}.`;
  const bestText =
    `best iteration ${es.bestIteration}: dev cost ${best.devCost?.toFixed(4)}, dev accuracy ` +
    `${formatAccuracy(best.devAccuracy ?? Number.NaN, dev.X.cols)}`;
  const kept = !s.restoreBest
    ? `kept the last weights (--no-restore-best)`
    : es.restored
      ? `restored the weights of iteration ${es.bestIteration}`
      : `the last weights are the best`;
  return `Early stopping: ${ran}.\n  ${bestText}; ${kept}.`;
}

/** Train and dev cost from the evaluations, with the early-stopping point marked. */
function devCostPlot(history: History, es: EarlyStopping | undefined): string {
  const evs = history.evaluations;
  const it = evs.map((e) => e.iteration);
  const markers: { iteration: number; label: string }[] = [];
  if (es?.bestIteration !== undefined)
    markers.push({ iteration: es.bestIteration, label: `best dev (${es.bestIteration})` });
  if (es?.stoppedAt !== undefined)
    markers.push({ iteration: es.stoppedAt, label: `stopped (${es.stoppedAt})` });
  return plotCostCurves(
    [
      { name: "train cost", iterations: it, costs: evs.map((e) => e.trainCost) },
      { name: "dev cost", iterations: it, costs: evs.map((e) => e.devCost ?? Number.NaN), dashed: true },
    ],
    {
      title: es ? "Train and dev cost, early stopping" : "Train and dev cost",
      yLabel: "cross-entropy (no L2 term, no dropout)",
      markers,
    },
  );
}

/** "no dropout", "keepProb 0.86", "keepProb 0.7, 1". */
function keepText(k: number | readonly number[]): string {
  const ks = Array.isArray(k) ? k : [k];
  return ks.every((v) => v === 1) ? "no dropout" : `keepProb ${ks.join(", ")}`;
}

/** How often a run without early stopping scores its dev set (null: it does not). */
function evaluationCadence(o: TrainOptions, command: Command, dev: Dataset | undefined): number | null {
  return dev || command.getOptionValueSource("evaluateEvery") === "cli" ? o.evaluateEvery : null;
}

export function registerTrain(program: Command, io: Io): void {
  const cmd = program
    .command("train")
    .summary("train one network and report its accuracy")
    .description(
      "Train a fully connected network with sigmoid output and cross-entropy, as in the article\n" +
        "(a softmax over K outputs when the labels name K ≥ 3 classes).\n" +
        "Costs print every 10 000 iterations (images: every --cost-every, the data's default or\n" +
        "yours); accuracies come with 95 % Wilson intervals. The model's defaults follow the data (below).",
    );
  addDataOptions(cmd);
  addDevOptions(cmd);
  addModelOptions(cmd);
  addAugmentOptions(cmd);
  cmd
    .option("--early-stopping", "stop when the dev cost stops improving and keep the best weights")
    .option(
      "--patience <n>",
      "evaluations without improvement before stopping",
      nonNegativeInteger,
      DEFAULT_PATIENCE,
    )
    .option(
      "--min-delta <d>",
      "an improvement must beat the best by more than d (a tie within rounding is no improvement)",
      nonNegativeNumber,
      0,
    )
    .option(
      "--baseline <v>",
      "as Keras: patience resets only on beating both the best and v, so a run that never beats v stops",
      parseNumber("a number"),
    )
    .option(
      "--monitor <name>",
      `what early stopping watches: ${MONITORS.join(", ")}`,
      oneOf(MONITORS),
      "devCost",
    )
    .option(
      "--evaluate-every <n>",
      "score train and dev set every n iterations",
      positiveInteger,
      DEFAULT_EVALUATE_EVERY,
    )
    .option("--start-from <n>", "no best or stop before this iteration", nonNegativeInteger, 0)
    .option("--no-restore-best", "keep the last weights instead of the best ones")
    .option("--json", "print one JSON object on stdout (progress goes to stderr)")
    .option("--save <model.json>", "write the trained model (loads with predict, recommend and loadModel)")
    .option("--plot <file>", "decision-boundary plot, .svg or .png (2-feature data)")
    .option("--cost-plot <file>", "cost curve, .svg or .png")
    .option(
      "--confusion-plot <file>",
      "confusion matrix on the test set (else dev, else train), .svg or .png",
    )
    .option(
      "--norm-plot <file>",
      "squared weight norms Σ‖W‖² and each layer's, log scale, early stopping's kept iteration marked; .svg or .png",
    )
    .option("--quiet", "no progress output")
    .option(
      "--threads <n>",
      "threads for one run's large products (same results for any count; default: all cores)",
      positiveInteger,
    )
    .option(
      "--precision <p>",
      `arithmetic of the large products: ${PRECISIONS.join(", ")} (f32: float32 SIMD, faster, costs ` +
        "within ~1e-5 of f64; f32-fma: fused multiply-add, relaxed SIMD)",
      oneOf(PRECISIONS),
      "f64",
    );
  addCheckpointOptions(cmd);
  describeDataDefaults(cmd)
    .addHelpText(
      "after",
      `
Examples:
  $ reglab train                                        # the article's baseline on the built-in football data
  $ reglab train --data football.mat --lambda 0.7       # L2 on the real data
  $ reglab train --data football.mat --keep-prob 0.86 --dropout-masks fixed --plot dropout.png
  $ reglab train --dataset moons --layers 16,8 --optimizer adam --learning-rate 0.01 --json
  $ reglab train --data train_catvnoncat.h5 --test test_catvnoncat.h5 --layers 20,7,5 --learning-rate 0.0075 \\
      --iterations 2500 --seed 1 --augment flip,crop:4   # the course's cat model, augmented
  $ reglab train --dataset digits --digits 3,8 --train-size 1000 --layers 64 --augment elastic:alpha=34,sigma=4
  $ reglab train --data train_catvnoncat.h5 --test test_catvnoncat.h5   # the course's cat model, by the data
  $ reglab train --dataset digits --confusion-plot out/digits.svg   # all ten digits: softmax, accuracy per class
  $ reglab train --dataset digits --layers conv:8:5,maxpool:2,conv:16:3,maxpool:2,64 \\
      --optimizer adam --learning-rate 0.001 --batch-size 64   # a convolutional network
  $ reglab train --data football.mat --early-stopping --dev-fraction 0.2 --cost-plot dev.svg
  $ reglab train --data football.mat --lambda 0.7 --norm-plot norms.svg   # L2 keeps Σ‖W‖² small
    (evaluates every ${DEFAULT_EVALUATE_EVERY} iterations, stops after ${DEFAULT_PATIENCE} without a lower dev cost, restores the best)
  $ reglab train --data football.mat --checkpoint run.json   # Ctrl-C, then the same command with
  $ reglab train --data football.mat --resume run.json       # --resume ends bit for bit as one run

Early stopping: the dev set is scored at iteration 0 and every --evaluate-every iterations, and at
the last iteration run. Iteration 0 (the untrained network) is recorded but is never the best, and
nothing before --start-from counts. An evaluation improves when it beats the best by more than
--min-delta (a tie within rounding does not); after --patience evaluations without one, training
stops. The best weights are put back at the end (unless --no-restore-best), also when training ran
all its iterations; the last evaluation is at the last iteration and may itself be the best.

A run that diverges (cost or weights blowing up, or a cost stuck far above where it started)
stops with exit code 2 and names the likely cause; Ctrl-C stops with exit code 130. Neither writes
--save, --plot, --cost-plot, --norm-plot or --confusion-plot.

Classes: labels 0…K−1. Two classes train the article's sigmoid output; K ≥ 3 a softmax over K outputs,
and the report adds the accuracy of each class and the confusion matrix (in --json always, as
"confusion", counted on the test set, else the dev set, else the training set).`,
    )
    .action(async (o: TrainOptions, command: Command) => {
      if (!o.earlyStopping) {
        for (const key of EARLY_STOPPING_ONLY) {
          if (command.getOptionValueSource(key) === "cli")
            throw new UsageError(`${FLAG[key]} needs --early-stopping`);
        }
      }
      if (o.save) checkOutputPath(o.save, "--save", [".json"]);
      if (o.plot) checkOutputPath(o.plot, "--plot", [".svg", ".png"]);
      if (o.costPlot) checkOutputPath(o.costPlot, "--cost-plot", [".svg", ".png"]);
      if (o.confusionPlot) checkOutputPath(o.confusionPlot, "--confusion-plot", [".svg", ".png"]);
      if (o.normPlot) checkOutputPath(o.normPlot, "--norm-plot", [".svg", ".png"]);
      if (o.precision === "f32-fma" && !enableRelaxedSimd()) {
        throw new UsageError("--precision f32-fma: this runtime has no WebAssembly relaxed SIMD (FMA)");
      }
      phase(io, "load");
      const bundle: DataBundle = await loadBundle(o);
      if (o.plot) checkPlottable(bundle, "--plot");
      // Convolution, pooling or dropout layers in --layers: the layered network and its trainer.
      const layers = layeredSpecs(o.layers);
      const byData = configByData(o, command, bundle);
      const config = resolveRunConfig(byData.config);
      // A layer that does not fit the images, or a network too large to train: before anything else.
      if (layers) {
        const full = layersFor(bundle.train, layers, config);
        checkLayeredTrainingMemory(full, inputShapeOf(bundle.train), bundle.train.X.cols, config);
      }
      if (layers && o.plot)
        throw new UsageError("--plot: decision-boundary plots are for dense networks on 2 features");
      const split = await resolveDevSet(bundle, o, { required: o.earlyStopping });
      const augmented = applyAugmentation(o, split.train, config.seed, command);
      const trainSet = augmented.train;
      const dev = split.dev;
      // K from every set and the class names, so no set holds a label the model has no output for.
      const classes = Math.max(bundleClassCount(bundle), dev ? classCount(dev.y) : 2);
      const say = o.json ? () => {} : io.out;
      say(`Data: ${describeBundle(bundle)}\n`);
      const subset = digitsSubsetNote(o);
      if (subset) say(`${subset}\n`);
      if (split.description) say(`Dev set: ${split.description}\n`);
      say(
        `Model: ${describeConfig(layers && config.init === "reference" ? { ...config, init: "he" } : config, bundle.train.X.rows, { classes, ...(layers ? { layers: layers.map(specText) } : {}), ...(o.earlyStopping ? { earlyStopping: { patience: o.patience } } : {}) })}\n${defaultsNote(byData.defaults)}\n`,
      );
      if (augmented.summary)
        say(`Augmentation: ${describeAugmentation(augmented.summary, trainSet.X.cols)}\n`);
      if (o.precision !== "f64") say(`Precision: ${o.precision} in the large products (f64 elsewhere)\n`);
      const es = o.earlyStopping
        ? earlyStopping({
            dev,
            monitor: o.monitor,
            patience: o.patience,
            minDelta: o.minDelta,
            startFrom: o.startFrom,
            restoreBest: o.restoreBest,
            evaluateEvery: o.evaluateEvery,
            ...(o.baseline !== undefined && { baseline: o.baseline }),
          })
        : undefined;
      const ck = await checkpointing(o, {
        config,
        data: trainSet,
        extra: {
          earlyStopping: es?.settings ?? null,
          evaluateEvery: evaluationCadence(o, command, dev),
          ...(o.precision !== "f64" ? { precision: o.precision } : {}),
          ...(layers ? { layers: layers.map(specText).join(",") } : {}),
        },
      });
      if (ck.resumedAt !== undefined) say(`Resuming from ${o.resume} at iteration ${ck.resumedAt}\n`);
      const evaluation: Callback | undefined = es
        ? es
        : dev || command.getOptionValueSource("evaluateEvery") === "cli"
          ? evaluationCallback({ dev, evaluateEvery: o.evaluateEvery })
          : undefined;
      warnIfLong(io, runSeconds(trainSet, config, classes, layers), "this run");
      const progress = progressCallback(io, {
        label: "train",
        // --cost-every N prints at N; else the data's cadence (images), else the article's 10 000.
        costLinesEvery: userSet(command, "costEvery")
          ? config.costEvery
          : (byData.defaults.base.costEvery ?? 10_000),
        costLinesTo: o.json ? "err" : "out",
        quiet: o.quiet,
      });
      await stopIfInterrupted(io, "before training");
      phase(io, "train");
      const train = (options: FitOptions) =>
        layers ? fitLayered(trainSet, layers, config, options) : fit(trainSet, config, options);
      const result = await train({
        classes,
        callbacks: evaluation ? [evaluation, progress] : [progress],
        signal: io.signal,
        yieldControl: io.pause,
        now: io.now,
        ...augmented.trainerOptions,
        ...ck.options,
        threads: o.threads ?? defaultThreadCount(),
        spawnHelper: nodeHelperSpawner,
        precision: o.precision,
      }).catch((e) => {
        if (e instanceof TrainingInterrupted && o.checkpoint) {
          const where = `its state is in ${o.checkpoint} (go on with --resume ${o.checkpoint})`;
          throw new TrainingInterrupted(e.iteration, e.iterations, `${e.message}; ${where}`);
        }
        throw e;
      });
      phase(io, "evaluate");
      // Scored on the training examples as loaded, never on augmented copies.
      const m = split.train.X.cols;
      const trainAccuracy = accuracy(result.network, split.train);
      const devAccuracy = accuracyOn(result.network, dev);
      const testAccuracy = accuracyOn(result.network, bundle.test);
      const history = result.history;
      const baseline = baselineSummary({ train: trainSet, ...(bundle.test && { test: bundle.test }) }, [
        { name: "the model", trainAccuracy, trainExamples: m, testAccuracy },
      ]);
      const confusion = confusionOn(
        result.network,
        { train: split.train, ...(dev && { dev }), ...(bundle.test && { test: bundle.test }) },
        bundle.classes,
        classes,
      );
      const zeros = zeroWeights(result.network.weights);
      const zeroTotal = zeros.reduce((a, b) => a + b, 0);
      const weightCount = result.network.weights.reduce((a, W) => a + W.length, 0);
      const summary = {
        classes,
        ...(bundle.classes ? { classNames: bundle.classes } : {}),
        trainAccuracy,
        testAccuracy,
        baseline,
        costs: history.costs,
        weightNorms: history.weightNorms,
        // Weights exactly 0 per layer (L1 makes them), and their total.
        zeroWeights: { perLayer: zeros, total: zeroTotal, of: weightCount },
        seconds: result.seconds,
        iterationsRun: history.iterationsRun,
        ...(history.stopReason ? { stopReason: history.stopReason } : {}),
        ...(dev ? { devAccuracy, devExamples: dev.X.cols, trainExamples: m } : {}),
        ...(es
          ? {
              earlyStopping: {
                ...es.settings,
                stoppedAt: es.stoppedAt ?? null,
                bestIteration: es.bestIteration ?? null,
                best: es.bestEvaluation ?? null,
                restored: es.restored,
              },
            }
          : {}),
        ...(history.evaluations.length > 0 ? { evaluations: history.evaluations } : {}),
        confusion: { set: confusion.set, ...confusionJson(confusion.confusion) },
        data: bundle.source,
        ...(layers
          ? { layers: result.network instanceof LayeredNetwork ? result.network.layers : layers }
          : {}),
        ...(augmented.summary ? { augmentation: augmented.summary } : {}),
        config,
        ...(o.precision !== "f64" ? { precision: o.precision } : {}),
      };
      await stopIfInterrupted(io, "before the results were written");
      phase(io, "write");
      if (o.json) {
        io.out(`${JSON.stringify(summary)}\n`);
      } else {
        if (es && dev) io.out(`${describeEarlyStopping(es, history, dev)}\n`);
        else if (history.stopReason)
          io.out(`Stopped after ${history.iterationsRun} iterations (${history.stopReason})\n`);
        io.out(`On the training set: accuracy ${trainAccuracy} — ${formatAccuracy(trainAccuracy, m)}\n`);
        if (dev && devAccuracy !== null) {
          io.out(
            `On the dev set:      accuracy ${devAccuracy} — ${formatAccuracy(devAccuracy, dev.X.cols)}\n`,
          );
        }
        if (bundle.test && testAccuracy !== null) {
          io.out(
            `On the test set:     accuracy ${testAccuracy} — ${formatAccuracy(testAccuracy, bundle.test.X.cols)}\n`,
          );
        }
        if (classes > 2) io.out(confusionText(confusion.confusion, `${confusion.set} set`));
        if (baseline.imbalanced) io.out(`${baselineSentence(baseline)}\n`);
        if (zeroTotal > 0 || config.regularizers.some((s) => s.kind === "l1" || s.kind === "elastic")) {
          io.out(`Weights exactly zero: ${zeroTotal} of ${weightCount} (per layer ${zeros.join(", ")})\n`);
        }
        io.out(`Training took ${result.seconds.toFixed(2)} s\n`);
      }
      if (o.save) {
        const net = result.network;
        const record = {
          ...(bundle.classes?.length === classes ? { classes: [...bundle.classes] } : {}),
          config: { ...config },
          training: { ...summary, config: undefined },
        };
        const file =
          net instanceof LayeredNetwork
            ? layeredModelToJSON(net, record)
            : modelToJSON(net, {
                ...record,
                ...(bundle.train.shape ? { image: { ...bundle.train.shape } } : {}),
              });
        await writeFileAtomic(o.save, `${JSON.stringify(file)}\n`, io.signal);
        if (!o.json) io.out(`Saved the model to ${o.save}\n`);
      }
      if (o.plot && result.network instanceof Network) {
        await writeFigure(
          o.plot,
          boundarySvg(
            result.network,
            bundle,
            `Decision boundary — ${testAccuracy === null ? `train accuracy ${percent(trainAccuracy)}` : `test accuracy ${percent(testAccuracy)}`}`,
          ),
          io.signal,
        );
        if (!o.json) io.out(`Wrote the decision boundary to ${o.plot}\n`);
      }
      if (o.costPlot) {
        const svg =
          dev && history.evaluations.length > 1
            ? devCostPlot(history, es)
            : plotCostCurves(
                [{ name: "training cost", iterations: history.iterations, costs: history.costs }],
                {
                  title: "Cost during training",
                },
              );
        await writeFigure(o.costPlot, svg, io.signal);
        if (!o.json) io.out(`Wrote the cost curve to ${o.costPlot}\n`);
      }
      if (o.confusionPlot) {
        const c = confusion.confusion;
        const title = `Confusion matrix on the ${confusion.set} set — ${c.correct} of ${c.examples} right`;
        await writeFigure(o.confusionPlot, plotConfusionMatrix(c, { title }), io.signal);
        if (!o.json) io.out(`Wrote the confusion matrix to ${o.confusionPlot}\n`);
      }
      if (o.normPlot) {
        const svg = plotWeightNorms(
          [
            {
              name: "Σ‖W‖²",
              iterations: history.iterations,
              weightNorms: history.weightNorms,
              ...(history.bestIteration !== undefined && { kept: history.bestIteration }),
            },
          ],
          {
            layers: true,
            title: `Squared weight norms — λ = ${config.lambda}, ${keepText(config.keepProb)}`,
          },
        );
        await writeFigure(o.normPlot, svg, io.signal);
        if (!o.json) io.out(`Wrote the weight norms to ${o.normPlot}\n`);
      }
    });
}
