import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import {
  type BandSeries,
  bundleClassCount,
  type DataBundle,
  DataError,
  DataResolver,
  describeConfig,
  type FitJob,
  type FitJobResult,
  type KeepProb,
  keepProbText,
  MASK_POLICIES,
  meanKeep,
  type OverSmoothing,
  overSmoothing,
  plotBands,
  resolveRunConfig,
  runSweep,
  SELECTION_RULES,
  type SelectionRule,
  type Spread,
  type SweepPoint,
  type SweepResult,
  type VerticalMarker,
  wideLayerClaim,
  wilsonInterval,
} from "../../index.js";
import { defaultWorkerCount, JobFailedError, PoolAbortedError, workerRunner } from "../../node/index.js";
import { addDataOptions, type DataOptionValues, describeBundle, loadBundle } from "../data-options.js";
import { addModelOptions, type ModelOptionValues, runConfigFrom } from "../model-options.js";
import { checkOutputPath, writeFigure } from "../output.js";
import { nonNegativeNumber, oneOf, parseList, parseNumber, positiveInteger, seedNumber } from "../parse.js";
import {
  addQueueOption,
  checkQueueUrl,
  openQueueRunner,
  queueWhere,
  reportQueueFailures,
} from "../queue-options.js";
import { formatAccuracy, textTable } from "../report-text.js";
import { ExitStatus, type Io, UsageError } from "../runtime.js";

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
const keepProbability = parseNumber("a probability in (0, 1]", (v) => v > 0 && v <= 1);
/** "0.5:1,0.7:1,0.86" — commas separate the settings, colons the hidden layers within one. */
const keepProbList = parseList((raw: string): KeepProb => {
  const layers = raw.split(":").map((v) => keepProbability(v));
  return layers.length === 1 ? layers[0] : layers;
}, "keep probabilities in (0, 1] like 0.7,0.86,1, or per hidden layer like 0.5:1,0.86:0.86");

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** "92.4% ± 4.7 [88.0, 95.3]": mean ± sd in points, and a Wilson interval over `n` examples. */
function accuracyCell(s: Spread, n: number): string {
  const iv = wilsonInterval(Math.round(s.mean * n), n);
  return `${pct(s.mean)} ± ${(100 * s.sd).toFixed(1)} [${(100 * iv.low).toFixed(1)}, ${(100 * iv.high).toFixed(1)}]`;
}

const costCell = (s: Spread) => `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}`;

function sweptAxes(r: SweepResult): { lambda: boolean; keepProb: boolean } {
  const keepProb = r.spec.keepProbs.length > 1;
  return { lambda: r.spec.lambdas.length > 1 || !keepProb, keepProb };
}

function configLabel(
  p: { lambda: number; keepProb: KeepProb },
  axes: { lambda: boolean; keepProb: boolean },
) {
  const parts: string[] = [];
  if (axes.lambda) parts.push(`λ = ${p.lambda}`);
  if (axes.keepProb) parts.push(`keepProb = ${keepProbText(p.keepProb)}`);
  return parts.join(", ");
}

/** The bias/variance reading of the λ curve at the winner's keepProb (the seed's claim 2). */
export function lambdaReading(r: SweepResult): OverSmoothing | undefined {
  if (r.spec.lambdas.length < 2) return undefined;
  const w = r.points[r.winner];
  const curve = r.points.filter((p) => p.keepProb === w.keepProb && !p.diverged);
  return overSmoothing(
    curve.map((p) => ({
      value: p.lambda,
      trainAccuracy: p.trainAccuracy.mean,
      devAccuracy: p.devAccuracy.mean,
    })),
  );
}

