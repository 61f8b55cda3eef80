import { type LayerSpec, specText } from "../core/layers/spec.js";
import { accuracy } from "../core/network.js";
import { zeroWeights } from "../core/regularizers.js";
import { type Augmentation, describeAugmentation } from "../data/augment/augmentation.js";
import { bundleClassCount, type DataBundle, type Dataset } from "../data/dataset.js";
import { type RunConfig, resolveRunConfig } from "../training/config.js";
import { type EarlyStopping, type EarlyStoppingOptions, earlyStopping } from "../training/early-stopping.js";
import { DivergenceError } from "../training/errors.js";
import type { LayeredFitResult } from "../training/layer-trainer.js";
import { activeSettings } from "../training/settings.js";
import type { FitOptions, FitResult } from "../training/train.js";
import { calibration } from "./calibration.js";
import {
  type DataRef,
  DataResolver,
  divergenceOf,
  type FitJob,
  fitAugmented,
  inProcessRunner,
  type JobRunner,
} from "./jobs.js";
import { holm, mcnemar, mean, std } from "./stats.js";
import { type TestPoint, testCurveCallback } from "./test-curve.js";

/** Holm's correction lives with the other statistics; exported here too, where it always was. */
export { holm } from "./stats.js";
export type { TestPoint } from "./test-curve.js";

/** Early stopping as a model of the comparison: it trains on part of the training set. */
export interface ComparisonEarlyStopping extends Omit<EarlyStoppingOptions, "dev" | "train" | "evaluate"> {
  /** Fraction of the training set held out (stratified) as the dev set it watches. */
  devFraction: number;
  /** Seed of that split (default 0). */
  splitSeed?: number;
}

/** One model of the article's experiment: a name and how its config differs from the baseline. */
export interface ComparisonModel {
  key: string;
  name: string;
  overrides: Partial<RunConfig>;
  /** Set for a model that stops early on a dev set split off the training set. */
  earlyStopping?: ComparisonEarlyStopping;
  /**
   * Trains on the same part of the training set as an early-stopping model, without watching the
   * rest: the same data budget, so the two compare on the method alone.
   */
  holdOut?: { devFraction: number; splitSeed?: number };
  /** Augments the training data (never dev or test), seeded by each run's seed. */
  augment?: Augmentation;
  /** Hidden layers of a layered (convolutional) network; the output layer follows from the labels. */
  layers?: readonly LayerSpec[];
}

/**
 * The article's three models — none, L2 λ = 0.7, dropout keepProb = 0.86 with the reference code's
 * reseeded (fixed) masks — and real dropout with fresh masks, all on [n_x, 20, 3, 1], α = 0.3,
 * 30 000 iterations, seed 3.
 */
export const SEED_MODELS: readonly ComparisonModel[] = [
  { key: "none", name: "no regularization", overrides: {} },
  { key: "l2", name: "L2, λ = 0.7", overrides: { lambda: 0.7 } },
  {
    key: "dropout-fixed",
    name: "dropout 0.86, fixed masks",
    overrides: { keepProb: 0.86, dropoutMasks: "fixed" },
  },
  {
    key: "dropout-fresh",
    name: "dropout 0.86, fresh masks",
    overrides: { keepProb: 0.86, dropoutMasks: "fresh" },
  },
];

/**
 * The article's early-stopping regularizer next to its three models: no penalty, 20 % of the
 * training set held out as the dev set, evaluated every 100 iterations, stopped after 20
 * evaluations without a lower dev cost, best weights restored.
 */
export const EARLY_STOPPING_MODEL: ComparisonModel = {
  key: "early-stopping",
  name: "early stopping, 20% dev",
  overrides: {},
  earlyStopping: { devFraction: 0.2, splitSeed: 0, monitor: "devCost", patience: 20, evaluateEvery: 100 },
};

/**
 * The article's "orthogonalization" advice — use L2 and train as long as possible instead of
 * stopping early — as a model: λ = 0.7 on the same 80 % as early stopping, all iterations run.
 */
export const L2_TO_END_MODEL: ComparisonModel = {
  key: "l2-to-end",
  name: "L2, trained to the end",
  overrides: { lambda: 0.7 },
  holdOut: { devFraction: 0.2, splitSeed: 0 },
};

/** What `reglab compare` runs: the article's models, early stopping and L2 on the same budget. */
export const COMPARE_MODELS: readonly ComparisonModel[] = [
  ...SEED_MODELS,
  EARLY_STOPPING_MODEL,
  L2_TO_END_MODEL,
];

