import type { Command } from "commander";
import {
  bundleClassCount,
  checkLayeredTrainingMemory,
  configLabel,
  type DataBundle,
  DataError,
  DataResolver,
  describeConfig,
  EXTRA_SETTINGS,
  type FitJob,
  type FitJobResult,
  inputShapeOf,
  type KeepProb,
  keepProbText,
  lambdaReading,
  layersFor,
  meanKeep,
  overSmoothingNote,
  resolveRunConfig,
  runSweep,
  SELECTION_RULES,
  type SelectionRule,
  type SettingRow,
  type Spread,
  type SweepResult,
  specText,
  sweepPlot,
  sweptAxes,
  wideLayerNote,
  wilsonInterval,
} from "../../index.js";
import { defaultWorkerCount, JobFailedError, PoolAbortedError, workerRunner } from "../../node/index.js";
import { configByData, describeDataDefaults, runSeconds, warnIfLong } from "../data-defaults.js";
import { addDataOptions, type DataOptionValues, describeBundle, loadBundle } from "../data-options.js";
import { layeredSpecs } from "../layers-option.js";
import {
  addModelOptions,
  addSettingOptions,
  type ModelOptionValues,
  optionKey,
  settingValue,
} from "../model-options.js";
import { checkOutputPath, writeFigure } from "../output.js";
import { keepProbGrid, nonNegativeNumber, oneOf, parseList, positiveInteger, seedNumber } from "../parse.js";
import { runProgress } from "../progress.js";
import {
  addQueueOption,
  checkQueueUrl,
  openQueueRunner,
  queueWhere,
  reportQueueFailures,
} from "../queue-options.js";
import { formatAccuracy, textTable } from "../report-text.js";
import { ExitStatus, type Io, phase, stopIfInterrupted, UsageError } from "../runtime.js";

/** The seed warns that too large a λ over-smooths: the default grid reaches well past 0.7. */
export const DEFAULT_LAMBDAS = [0, 0.01, 0.03, 0.1, 0.3, 0.7, 1, 3, 10];
/** Sweeps train folds × seeds × configurations models, so each gets fewer iterations than `train`. */
export const SWEEP_ITERATIONS = 10_000;

interface SweepOptions extends DataOptionValues, Omit<ModelOptionValues, "lambda" | "keepProb"> {
  lambda?: number[];
  keepProb?: KeepProb[];
  seeds: number;
  folds: number;
  splitSeed: number;
  rule: SelectionRule;
  workers?: number;
  queue?: string;
  json?: boolean;
  plot?: string;
  costPlot?: string;
  quiet?: boolean;
}

const lambdaList = parseList(nonNegativeNumber, "λ values ≥ 0 like 0,0.1,1");

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** "92.4% ± 4.7 [88.0, 95.3]": mean ± sd in points, and a Wilson interval over `n` examples. */
function accuracyCell(s: Spread, n: number): string {
  const iv = wilsonInterval(Math.round(s.mean * n), n);
  return `${pct(s.mean)} ± ${(100 * s.sd).toFixed(1)} [${(100 * iv.low).toFixed(1)}, ${(100 * iv.high).toFixed(1)}]`;
}

const costCell = (s: Spread) => `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}`;

function describeJob(job: FitJob): string {
  const c = job.config;
  const fold = job.train.set === "fold" ? `, fold ${job.train.fold + 1}` : ", all training data";
  return `λ = ${c.lambda}, keepProb = ${keepProbText(c.keepProb ?? 1)}${fold}, seed ${c.seed}`;
}