/** What the λ curve says: diverged larger λ, or the bias/variance reading. */
export function overSmoothingNote(r: SweepResult): string | undefined {
  if (r.spec.lambdas.length < 2) return undefined;
  const w = r.points[r.winner];
  const beyond = r.points.filter((p) => p.keepProb === w.keepProb && p.lambda > w.lambda);
  if (beyond.length > 0 && beyond.every((p) => p.diverged))
    return `Every larger λ tried diverged; try values between ${w.lambda} and ${beyond[0].lambda}.`;
  return lambdaReading(r)?.sentence;
}

/** Whether the widest hidden layer wanted the lower keepProb (the seed's claim 3), at the winner's λ. */
export function wideLayerNote(r: SweepResult): string | undefined {
  if (!r.spec.keepProbs.some((k) => typeof k !== "number")) return undefined;
  const w = r.points[r.winner];
  const layers = r.spec.base.hidden.length;
  const curve = r.points.filter((p) => p.lambda === w.lambda && !p.diverged);
  const points = curve.map((p) => ({
    keepProb: typeof p.keepProb === "number" ? Array<number>(layers).fill(p.keepProb) : p.keepProb,
    devAccuracy: p.devAccuracy.mean,
  }));
  return wideLayerClaim(points, r.spec.base.hidden, curve.indexOf(w)).sentence;
}

/** x positions for the plot: λ on a log axis puts λ = 0 one grid step below the smallest λ > 0. */
function plotAxis(r: SweepResult): {
  name: string;
  values: number[];
  logX: boolean;
  label: string;
  zero?: number;
} {
  const axes = sweptAxes(r);
  if (!axes.lambda) {
    const keeps = r.spec.keepProbs;
    if (keeps.every((k) => typeof k === "number")) {
      return {
        name: "keepProb",
        values: keeps as number[],
        logX: false,
        label: "keepProb (probability of keeping a unit)",
      };
    }
    // Per-layer settings have no one number: number them, and say which is which.
    return {
      name: "keepProb",
      values: keeps.map((_, i) => i + 1),
      logX: false,
      label: `keepProb per hidden layer: ${keeps.map((k, i) => `${i + 1} = ${keepProbText(k)}`).join(", ")}`,
    };
  }
  const positive = r.spec.lambdas.filter((v) => v > 0).sort((a, b) => a - b);
  const logX = positive.length >= 2 && positive[positive.length - 1] / positive[0] >= 10;
  if (!logX) return { name: "λ", values: r.spec.lambdas, logX: false, label: "λ (L2 strength)" };
  const step = positive[1] / positive[0];
  const zero = positive[0] / step;
  const values = r.spec.lambdas.map((v) => (v === 0 ? zero : v));
  const hasZero = r.spec.lambdas.includes(0);
  const label = hasZero ? `λ (log scale; λ = 0 drawn at ${Number(zero.toPrecision(2))})` : "λ (log scale)";
  return { name: "λ", values, logX, label, ...(hasZero && { zero }) };
}