/** One initial seed's scores for a model. */
export interface SeedScore {
  seed: number;
  trainAccuracy: number;
  testAccuracy: number | null;
  testCorrect: Uint8Array | null;
  iterationsRun: number;
  /** Early stopping: the iteration whose weights were kept. */
  bestIteration?: number;
  /** This seed's test curve (the other seeds'; the first seed's is the row's `testCurve`). */
  testCurve?: TestPoint[];
}

export interface ComparisonRow {
  model: ComparisonModel;
  /** The run with the first seed (the network — dense or layered —, its history and config). */
  result: FitResult | LayeredFitResult;
  /** On the examples the model trained on (the training set less the dev set for early stopping). */
  trainAccuracy: number;
  /** How many examples `trainAccuracy` is over. */
  trainExamples: number;
  /** Examples the model was fitted on: more than `trainExamples` when expand mode added copies. */
  fittedExamples: number;
  testAccuracy: number | null;
  /** 1 where the model classified the test example correctly (for McNemar's test). */
  testCorrect: Uint8Array | null;
  /** Early stopping's dev accuracy at the kept weights, and where it stopped. */
  earlyStopping?: {
    devAccuracy: number;
    devExamples: number;
    stoppedAt: number | undefined;
    bestIteration: number | undefined;
  };
  /** Every seed's scores, the first seed first (only the first seed when not asked for more). */
  seeds: SeedScore[];
  /** The first seed's test curve, every `testEvery` iterations (empty without a test set). */
  testCurve?: TestPoint[];
}

export interface ComparisonOptions {
  models?: readonly ComparisonModel[];
  /** Applied under each model's overrides (e.g. fewer iterations). */
  base?: Partial<RunConfig>;
  /**
   * Training options per model (progress callbacks, abort signal, threads) for the first seed's
   * runs, which train here, one after another.
   */
  trainOptions?: (model: ComparisonModel) => FitOptions;
  /**
   * Initial seeds to repeat every model with; the first is the one whose full results (network,
   * history) the rows hold. Default: just `base.seed` (3, the article's).
   */
  seeds?: readonly number[];
  /**
   * Runs the other seeds' jobs (default: in this thread, one after another; the CLI passes a
   * worker pool). The first seed always runs here, while the runner works on the rest.
   */
  runner?: JobRunner;
  /** Score the test set every this many iterations for the rows' test curves (default 1000). */
  testEvery?: number;
}

/** The train and dev parts of the split a model trains on, if it holds data out. */
function splitRefs(model: ComparisonModel): { train: DataRef; dev: DataRef } | undefined {
  const es = model.earlyStopping ?? model.holdOut;
  if (!es) return undefined;
  const split = { set: "split", fraction: es.devFraction, splitSeed: es.splitSeed ?? 0 } as const;
  return { train: { ...split, part: "train" }, dev: { ...split, part: "dev" } };
}

function settingsOf(es: ComparisonEarlyStopping): Omit<ComparisonEarlyStopping, "devFraction" | "splitSeed"> {
  const { devFraction: _f, splitSeed: _s, ...settings } = es;
  return settings;
}

/**
 * A side-by-side comparison with a diverged model is no comparison: the run fails, naming the
 * model and seed, rather than scoring what is left.
 */
function modelDiverged(model: ComparisonModel, seed: number, e: unknown): unknown {
  if (!(e instanceof DivergenceError)) return e;
  return new DivergenceError(e.iteration, `model "${model.name}" (seed ${seed}): ${e.symptom}`, e.advice);
}

/** The job that trains `model` with `seed` (for a worker). */
export function comparisonJob(
  model: ComparisonModel,
  base: Partial<RunConfig>,
  seed: number,
  hasTest: boolean,
  id: number,
  /** Score the test set every this many iterations for the seed's test curve (none when absent). */
  testEvery?: number,
): FitJob {
  const refs = splitRefs(model);
  const train: DataRef = refs?.train ?? { set: "train" };
  return {
    id,
    config: { ...base, ...model.overrides, seed },
    train,
    ...(refs &&
      model.earlyStopping && { earlyStopping: { ...settingsOf(model.earlyStopping), dev: refs.dev } }),
    ...(model.augment && { augment: model.augment }),
    ...(model.layers && { layers: model.layers }),
    score: hasTest ? { train, test: { set: "test" } } : { train },
    correct: hasTest ? ["test"] : [],
    ...(hasTest && testEvery !== undefined && { curve: { set: { set: "test" }, every: testEvery } }),
  };
}