export function registerSweep(program: Command, io: Io): void {
  const cmd = program
    .command("sweep")
    .summary("validation curves over λ and keepProb, the winner chosen on cross-validation")
    .description(
      "Train every configuration (λ × keepProb) on each of --folds stratified cross-validation folds with\n" +
        "each of --seeds initial seeds, in parallel on worker threads. Prints validation curves — mean ± sd\n" +
        "over folds × seeds of train and dev accuracy (with 95 % Wilson intervals over the training\n" +
        "examples) and cost (cross-entropy without the L2 term) — chooses the configuration with the best\n" +
        "mean dev accuracy (ties: lower mean dev cost, then the larger λ / smaller keepProb) or, with\n" +
        "--rule 1se, the most regularized one (largest λ, then smallest keepProb) whose mean dev accuracy\n" +
        "is within one standard error (sd / √runs of the best) of the best mean, retrains it on\n" +
        `all the training data with the first seed, and scores it once on the test set. Runs default to\n` +
        `${SWEEP_ITERATIONS} iterations (not 30 000) to keep sweeps quick.`,
    );
  addDataOptions(cmd);
  addModelOptions(cmd, { regularization: false });
  cmd.options.find((opt) => opt.long === "--iterations")?.default(SWEEP_ITERATIONS);
  cmd.setOptionValueWithSource("iterations", SWEEP_ITERATIONS, "default");
  cmd
    .option(
      "--lambda <list>",
      `L2 strengths to try (default ${DEFAULT_LAMBDAS.join(",")}; 0 with --keep-prob)`,
      lambdaList,
    )
    .option(
      "--keep-prob <list>",
      "keep probabilities to try (default 1); colons give one per hidden layer: 0.5:1,0.86:0.86",
      keepProbGrid,
    )
    .option("--folds <k>", "stratified cross-validation folds", positiveInteger, 5);
  // The settings table's rows take lists here: one of them may be swept (--l1 0,0.001,0.01).
  addSettingOptions(
    cmd,
    (row) => parseList(settingValue(row), `${row.name} values like 0,0.01,0.1`),
    (row) => EXTRA_SETTINGS.includes(row),
  );
  cmd
    .option("--seeds <n>", "initial seeds per fold: --seed, --seed+1, …", positiveInteger, 1)
    .option("--split-seed <n>", "seed of the fold assignment", seedNumber, 0)
    .option(
      "--rule <rule>",
      "best (highest mean dev accuracy) or 1se (one-standard-error rule: simplest within 1 SE of the best)",
      oneOf(SELECTION_RULES),
      "best",
    )
    .option("--workers <n>", "worker threads (default: min(cores, runs))", positiveInteger)
    .option("--json", "print one JSON object on stdout")
    .option("--plot <file>", "accuracy validation curves, .svg or .png")
    .option("--cost-plot <file>", "cost validation curves, .svg or .png")
    .option("--quiet", "no progress output");
  addQueueOption(cmd);
  describeDataDefaults(cmd)
    .addHelpText(
      "after",
      `
Examples:
  $ reglab sweep --data football.mat                                  # λ from 0 to 10, 5 folds
  $ reglab sweep --data football.mat --seeds 5 --plot lambda.svg
  $ reglab sweep --data football.mat --seeds 3 --rule 1se             # prefer the smoother model
  $ reglab sweep --data football.mat --lambda 0 --keep-prob 0.5,0.7,0.86,1 --json
  $ reglab sweep --data football.mat --keep-prob 0.5:1,0.7:1,0.86:1,0.86:0.86   # per layer
  $ reglab sweep --data football.mat --seeds 5 --queue redis://queue.lan:6379   # on reglab workers
  $ reglab sweep --dataset digits --train-size 1000 --layers conv:8:5,maxpool:2,conv:16:3,maxpool:2,64 \\
      --optimizer adam --learning-rate 0.001 --batch-size 64 --iterations 500 --lambda 0 --keep-prob 0.5,0.8,1`,
    )
    .action(async (o: SweepOptions, command: Command) => {
      if (o.plot) checkOutputPath(o.plot, "--plot", [".svg", ".png"]);
      if (o.costPlot) checkOutputPath(o.costPlot, "--cost-plot", [".svg", ".png"]);
      if (o.queue) checkQueueUrl(o.queue);
      if (o.folds < 2) throw new UsageError(`--folds: expected a whole number ≥ 2, got '${o.folds}'`);
      // A settings row given several values is the third axis; one value goes into every run.
      const given = EXTRA_SETTINGS.filter(
        (r) => (o as unknown as Record<string, unknown>)[optionKey(r)] !== undefined,
      );
      const listed = (r: SettingRow) => (o as unknown as Record<string, (number | string)[]>)[optionKey(r)];
      const axes = given.filter((r) => listed(r).length > 1);
      if (axes.length > 1)
        throw new UsageError(
          `sweep one setting at a time: ${axes.map((r) => `--${r.name}`).join(" and ")} both list values`,
        );
      const axisRow = axes[0];
      if (axisRow && axisRow.type !== "number")
        throw new UsageError(`--${axisRow.name}: give one value in a sweep`);
      if (axisRow && (o.plot || o.costPlot))
        throw new UsageError(
          `--plot and --cost-plot draw λ or keepProb curves, not --${axisRow.name}; use --json`,
        );
      const single = Object.fromEntries(given.map((r) => [optionKey(r), listed(r)[0]]));
      const axis = axisRow ? { name: axisRow.name, values: listed(axisRow) as number[] } : undefined;
      if (axis && new Set(axis.values).size !== axis.values.length)
        throw new UsageError(`--${axis.name}: a value is listed twice`);
      phase(io, "load");
      const bundle: DataBundle = await loadBundle(o);
      const lambdas = o.lambda ?? (o.keepProb || axis ? [0] : DEFAULT_LAMBDAS);
      const keepProbs = o.keepProb ?? [1];
      for (const [flag, values] of [
        ["--lambda", lambdas],
        ["--keep-prob", keepProbs],
      ] as const) {
        const texts = values.map((v) => keepProbText(v));
        if (new Set(texts).size !== texts.length) throw new UsageError(`${flag}: a value is listed twice`);
      }
      // Convolution, pooling or dropout layers in --layers: every run trains that layered network.
      const layers = layeredSpecs(o.layers);
      const base = resolveRunConfig(
        configByData({ ...o, ...single, lambda: lambdas[0], keepProb: keepProbs[0] }, command, bundle).config,
      );
      // A layer that does not fit the images, or a keepProb list that does not fit the dense layers: before any run.
      if (layers)
        for (const keepProb of keepProbs) {
          const full = layersFor(bundle.train, layers, { keepProb });
          checkLayeredTrainingMemory(full, inputShapeOf(bundle.train), bundle.train.X.cols, base);
        }
      const seeds = Array.from({ length: o.seeds }, (_, i) => base.seed + i);
      if (seeds[seeds.length - 1] >= 2 ** 32) throw new UsageError("--seed + --seeds goes past 2^32 − 1");
      try {
        new DataResolver(bundle).get({
          set: "fold",
          k: o.folds,
          fold: 0,
          splitSeed: o.splitSeed,
          part: "dev",
        });
      } catch (e) {
        const why = e instanceof DataError ? e.detail : (e as Error).message;
        throw new DataError(bundle.source, `--folds ${o.folds}: ${why}`);
      }
      const runs = lambdas.length * keepProbs.length * (axis?.values.length ?? 1) * o.folds * seeds.length;
      const workers = o.workers ?? defaultWorkerCount(runs);
      const say = o.json ? () => {} : io.out;
      say(`Data: ${describeBundle(bundle)}\n`);
      say(
        `Model: ${describeConfig(layers && base.init === "reference" ? { ...base, init: "he" } : base, bundle.train.X.rows, { regularization: false, classes: bundleClassCount(bundle), ...(layers && { layers: layers.map(specText) }) })}\n`,
      );
      say(
        `Sweep: λ ∈ {${lambdas.join(", ")}} × keepProb ∈ {${keepProbs.map(keepProbText).join(", ")}}${keepProbs.some((k) => meanKeep(k) < 1) ? ` (${base.dropoutMasks} masks)` : ""}` +
          `${axis ? ` × ${axis.name} ∈ {${axis.values.join(", ")}}` : ""}; ` +
          `${o.folds} stratified folds (split seed ${o.splitSeed}) × ${seeds.length} seed${seeds.length > 1 ? "s" : ""} (${seeds.join(", ")}) ` +
          `= ${runs} runs + 1 final, on ${o.queue ? queueWhere(o.queue) : `${workers} worker thread${workers > 1 ? "s" : ""}`}\n`,
      );
      const perRun = runSeconds(bundle.train, base, bundleClassCount(bundle), layers);
      warnIfLong(io, (perRun * (runs + 1)) / (o.queue ? 1 : workers), `this sweep (${runs + 1} runs)`);
      const progress = runProgress(io, "sweep", o.quiet || o.queue !== undefined);
      const queue = o.queue ? openQueueRunner(io, bundle, o.queue, "sweep", o.quiet) : undefined;
      progress.start(runs + 1);
      const t0 = io.now();
      let result: SweepResult;
      await stopIfInterrupted(io, "before the runs");
      phase(io, "runs");
      try {
        result = await runSweep(
          bundle,
          {
            base,
            lambdas,
            keepProbs,
            ...(axis && { setting: axis }),
            folds: o.folds,
            seeds,
            splitSeed: o.splitSeed,
            rule: o.rule,
            ...(layers && { layers }),
          },
          {
            runner: queue ?? workerRunner(bundle, { workers, signal: io.signal }),
            onResult: (_r: FitJobResult, done, total) => {
              progress.tick(done, total);
              // The last cross-validation run is in: the winner's retrain comes next.
              if (done === total - 1) phase(io, "final");
            },
          },
        );
      } catch (e) {
        progress.stop();
        if (e instanceof PoolAbortedError) {
          io.err("reglab: sweep interrupted; no result was written\n");
          throw new ExitStatus(130);
        }
        if (
          e instanceof JobFailedError &&
          ["DivergenceError", "ConfigError", "DataError", "KernelMemoryError"].includes(e.errorName)
        ) {
          throw new UsageError(`run ${describeJob(e.job)}: ${e.message}`);
        }
        reportQueueFailures(io, e, describeJob);
      } finally {
        await queue?.close();
      }
      progress.stop();
      await stopIfInterrupted(io, "before the results were written");
      phase(io, "write");
      const seconds = (io.now() - t0) / 1000;
      const m = result.trainExamples;
      const win = result.points[result.winner];
      const final = result.final;
      const test = final.scores.test;
      if (o.json) {
        const interval = (s: { accuracy: number; n: number }) => {
          const iv = wilsonInterval(Math.round(s.accuracy * s.n), s.n);
          return [iv.low, iv.high];
        };
        io.out(
          `${JSON.stringify({
            data: bundle.source,
            lambdas,
            keepProbs,
            ...(axis && { setting: axis }),
            folds: o.folds,
            seeds,
            splitSeed: o.splitSeed,
            rule: o.rule,
            runs,
            workers,
            seconds,
            config: base,
            points: result.points,
            winner: {
              lambda: win.lambda,
              keepProb: win.keepProb,
              ...(axis && { [axis.name]: win.setting }),
              reason: result.reason,
            },
            // The article's claims this sweep can decide: over-smoothing (λ), the wide layer (keepProb).
            claims: {
              overSmoothing: lambdaReading(result) ?? null,
              wideLayer: wideLayerNote(result) ?? null,
            },
            final: {
              seed: seeds[0],
              trainAccuracy: final.scores.train.accuracy,
              trainInterval: interval(final.scores.train),
              testAccuracy: test?.accuracy ?? null,
              testInterval: test ? interval(test) : null,
              seconds: final.seconds,
            },
          })}\n`,
        );
      } else {
        const axes = sweptAxes(result);
        const header = [
          ...(axes.lambda ? ["λ"] : []),
          ...(axes.keepProb ? ["keepProb"] : []),
          ...(axes.setting ? [axes.setting] : []),
          "train accuracy ± sd [95% CI]",
          "dev accuracy ± sd [95% CI]",
          "train cost",
          "dev cost",
          "",
        ];
        const perConfig = o.folds * seeds.length;
        const rows = result.points.map((p) => [
          ...(axes.lambda ? [String(p.lambda)] : []),
          ...(axes.keepProb ? [keepProbText(p.keepProb)] : []),
          ...(axes.setting ? [String(p.setting)] : []),
          ...(p.diverged
            ? [`diverged (${p.diverged.runs} of ${perConfig} runs)`, "not scored", "", ""]
            : [
                accuracyCell(p.trainAccuracy, m),
                accuracyCell(p.devAccuracy, m),
                costCell(p.trainCost),
                costCell(p.devCost),
              ]),
          p.index === result.winner ? "◀ chosen" : "",
        ]);
        const diverged = result.points.find((p) => p.diverged);
        io.out(
          `\nValidation curves: mean ± sd over ${o.folds} folds × ${seeds.length} seed${seeds.length > 1 ? "s" : ""}; ` +
            `intervals treat each mean as a proportion of the ${m} training examples; costs are cross-entropy without the L2 term\n\n`,
        );
        io.out(`${textTable(header, rows)}\n\n`);
        io.out(
          `Chosen on validation: ${configLabel(win, axes)} (${result.reason}; its mean dev accuracy ${pct(win.devAccuracy.mean)}).\n`,
        );
        if (diverged?.diverged)
          io.out(
            `Diverged runs are reported, never scored or chosen; the first: ${diverged.diverged.message}\n`,
          );
        const note = overSmoothingNote(result);
        if (note) io.out(`${note}\n`);
        const wide = wideLayerNote(result);
        if (wide) io.out(`${wide}\n`);
        io.out(
          `Retrained on all ${m} training examples (seed ${seeds[0]}): train ${formatAccuracy(final.scores.train.accuracy, m)}` +
            (test
              ? `, test ${formatAccuracy(test.accuracy, test.n)} — the test set's only use.\n`
              : "; no test set to score it on.\n"),
        );
        io.out(
          `Took ${seconds.toFixed(1)} s (${runs + 1} runs on ${o.queue ? queueWhere(o.queue) : `${workers} worker thread${workers > 1 ? "s" : ""}`}).\n`,
        );
      }
      if (o.plot) {
        await writeFigure(o.plot, sweepPlot(result, "accuracy"), io.signal);
        if (!o.json) io.out(`Wrote the accuracy curves to ${o.plot}\n`);
      }
      if (o.costPlot) {
        await writeFigure(o.costPlot, sweepPlot(result, "cost"), io.signal);
        if (!o.json) io.out(`Wrote the cost curves to ${o.costPlot}\n`);
      }
    });
}