/** Validation curves (mean ± sd bands) of accuracy or cost against the swept value. */
export function sweepPlot(r: SweepResult, what: "accuracy" | "cost"): string {
  const axis = plotAxis(r);
  const axes = sweptAxes(r);
  const groupBy = axes.lambda && axes.keepProb ? "keepProb" : undefined;
  const xOf = (p: SweepPoint) =>
    axis.values[axis.name === "λ" ? r.spec.lambdas.indexOf(p.lambda) : r.spec.keepProbs.indexOf(p.keepProb)];
  const band = (name: string, all: SweepPoint[], key: "train" | "dev", dashed: boolean): BandSeries => {
    // A diverged configuration has no score to draw.
    const pts = all.filter((p) => !p.diverged);
    const s = pts.map((p) => (what === "accuracy" ? p[`${key}Accuracy`] : p[`${key}Cost`]));
    return {
      name,
      x: pts.map(xOf),
      mean: s.map((v) => v.mean),
      low: s.map((v) => v.mean - v.sd),
      high: s.map((v) => v.mean + v.sd),
      dashed,
    };
  };
  const series: BandSeries[] = [];
  if (groupBy) {
    for (const kp of r.spec.keepProbs) {
      series.push(
        band(
          `dev, keepProb ${keepProbText(kp)}`,
          r.points.filter((p) => p.keepProb === kp),
          "dev",
          false,
        ),
      );
    }
  } else {
    series.push(band("train (mean ± sd)", r.points, "train", true));
    series.push(band("dev (mean ± sd)", r.points, "dev", false));
  }
  const w = r.points[r.winner];
  const markers: VerticalMarker[] = [{ x: xOf(w), label: `chosen: ${configLabel(w, axes)}` }];
  if (axis.zero !== undefined) markers.push({ x: axis.zero, label: "λ = 0" });
  const runs = `${r.spec.folds} folds × ${r.spec.seeds.length} seed${r.spec.seeds.length > 1 ? "s" : ""}`;
  // Where train and dev accuracy both fall: high bias, shaded from that λ to the axis's end.
  const reading = axis.name === "λ" ? lambdaReading(r) : undefined;
  const regions = [];
  if (reading?.from !== undefined) {
    // From halfway (on the axis's own scale) between the λ before it and the first over-smoothed λ.
    const xs = [...axis.values].sort((p, q) => p - q);
    const at = axis.values[r.spec.lambdas.indexOf(reading.from)];
    const before = xs.filter((v) => v < at).at(-1);
    const start = before === undefined ? at : axis.logX ? Math.sqrt(before * at) : (before + at) / 2;
    regions.push({ from: start, to: Number.POSITIVE_INFINITY, label: "over-smoothed: high bias" });
  }
  return plotBands(series, {
    regions,
    title: `Validation curves: ${what} against ${axis.name} (${runs})`,
    xLabel: axis.label,
    yLabel: what === "accuracy" ? "accuracy" : "cross-entropy (no L2 term)",
    logX: axis.logX,
    markers,
  });
}

function describeJob(job: FitJob): string {
  const c = job.config;
  const fold = job.train.set === "fold" ? `, fold ${job.train.fold + 1}` : ", all training data";
  return `λ = ${c.lambda}, keepProb = ${keepProbText(c.keepProb ?? 1)}${fold}, seed ${c.seed}`;
}