/**
 * Trains each model on the same data — the article's three and whatever else `models` lists — and
 * scores it on the training and test sets; with several `seeds`, repeats every model from each
 * initial seed so the spread over seeds can be reported.
 */
export async function runComparison(
  data: DataBundle,
  options: ComparisonOptions = {},
): Promise<ComparisonRow[]> {
  const models = options.models ?? SEED_MODELS;
  const base = options.base ?? {};
  const firstSeed = resolveRunConfig(base).seed;
  const seeds = options.seeds ?? [firstSeed];
  if (seeds.length === 0) throw new RangeError("seeds: give at least one seed");
  const hasTest = data.test !== undefined;
  const resolver = new DataResolver(data);
  // Every split is made before any training, so data too small to split fails at once.
  for (const model of models) {
    const refs = splitRefs(model);
    if (refs) resolver.get(refs.dev);
  }
  // The other seeds go to the runner first, so a pool works on them while this thread runs the first.
  const jobs: FitJob[] = [];
  models.forEach((model, i) => {
    seeds.slice(1).forEach((seed, k) => {
      jobs.push(
        comparisonJob(model, base, seed, hasTest, i * seeds.length + k + 1, options.testEvery ?? 1000),
      );
    });
  });
  const runner = options.runner ?? inProcessRunner(data);
  const others = jobs.length > 0 ? runner(jobs) : Promise.resolve([]);
  // Avoid an unhandled rejection while the first seed's runs are still going.
  others.catch(() => {});
  const rows: ComparisonRow[] = [];
  for (const model of models) {
    const user = options.trainOptions?.(model) ?? {};
    const refs = splitRefs(model);
    const trainSet = refs ? resolver.get(refs.train) : data.train;
    const dev = refs ? resolver.get(refs.dev) : undefined;
    let es: EarlyStopping | undefined;
    if (model.earlyStopping && dev) es = earlyStopping({ ...settingsOf(model.earlyStopping), dev });
    const testCurve: TestPoint[] = [];
    const curve = data.test ? [testCurveCallback(data.test, options.testEvery ?? 1000, testCurve)] : [];
    const result = await fitAugmented(
      trainSet,
      { ...base, ...model.overrides, seed: seeds[0] },
      model.augment,
      {
        ...user,
        classes: bundleClassCount(data),
        callbacks: [...curve, ...(es ? [es] : []), ...(user.callbacks ?? [])],
      },
      model.layers,
    ).catch((e) => {
      throw modelDiverged(model, seeds[0], e);
    });
    let testCorrect: Uint8Array | null = null;
    if (data.test) {
      const p = result.network.predict(data.test.X);
      testCorrect = p.map((v, j) => (v === data.test!.y[j] ? 1 : 0));
    }
    const trainAccuracy = accuracy(result.network, trainSet);
    const testAccuracy = testCorrect ? testCorrect.reduce((s, v) => s + v, 0) / testCorrect.length : null;
    rows.push({
      model,
      result,
      trainAccuracy,
      trainExamples: trainSet.X.cols,
      fittedExamples:
        model.augment?.mode === "expand"
          ? trainSet.X.cols * ((model.augment.copies ?? 1) + 1)
          : trainSet.X.cols,
      testAccuracy,
      testCorrect,
      testCurve,
      ...(es &&
        dev && {
          earlyStopping: {
            devAccuracy: accuracy(result.network, dev),
            devExamples: dev.X.cols,
            stoppedAt: es.stoppedAt,
            bestIteration: es.bestIteration,
          },
        }),
      seeds: [
        {
          seed: seeds[0],
          trainAccuracy,
          testAccuracy,
          testCorrect,
          iterationsRun: result.history.iterationsRun,
          ...(result.history.bestIteration !== undefined && { bestIteration: result.history.bestIteration }),
        },
      ],
    });
  }
  const results = await others;
  const byId = new Map(results.map((r) => [r.id, r]));
  models.forEach((_, i) => {
    seeds.slice(1).forEach((seed, k) => {
      const r = byId.get(i * seeds.length + k + 1);
      if (!r) throw new Error(`missing the run of model ${models[i].key} with seed ${seed}`);
      const failed = divergenceOf(r);
      if (failed) throw modelDiverged(models[i], seed, failed);
      const test = r.scores.test;
      rows[i].seeds.push({
        seed,
        trainAccuracy: r.scores.train.accuracy,
        testAccuracy: test ? test.accuracy : null,
        testCorrect: test?.correct ?? null,
        iterationsRun: r.iterationsRun,
        ...(r.bestIteration !== undefined && { bestIteration: r.bestIteration }),
        ...(r.curve && { testCurve: r.curve }),
      });
    });
  });
  return rows;
}

