import type { Command } from "commander";
import {
  baselineSentence,
  baselineSummary,
  bundleClassCount,
  type ComparisonModel,
  calibration,
  calibrationSentence,
  confusionJson,
  confusionMatrix,
  DIGITS_DEFAULT_TRAIN_SIZE,
  describeConfig,
  explainRow,
  type JobRunner,
  type LearningRatePoint,
  maxNormRow,
  modelSetFor,
  orthogonalizationClaim,
  PROBE_FACTORS,
  pairPowerStatements,
  pairwiseMcNemar,
  pickModels,
  powerLines,
  type RunConfig,
  regularizerClaims,
  reportClaims,
  resolveRunConfig,
  runComparison,
  runLearningRateProbe,
  significanceLine,
  sparsitySentence,
  specText,
  testSpread,
  zeroWeights,
} from "../../index.js";
import {
  defaultThreadCount,
  defaultWorkerCount,
  nodeHelperSpawner,
  PoolAbortedError,
  workerRunner,
} from "../../node/index.js";
import { cnnSetOf, compareCrossValidated } from "../compare-cv.js";
import { runSeconds, warnIfLong } from "../data-defaults.js";
import { addDataOptions, type DataOptionValues, describeBundle, loadBundle } from "../data-options.js";
import { iterationCount, parseList, positiveInteger } from "../parse.js";
import { RunSeries, runOptions } from "../progress.js";
import { addQueueOption, checkQueueUrl, openQueueRunner, reportQueueFailures } from "../queue-options.js";
import { checkOutputDir, writeCompareReport } from "../report.js";
import { claimsText, formatAccuracy, textTable } from "../report-text.js";
import { ExitStatus, type Io, phase, stopIfInterrupted, UsageError } from "../runtime.js";

interface CompareOptions extends DataOptionValues {
  json?: boolean;
  iterations?: number;
  seeds: number;
  workers?: number;
  queue?: string;
  quiet?: boolean;
  report?: string;
  models?: string[];
  threads?: number;
  cv?: number;
  repeats: number;
  cnn?: boolean;
}

/** Training digits `compare --dataset digits` uses when not told (loadBundle's default subset). */
export const COMPARE_DIGITS_TRAIN_SIZE = DIGITS_DEFAULT_TRAIN_SIZE;

const modelKeys = parseList((raw: string) => raw.trim(), "model keys like none,elastic");

/** The last recorded cost, with its iteration when the run stopped before the others. */
function costCell(h: { iterations: number[]; costs: number[] }, last: number): string {
  const c = (h.costs.at(-1) ?? Number.NaN).toFixed(4);
  const at = h.iterations.at(-1) ?? 0;
  return at === last ? c : `${c} (@ ${at})`;
}

/**
 * The row whose max-norm claim a learning-rate sweep decides (as maxNormRow picks it from the
 * results), known before training so the sweep's runs count from the start.
 */
export function probeModel(
  models: readonly ComparisonModel[],
  base: Partial<RunConfig>,
): ComparisonModel | undefined {
  return models.find((m) => {
    if (m.earlyStopping || m.holdOut || m.augment) return false;
    const c = resolveRunConfig({ ...base, ...m.overrides });
    const dropout = typeof c.keepProb === "number" ? c.keepProb < 1 : c.keepProb.some((k) => k < 1);
    return dropout && c.regularizers.some((r) => r.kind === "max-norm");
  });
}

/**
 * A runner whose runs count in `series`, from index `offset` on in job order, `workers` at once
 * (1 for a queue, whose workers it cannot count).
 */
function counted(runner: JobRunner, series: RunSeries, offset: number, workers: number): JobRunner {
  return (jobs, onResult) => {
    const at = new Map(jobs.map((j, i) => [j.id, offset + i]));
    series.dispatched([...at.values()], workers);
    return runner(jobs, (r, done) => {
      series.complete(at.get(r.id) ?? offset, r.iterationsRun);
      onResult?.(r, done);
    });
  };
}