/** Progress over runs: a bar on a terminal, a line every 10 % otherwise. */
function runProgress(io: Io, quiet: boolean | undefined) {
  let bar: SingleBar | undefined;
  let step = 1;
  return {
    start(total: number) {
      if (quiet) return;
      if (io.errIsTTY && io.errStream) {
        bar = new SingleBar({
          stream: io.errStream,
          format: "sweep [{bar}] {value}/{total} runs | eta {eta}s",
          barsize: Math.max(10, Math.min(30, io.errColumns - 50)),
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(total, 0);
      }
      step = Math.max(1, Math.round(total / 10));
    },
    tick(done: number, total: number) {
      if (quiet) return;
      if (bar) bar.update(done);
      else if (done % step === 0 || done === total) io.err(`sweep: ${done}/${total} runs done\n`);
    },
    stop() {
      bar?.stop();
    },
  };
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
      keepProbList,
    )
    .option(
      "--dropout-masks <policy>",
      "fresh (real dropout) or fixed (the seed's reseeded masks)",
      oneOf(MASK_POLICIES),
      "fresh",
    )
    .option("--folds <k>", "stratified cross-validation folds", positiveInteger, 5)
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
  cmd
    .addHelpText(
      "after",
      `
Examples:
  $ reglab sweep --data football.mat                                  # λ from 0 to 10, 5 folds
  $ reglab sweep --data football.mat --seeds 5 --plot lambda.svg
  $ reglab sweep --data football.mat --seeds 3 --rule 1se             # prefer the smoother model
  $ reglab sweep --data football.mat --lambda 0 --keep-prob 0.5,0.7,0.86,1 --json
  $ reglab sweep --data football.mat --keep-prob 0.5:1,0.7:1,0.86:1,0.86:0.86   # per layer
  $ reglab sweep --data football.mat --seeds 5 --queue redis://queue.lan:6379   # on reglab workers`,
    )
    .action(async (o: SweepOptions) => {
      if (o.plot) checkOutputPath(o.plot, "--plot", [".svg", ".png"]);
      if (o.costPlot) checkOutputPath(o.costPlot, "--cost-plot", [".svg", ".png"]);
      if (o.queue) checkQueueUrl(o.queue);
      if (o.folds < 2) throw new UsageError(`--folds: expected a whole number ≥ 2, got '${o.folds}'`);
      const bundle: DataBundle = await loadBundle(o);
      const lambdas = o.lambda ?? (o.keepProb ? [0] : DEFAULT_LAMBDAS);
      const keepProbs = o.keepProb ?? [1];
      for (const [flag, values] of [
        ["--lambda", lambdas],
        ["--keep-prob", keepProbs],
      ] as const) {
        const texts = values.map((v) => keepProbText(v));
        if (new Set(texts).size !== texts.length) throw new UsageError(`${flag}: a value is listed twice`);
      }
      const base = resolveRunConfig({
        ...runConfigFrom({ ...o, lambda: lambdas[0], keepProb: keepProbs[0] }),
      });
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
      const runs = lambdas.length * keepProbs.length * o.folds * seeds.length;
      const workers = o.workers ?? defaultWorkerCount(runs);
      const say = o.json ? () => {} : io.out;
      say(`Data: ${describeBundle(bundle)}\n`);
      say(
        `Model: ${describeConfig(base, bundle.train.X.rows, { regularization: false, classes: bundleClassCount(bundle) })}\n`,
      );
      say(
        `Sweep: λ ∈ {${lambdas.join(", ")}} × keepProb ∈ {${keepProbs.map(keepProbText).join(", ")}}${keepProbs.some((k) => meanKeep(k) < 1) ? ` (${base.dropoutMasks} masks)` : ""}; ` +
          `${o.folds} stratified folds (split seed ${o.splitSeed}) × ${seeds.length} seed${seeds.length > 1 ? "s" : ""} (${seeds.join(", ")}) ` +
          `= ${runs} runs + 1 final, on ${o.queue ? queueWhere(o.queue) : `${workers} worker thread${workers > 1 ? "s" : ""}`}\n`,
      );
      const progress = runProgress(io, o.quiet || o.queue !== undefined);
      const queue = o.queue ? openQueueRunner(io, bundle, o.queue, "sweep", o.quiet) : undefined;
      progress.start(runs + 1);
      const t0 = io.now();
      let result: SweepResult;
      try {
        result = await runSweep(
          bundle,
          { base, lambdas, keepProbs, folds: o.folds, seeds, splitSeed: o.splitSeed, rule: o.rule },
          {
            runner: queue ?? workerRunner(bundle, { workers, signal: io.signal }),
            onResult: (_r: FitJobResult, done, total) => progress.tick(done, total),
          },
        );
      } catch (e) {
        progress.stop();
        if (e instanceof PoolAbortedError) {
          io.err("reglab: sweep interrupted\n");
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
            folds: o.folds,
            seeds,
            splitSeed: o.splitSeed,
            rule: o.rule,
            runs,
            workers,
            seconds,
            config: base,
            points: result.points,
            winner: { lambda: win.lambda, keepProb: win.keepProb, reason: result.reason },
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
        await writeFigure(o.plot, sweepPlot(result, "accuracy"));
        if (!o.json) io.out(`Wrote the accuracy curves to ${o.plot}\n`);
      }
      if (o.costPlot) {
        await writeFigure(o.costPlot, sweepPlot(result, "cost"));
        if (!o.json) io.out(`Wrote the cost curves to ${o.costPlot}\n`);
      }
    });
}