/** Mean, sample sd, min and max of a row's test accuracies over its seeds (null without a test set). */
export function testSpread(
  row: ComparisonRow,
): { mean: number; sd: number; min: number; max: number } | null {
  const xs = row.seeds.map((s) => s.testAccuracy).filter((v): v is number => v !== null);
  if (xs.length === 0) return null;
  return { mean: mean(xs), sd: xs.length > 1 ? std(xs) : 0, min: Math.min(...xs), max: Math.max(...xs) };
}

export interface PairwiseTest {
  a: string;
  b: string;
  /** Examples only A got right, only B got right (first seed). */
  onlyA: number;
  onlyB: number;
  /** McNemar p-value on the first seed's runs, and Holm-adjusted over all pairs. */
  pValue: number;
  adjusted: number;
  significant: boolean;
  /** Seeds in which the pair differs significantly (Holm within that seed), when there are several. */
  seedsSignificant: number;
  seeds: number;
}

/**
 * McNemar's test for every pair of models on the test set, with Holm's correction over the pairs:
 * on the first seed's runs, and counted per seed (a pair "differs in most seeds" when it is
 * significant in more than half of them).
 */
export function pairwiseMcNemar(rows: readonly ComparisonRow[], alpha = 0.05): PairwiseTest[] {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) pairs.push([i, j]);
  if (pairs.length === 0 || rows.some((r) => r.testCorrect === null)) return [];
  const nSeeds = Math.min(...rows.map((r) => r.seeds.length));
  const perSeed = Array.from({ length: nSeeds }, (_, s) =>
    holm(pairs.map(([i, j]) => mcnemar(rows[i].seeds[s].testCorrect!, rows[j].seeds[s].testCorrect!).pValue)),
  );
  const first = pairs.map(([i, j]) => mcnemar(rows[i].testCorrect!, rows[j].testCorrect!));
  const adjusted = holm(first.map((t) => t.pValue));
  return pairs.map(([i, j], k) => ({
    a: rows[i].model.name,
    b: rows[j].model.name,
    onlyA: first[k].b,
    onlyB: first[k].c,
    pValue: first[k].pValue,
    adjusted: adjusted[k],
    significant: adjusted[k] < alpha,
    seedsSignificant: perSeed.filter((ps) => ps[k] < alpha).length,
    seeds: nSeeds,
  }));
}