export function registerCompare(program: Command, io: Io): void {
  const cmd = program
    .command("compare")
    .summary("the article's experiment: no regularization, L2, dropout, side by side")
    .description(
      "Train the models of the article (“Regularization in Deep Learning Models”) on the same\n" +
        "data — no regularization, L2 (λ = 0.7), dropout (keepProb 0.86) with the reference code's\n" +
        "fixed masks, and real dropout with fresh masks —\n" +
        "and print train and test accuracy (with 95 % Wilson intervals), last cost and time. An early-\n" +
        "stopping row trains on 80 % of the training set and stops on the other 20 % (split seed 0); an\n" +
        '"L2, trained to the end" row trains L2 on the same 80 % for all iterations (the article\'s\n' +
        "orthogonalization advice), and a line says which of the two won, by McNemar's test.\n" +
        "--seeds N repeats every model from N initial seeds (3, 4, …; the extra runs on worker threads)\n" +
        "and adds the spread of test accuracy over them; a last line says which differences are\n" +
        "significant by McNemar's test (Holm-corrected over the pairs).\n\n" +
        "The models are chosen by the data. Plain features (football): the models above. RGB images\n" +
        "(e.g. the cat .h5 files): the course's [n_x, 20, 7, 5, 1] net, α = 0.0075, 1 000 iterations\n" +
        "(the course runs 2 500: pass --iterations 2500), as none, l2, dropout, early-stopping, flip,\n" +
        "flip-crop and l2-flip-crop (augmented online, every batch afresh). Grayscale images (--dataset\n" +
        "digits): [n_x, 64, K], Adam α = 0.001, batches of 64, 2 000 steps, as none, l2, dropout,\n" +
        "elastic, affine and combined (elastic + affine, dropout 0.8); augmenting rows train on 4\n" +
        "distorted copies of each digit beside it, drawn once from the run's seed. λ, keepProb and the\n" +
        "combinations were chosen on a dev split of the training data, never the test set. Augmentation\n" +
        `touches the training data only. --dataset digits trains on ${COMPARE_DIGITS_TRAIN_SIZE} digits unless --train-size says\n` +
        "otherwise and tests on all 10 000. --models picks rows by key, and also runs rows beside the\n" +
        "default set (strengths illustrative, not tuned): l1, elastic-net, max-norm-dropout, noise,\n" +
        "gaussian-dropout, label-smoothing, adamw, adam-l2, cosine.\n\n" +
        "Each pair also gets a power statement: the smallest gain McNemar's test detects at 80 % power\n" +
        "(Connor's approximation at the pair's disagreement rate). --cv K --repeats R scores the models by\n" +
        "repeated stratified K-fold cross-validation over all labelled examples instead (train and test\n" +
        "pooled; digits: the training subset), with Nadeau & Bengio's corrected resampled t — reported as\n" +
        "cross-validation, not a test score. --cnn (on images) takes the convolutional sets instead: cats, a\n" +
        "CNN with none, l2, dropout, spatial-dropout, flip, flip-crop and combined; digits, the dense net\n" +
        "beside a CNN with and without elastic + affine distortions — on the test set, or under --cv.",
    );
  addDataOptions(cmd);
  cmd
    .option("--iterations <n>", "iterations per model (the article uses 30 000)", iterationCount)
    .option("--seeds <n>", "repeat every model from n initial seeds: 3, 4, …", positiveInteger, 1)
    .option(
      "--workers <n>",
      "worker threads for the extra seeds (default: min(cores, runs))",
      positiveInteger,
    )
    .option("--json", "print one JSON object { models: [...] } on stdout")
    .option("--models <keys>", "only these models, by key (e.g. none,elastic; see above)", modelKeys)
    .option(
      "--threads <n>",
      "threads for each of the first seed's runs (same results for any count; default: all cores, or 1 beside --seeds' workers)",
      positiveInteger,
    )
    .option("--quiet", "no progress output")
    .option(
      "--cv <k>",
      "repeated stratified k-fold cross-validation over all labelled examples instead",
      positiveInteger,
    )
    .option("--repeats <r>", "with --cv: r repetitions, each with other folds", positiveInteger, 1)
    .option("--cnn", "on images: the convolutional model sets (with or without --cv)")
    .option("--report <dir>", "write DIR/index.html (tables, figures, configs) and one PNG per figure");
  addQueueOption(cmd);
  cmd
    .addHelpText(
      "after",
      `
Examples:
  $ reglab compare                                  # on the built-in football stand-in
  $ reglab compare --dataset digits                 # 1 000 digits, augmented or not, on 10 000 test digits
  $ reglab compare --dataset digits --seeds 3 --report digits-report/
  $ reglab compare --data ../shared/datasets/train_catvnoncat.h5 --test ../shared/datasets/test_catvnoncat.h5
  $ reglab compare --data ../shared/datasets/football.mat
  $ reglab compare --data football.mat --seeds 10         # spread over seeds, McNemar per seed
  $ reglab compare --data football.mat --json > results.json
  $ reglab compare --data football.mat --report report/   # then open report/index.html
  $ reglab compare --dataset digits --cnn --seeds 3     # the dense net beside a CNN, McNemar over seeds
  $ reglab compare --data train_catvnoncat.h5 --test test_catvnoncat.h5 --cnn --cv 5 --models none,flip`,
    )
    .action(async (o: CompareOptions) => {
      if (o.report) checkOutputDir(o.report, "--report");
      if (o.queue) checkQueueUrl(o.queue);
      phase(io, "load");
      const bundle = await loadBundle(o);
      if (o.cv !== undefined) return compareCrossValidated(io, bundle, { ...o, cv: o.cv });
      // --cnn: the convolutional sets, on the test set as the dense ones (no extra rows).
      const set = o.cnn ? { ...cnnSetOf(bundle), extra: [] } : modelSetFor(bundle);
      let models: readonly ComparisonModel[] = set.models;
      if (o.models) {
        try {
          models = pickModels(set, o.models);
        } catch (e) {
          throw new UsageError(`--models: ${(e as Error).message}`);
        }
      }
      const base = { ...set.base, ...(o.iterations ? { iterations: o.iterations } : {}) };
      const resolved = resolveRunConfig(base);
      const iterations = resolved.iterations;
      if (!o.json) io.out(`Data: ${describeBundle(bundle)}\n`);
      const seeds = Array.from({ length: o.seeds }, (_, i) => 3 + i);
      const extraRuns = (o.seeds - 1) * models.length;
      // Per model: a CNN row costs far more than a dense one.
      const classCountK = bundleClassCount(bundle);
      const perSeed = models.reduce(
        (t, m) =>
          t + runSeconds(bundle.train, resolveRunConfig({ ...base, ...m.overrides }), classCountK, m.layers),
        0,
      );
      warnIfLong(io, perSeed * o.seeds, `this comparison (${models.length * o.seeds} runs)`);
      // Every run this command makes: the first seed's here, the other seeds' on workers (or a
      // queue), and the max-norm claim's learning-rate sweep: "k of N runs done" and one ETA.
      const probe = probeModel(models, base) ? 2 * PROBE_FACTORS.length : 0;
      const series = new RunSeries(
        io,
        Array.from({ length: models.length * o.seeds + probe }, () => iterations),
        "model",
        "compare",
        o.quiet,
      );
      const stopWatch = series.watch();
      const queue =
        o.queue && extraRuns > 0 ? openQueueRunner(io, bundle, o.queue, "compare", o.quiet) : undefined;
      const seedWorkers = queue ? 1 : (o.workers ?? defaultWorkerCount(extraRuns));
      const seedRunner: JobRunner | undefined =
        extraRuns > 0
          ? (queue ?? workerRunner(bundle, { workers: seedWorkers, signal: io.signal }))
          : undefined;
      let rows: Awaited<ReturnType<typeof runComparison>>;
      await stopIfInterrupted(io, "before training");
      phase(io, "train");
      try {
        rows = await runComparison(bundle, {
          base,
          models,
          seeds,
          // Image runs are short: ten points on the test curve (football keeps one per 1000).
          ...(set.name !== "football" && { testEvery: Math.max(1, Math.round(iterations / 10)) }),
          ...(seedRunner && { runner: counted(seedRunner, series, models.length, seedWorkers) }),
          // The first seed's runs train here: on every core when nothing else runs beside them.
          trainOptions: (model) => ({
            ...runOptions(io, model.name, o.quiet, 0.5, {
              series,
              index: models.indexOf(model),
              place: `model ${models.indexOf(model) + 1} of ${models.length}${o.seeds > 1 ? ", seed 3" : ""}`,
            }),
            threads: o.threads ?? (extraRuns > 0 ? 1 : defaultThreadCount()),
            spawnHelper: nodeHelperSpawner,
          }),
        });
      } catch (e) {
        stopWatch();
        if (e instanceof PoolAbortedError) {
          io.err("reglab: compare interrupted; no result was written\n");
          throw new ExitStatus(130);
        }
        reportQueueFailures(
          io,
          e,
          (job) => `${models[Math.floor(job.id / seeds.length)].name}, seed ${job.config.seed}`,
        );
      } finally {
        await queue?.close();
      }
      // The max-norm claim's learning-rate sweep, when a max-norm + dropout row ran.
      const maxNorm = maxNormRow(rows);
      let learningRates: LearningRatePoint[] | undefined;
      if (maxNorm) {
        if (!o.json && !o.quiet)
          io.err(`Learning-rate sweep of “${maxNorm.model.name}”, with and without max-norm…\n`);
        const probeWorkers = o.workers ?? defaultWorkerCount(8);
        learningRates = await runLearningRateProbe(bundle, maxNorm.result.config, {
          runner: counted(
            workerRunner(bundle, { workers: probeWorkers, signal: io.signal }),
            series,
            models.length * o.seeds,
            probeWorkers,
          ),
        }).catch((e) => {
          stopWatch();
          if (!(e instanceof PoolAbortedError)) throw e;
          io.err("reglab: compare interrupted\n");
          throw new ExitStatus(130);
        });
      }
      stopWatch();
      const regClaims = regularizerClaims(rows, bundle, learningRates);
      await stopIfInterrupted(io, "before the results were written");
      phase(io, "report");
      const reported = o.report
        ? await writeCompareReport(o.report, rows, bundle, { ...o, regularizerClaims: regClaims }, io.signal)
        : "";
      const baseline = baselineSummary(
        bundle,
        rows.map((r) => ({ ...r, name: r.model.name })),
      );
      const classNames =
        bundle.classes ?? Array.from({ length: bundleClassCount(bundle) }, (_, c) => String(c));
      if (o.json) {
        if (reported) io.err(reported);
        const test = bundle.test;
        const modelsJson = rows.map((r) => ({
          name: r.model.name,
          key: r.model.key,
          trainAccuracy: r.trainAccuracy,
          testAccuracy: r.testAccuracy,
          trainExamples: r.trainExamples,
          costs: r.result.history.costs,
          weightNorms: r.result.history.weightNorms,
          zeroWeights: zeroWeights(r.result.network.weights),
          ...(test && { calibration: calibration(r.result.network, test) }),
          seconds: r.result.seconds,
          config: r.result.config,
          ...(r.earlyStopping && { earlyStopping: r.earlyStopping }),
          ...(r.model.augment && { augment: r.model.augment, fittedExamples: r.fittedExamples }),
          ...(test && {
            testConfusion: confusionJson(
              confusionMatrix(test.y, r.result.network.predict(test.X), classNames),
            ),
          }),
          seeds: r.seeds.map(({ testCorrect: _, ...s }) => s),
          testSpread: testSpread(r),
        }));
        io.out(
          `${JSON.stringify({
            data: bundle.source,
            modelSet: set.name,
            models: modelsJson,
            baseline,
            mcnemar: pairwiseMcNemar(rows),
            ...(test && { power: pairPowerStatements(pairwiseMcNemar(rows), test.X.cols) }),
            claims: reportClaims(rows, `reglab check${o.data ? ` --data ${o.data}` : ""}`),
            regularizerClaims: regClaims,
            // L1's claim, measured (the rows' zeroWeights in words), when an L1 row ran.
            ...(sparsitySentence(rows) && { sparsity: sparsitySentence(rows) }),
            ...(calibrationSentence(rows, test) && { calibration: calibrationSentence(rows, test) }),
          })}\n`,
        );
        return;
      }
      const first = rows[0].result.config;
      const setNote = set.name === "football" ? "" : ` (${set.description}; --models picks rows by key)`;
      io.out(
        `Models${setNote}: ${describeConfig(rows[0].model.layers && first.init === "reference" ? { ...first, init: "he" } : first, bundle.train.X.rows, { regularization: false, classes: bundleClassCount(bundle), ...(rows[0].model.layers && { layers: rows[0].model.layers.map(specText) }) })}\n\n`,
      );
      const mTrain = bundle.train.X.cols;
      const mTest = bundle.test?.X.cols ?? 0;
      const last = rows[0].result.history.iterations.at(-1) ?? 0;
      const many = o.seeds > 1;
      const spreadCell = (r: (typeof rows)[number]) => {
        const sp = testSpread(r);
        if (!sp) return "—";
        const p = (x: number) => (100 * x).toFixed(1);
        return `${p(sp.mean)}% ± ${p(sp.sd)} (${p(sp.min)}–${p(sp.max)})`;
      };
      const table = textTable(
        [
          "model",
          `train accuracy [95% CI]${many ? ", seed 3" : ""}`,
          `test accuracy [95% CI]${many ? ", seed 3" : ""}`,
          ...(many ? [`test over ${o.seeds} seeds: mean ± sd (min–max)`] : []),
          `cost @ ${last}`,
          "seconds",
        ],
        [
          ...rows.map((r) => [
            r.model.name,
            formatAccuracy(r.trainAccuracy, r.trainExamples ?? mTrain),
            r.testAccuracy === null ? "no test set" : formatAccuracy(r.testAccuracy, mTest),
            ...(many ? [spreadCell(r)] : []),
            costCell(r.result.history, last),
            r.result.seconds.toFixed(2),
          ]),
          // On imbalanced data, what always answering the majority class scores.
          ...(baseline.imbalanced
            ? [
                [
                  `always ${baseline.label} (majority class)`,
                  formatAccuracy(baseline.trainAccuracy, mTrain),
                  baseline.testAccuracy === null
                    ? "no test set"
                    : formatAccuracy(baseline.testAccuracy, mTest),
                  ...(many ? ["—"] : []),
                  "—",
                  "—",
                ],
              ]
            : []),
        ],
      );
      io.out(`${table}\n\n`);
      if (baseline.imbalanced) io.out(`${baselineSentence(baseline)}\n\n`);
      for (const r of rows) io.out(`- ${r.model.name}: ${explainRow(r, rows[0])}\n`);
      const sparsity = sparsitySentence(rows);
      if (sparsity) io.out(`${sparsity}\n`);
      const calibrated = calibrationSentence(rows, bundle.test);
      if (calibrated) io.out(`${calibrated}\n`);
      const measured = claimsText(
        "\nThe regularizers' claims, measured:",
        regClaims.claims,
        regClaims.thresholds,
      );
      if (measured) io.out(measured);
      if (set.name !== "football") {
        io.out(`Keys for --models: ${[...set.models, ...set.extra].map((m) => m.key).join(", ")}\n`);
      }
      if (bundle.test) io.out(`\n${significanceLine(rows)}\n`);
      if (bundle.test)
        for (const line of powerLines(pairwiseMcNemar(rows), mTest, rows[0].model.name)) io.out(`${line}\n`);
      const es = rows.find((r) => r.model.earlyStopping);
      const toEnd = rows.find((r) => r.model.holdOut);
      if (es?.testCorrect && toEnd?.testCorrect) {
        const scored = (r: typeof es) => ({
          name: r.model.name,
          testAccuracy: r.testAccuracy!,
          testCorrect: r.testCorrect!,
        });
        io.out(`${orthogonalizationClaim(scored(toEnd), scored(es)).sentence}\n`);
      }
      if (reported) io.out(`\n${reported}`);
    });
}