/** One line saying which differences between the models are significant. */
export function significanceLine(rows: readonly ComparisonRow[], alpha = 0.05): string {
  const tests = pairwiseMcNemar(rows, alpha);
  if (tests.length === 0) return "McNemar's test needs a test set and at least two models.";
  const seed = rows[0].seeds[0].seed;
  const n = rows[0].testCorrect!.length;
  const fmt = (t: PairwiseTest) => {
    const better = t.onlyA >= t.onlyB ? `${t.a} over ${t.b}` : `${t.b} over ${t.a}`;
    const counts = `${Math.max(t.onlyA, t.onlyB)} vs ${Math.min(t.onlyA, t.onlyB)} examples only one got right`;
    return `${better}: ${counts}, p = ${t.pValue.toPrecision(2)}, ${t.adjusted.toPrecision(2)} corrected`;
  };
  const sig = tests.filter((t) => t.significant);
  const head = `McNemar on the ${n} test examples, seed-${seed} runs, Holm-corrected over ${tests.length} pairs at α = ${alpha}: `;
  let text: string;
  if (sig.length > 0) {
    text = `significant — ${sig.map(fmt).join("; ")}; the other ${tests.length - sig.length} pairs are not`;
  } else {
    const closest = [...tests].sort((x, y) => x.pValue - y.pValue)[0];
    text = `no difference is significant (closest — ${fmt(closest)})`;
  }
  const seeds = tests[0].seeds;
  if (seeds > 1) {
    const most = tests.filter((t) => t.seedsSignificant > seeds / 2);
    text +=
      most.length > 0
        ? `; in most of the ${seeds} seeds: ${most.map((t) => `${t.a} vs ${t.b} (${t.seedsSignificant}/${seeds})`).join(", ")}`
        : Math.max(...tests.map((t) => t.seedsSignificant)) === 0
          ? `; none is significant in any of the ${seeds} seeds`
          : `; none is significant in most of the ${seeds} seeds (at most ${Math.max(...tests.map((t) => t.seedsSignificant))}/${seeds})`;
  }
  return `${head}${text}.`;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One sentence on what a row shows, read off its numbers and the baseline's. */
/**
 * Label smoothing's claim measured: expected calibration error on the test set of each row that
 * smooths its labels beside the first row's, as a sentence; undefined without such a row or a test set.
 */
export function calibrationSentence(
  rows: readonly ComparisonRow[],
  test: Dataset | undefined,
): string | undefined {
  const smoothed = rows.filter((r) => r.result.config.labelSmoothing > 0);
  if (!test || smoothed.length === 0) return undefined;
  const ece = (r: ComparisonRow) => calibration(r.result.network, test).ece.toFixed(3);
  const parts = smoothed.map((r) => `${r.model.name} ${ece(r)}`);
  return `Calibration: expected calibration error on the ${test.X.cols} test examples (15 bins of confidence), ${parts.join(", ")}; ${rows[0].model.name} ${ece(rows[0])}. Lower is better calibrated: confidence closer to how often it is right.`;
}

/**
 * L1's claim measured: weights exactly zero per layer in each row that trains with L1 beside
 * the first row's (the baseline's), as a sentence; undefined without an L1 row.
 */
export function sparsitySentence(rows: readonly ComparisonRow[]): string | undefined {
  const l1 = rows.filter((r) => r.result.config.regularizers.some((s) => s.kind === "l1"));
  if (l1.length === 0) return undefined;
  const count = (r: ComparisonRow) => {
    const per = zeroWeights(r.result.network.weights);
    const total = r.result.network.weights.reduce((a, W) => a + W.length, 0);
    return `${per.reduce((a, b) => a + b, 0)} of ${total} (per layer ${per.join(", ")})`;
  };
  const parts = l1.map((r) => `${r.model.name} left ${count(r)} weights exactly zero`);
  return `Sparsity: ${parts.join("; ")}; ${rows[0].model.name} left ${count(rows[0])}. L1's gradient λ₁/m·sign(w) pushes every weight toward 0 by the same step and a weight it would carry across 0 stops there; L2's λ/m·w shrinks in proportion and leaves none at 0.`;
}

/** Hidden layers as --layers writes them ("dense" for the dense network of config.hidden). */
function layersText(layers: readonly LayerSpec[] | undefined): string {
  return layers ? layers.map(specText).join(",") : "dense";
}

export function explainRow(row: ComparisonRow, baseline: ComparisonRow): string {
  const tr = pct(row.trainAccuracy);
  const te = row.testAccuracy === null ? "" : pct(row.testAccuracy);
  // Said plainly when there is nothing to score on, never "test no test set".
  const test = (x: number | null, y: number | null) =>
    row.testAccuracy === null ? "no test set to score it on" : `test ${te}${vs(x, y)}`;
  const gap =
    row.testAccuracy === null
      ? ""
      : `, a train–test gap of ${(100 * (row.trainAccuracy - row.testAccuracy)).toFixed(1)} points`;
  // Against another network (a CNN beside the dense net), the baseline by name.
  const ref =
    layersText(row.model.layers) === layersText(baseline.model.layers)
      ? "no regularization"
      : `“${baseline.model.name}”`;
  // In points, signed by the rounded difference: never "−0.0".
  const vs = (x: number | null, y: number | null) => {
    if (x === null || y === null) return "";
    const d = Number((100 * (x - y)).toFixed(1));
    return d === 0
      ? ` (the same as ${ref})`
      : ` (${d > 0 ? "+" : "−"}${Math.abs(d).toFixed(1)} points vs ${ref})`;
  };
  const c = row.result.config;
  const es = row.earlyStopping;
  if (row.model.augment) {
    // A layered row's own dropout layers (spatial dropout) count as its regularization too.
    const inLayers = (row.model.layers ?? []).flatMap((s) =>
      s.type === "spatial-dropout" || s.type === "dropout" ? [`${s.type} ${s.keepProb}`] : [],
    );
    const also = [
      c.lambda > 0 ? `L2 λ = ${c.lambda}` : "",
      ...inLayers,
      c.keepProb !== 1 ? `dropout ${c.keepProb}` : "",
    ]
      .filter((x) => x !== "")
      .join(" and ");
    return `Trains on augmented data (${describeAugmentation(row.model.augment, row.fittedExamples)})${also ? ` with ${also}` : ""}; scored on the ${row.trainExamples} original examples: train ${tr}, ${test(row.testAccuracy, baseline.testAccuracy)}.`;
  }
  if (es) {
    const where =
      es.stoppedAt !== undefined
        ? `stopped at iteration ${es.stoppedAt} and kept the weights of iteration ${es.bestIteration}`
        : `ran all ${c.iterations} iterations and kept the weights of iteration ${es.bestIteration}`;
    return `No penalty, but it trains on ${row.trainExamples} examples and watches the other ${es.devExamples}: it ${where}, where the dev cost was lowest (dev accuracy ${pct(es.devAccuracy)}); ${test(row.testAccuracy, baseline.testAccuracy)}.`;
  }
  const table = row === baseline ? [] : activeSettings(c);
  if (table.length > 0) {
    const what = table.map(({ row: r, value }) => `${r.label} ${value}`).join(", ");
    const zeros = zeroWeights(row.result.network.weights).reduce((a, b) => a + b, 0);
    const total = row.result.network.weights.reduce((a, W) => a + W.length, 0);
    const sparse = c.regularizers.some((s) => s.kind === "l1")
      ? `; ${zeros} of its ${total} weights are exactly 0`
      : "";
    const also = [c.lambda > 0 ? `L2 λ = ${c.lambda}` : "", c.keepProb !== 1 ? `dropout ${c.keepProb}` : ""]
      .filter((x) => x !== "")
      .join(" and ");
    return `Trains with ${what}${also ? ` and ${also}` : ""}: train ${tr}${vs(row.trainAccuracy, baseline.trainAccuracy)}, ${test(row.testAccuracy, baseline.testAccuracy)}${sparse}.`;
  }
  // A layered row: a network other than the baseline's, or dropout layers among its layers.
  const layers = row.model.layers;
  if (row !== baseline && layers && c.lambda === 0 && c.keepProb === 1) {
    const drops = (s: LayerSpec) => s.type === "spatial-dropout" || s.type === "dropout";
    const kept = layers.filter(drops);
    const same = layersText(layers.filter((s) => !drops(s))) === layersText(baseline.model.layers);
    if (kept.length > 0 && same) {
      const what = kept.map((s) => `${s.type} ${(s as { keepProb: number }).keepProb}`).join(", ");
      return `Drops units inside the network (${what}; spatial dropout keeps or drops whole feature maps): train ${tr}${vs(row.trainAccuracy, baseline.trainAccuracy)}, ${test(row.testAccuracy, baseline.testAccuracy)}.`;
    }
    if (!same)
      return `Another network, ${layersText(layers)}, without regularization: train ${tr}${vs(row.trainAccuracy, baseline.trainAccuracy)}, ${test(row.testAccuracy, baseline.testAccuracy)}${gap}.`;
  }
  if (row === baseline || (c.lambda === 0 && c.keepProb === 1)) {
    const onTest = row.testAccuracy === null ? " (no test set to score it on)" : `, ${te} on test${gap}`;
    // Only a plane has a boundary to picture; with more inputs, say what it fits instead.
    const fits =
      row.result.network.inputSize === 2
        ? "bending its boundary around noisy points"
        : "fitting the quirks of its training examples";
    return `Baseline: ${tr} on train${onTest}; nothing stops it ${fits}.`;
  }
  if (row.model.holdOut) {
    return `L2 (λ = ${c.lambda}) on the same ${row.trainExamples} examples as early stopping, all ${c.iterations} iterations run — the article's "orthogonalization" advice: train ${tr}, ${test(row.testAccuracy, baseline.testAccuracy)}.`;
  }
  if (c.lambda > 0 && c.keepProb === 1) {
    // Only a plane has a boundary to see; on images the output just changes more gently.
    const smoother =
      row.result.network.inputSize === 2
        ? "the boundary is smoother"
        : "the output changes more gently with the input";
    return `L2 shrinks every weight toward 0, so ${smoother}: train ${tr}${vs(row.trainAccuracy, baseline.trainAccuracy)}, ${test(row.testAccuracy, baseline.testAccuracy)}.`;
  }
  if (c.dropoutMasks === "fixed") {
    return `The article's dropout row: its code reseeds the generator before every pass, so the same mask is used in all ${c.iterations} iterations — one thinned network, not real dropout; ${test(row.testAccuracy, baseline.testAccuracy)}.`;
  }
  return `Real inverted dropout, new masks every iteration: train ${tr}, ${test(row.testAccuracy, baseline.testAccuracy)}; its cost curve is noisy because each step trains a different thinned network.`;
}
