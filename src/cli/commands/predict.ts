import type { Command } from "commander";
import {
  confusionJson,
  confusionMatrix,
  DataError,
  decimal,
  formatMagnitude,
  type ImageShape,
  LayeredNetwork,
  layeredMcDropoutPassesPaced,
  type Matrix,
  type ModelFile,
  matrix,
  modelClassCount,
  type PredictedClass,
  predictedClass,
  predictWithUncertaintyPaced,
  quote,
  specText,
  summarizePasses,
  type Uncertainty,
} from "../../index.js";
import { loadImageInput, loadModelFile, writeFileAtomic } from "../../node/index.js";
import { confusionText } from "../confusion-text.js";
import { checkOutputPath } from "../output.js";
import { positiveInteger, seedNumber } from "../parse.js";
import { formatAccuracy, percent, textTable } from "../report-text.js";
import { type Io, paceOf, phase, stopIfInterrupted, UsageError } from "../runtime.js";

interface PredictOptions {
  model: string;
  points?: string;
  input?: string;
  labels?: string;
  xKey?: string;
  yKey?: string;
  output?: string;
  json?: boolean;
  samples?: number;
  seed: number;
}

/** Positions to predict: one row per example, and the labels when the input file had them. */
export interface PointRows {
  rows: number[][];
  labels?: Uint8Array;
}

/** Parses `--points "x,y;x,y"` for a model with `features` inputs. */
export function parsePoints(raw: string, features: number): PointRows {
  const parts = raw
    .split(";")
    .map((p) => p.trim())
    .filter((p, k, all) => p !== "" || k < all.length - 1);
  if (parts.length === 0 || parts.every((p) => p === "")) {
    throw new UsageError(`--points: no points given (expected e.g. "0.1,-0.2;-0.3,0.4")`);
  }
  const rows = parts.map((part, k) => {
    if (part === "") throw new UsageError(`--points: point ${k + 1} is empty (two ';' in a row?)`);
    const values = part.split(",").map((s) => s.trim());
    if (values.length !== features) {
      throw new UsageError(
        `--points: point ${k + 1} (${quote(part)}) has ${values.length} value${values.length === 1 ? "" : "s"}, but the model takes ${features} features`,
      );
    }
    return values.map((v) => {
      const x = decimal(v);
      if (!Number.isFinite(x)) {
        throw new UsageError(
          `--points: point ${k + 1} (${quote(part)}) has ${quote(v)}, which is not a finite number`,
        );
      }
      return x;
    });
  });
  return { rows };
}

/**
 * Parses a CSV of positions: `features` columns (x1,…,xn), or one more holding a label 0…K−1
 * for a model of `classes` classes (then accuracy is reported too). A first line that is not all
 * numbers is a header.
 */
export function parsePointsCsv(
  text: string,
  source: string,
  features: number,
  classes = 2,
  names?: readonly string[],
): PointRows {
  const labelKind = classes === 2 ? "a 0/1 label" : `a label 0…${classes - 1}`;
  const lines = text.split(/\r?\n/);
  const rows: number[][] = [];
  const labels: number[] = [];
  let width = -1;
  let sawData = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === "") continue;
    const cells = line.split(",").map((s) => s.trim());
    const nums = cells.map(decimal);
    if (!sawData && nums.every((v) => Number.isNaN(v)) && cells.every((c) => c !== "")) {
      sawData = true; // a header line
      continue;
    }
    sawData = true;
    if (width < 0) {
      width = cells.length;
      if (width !== features && width !== features + 1) {
        throw new DataError(
          source,
          `line ${n + 1} has ${width} columns, but the model takes ${features} features (or ${features} features and ${labelKind})`,
        );
      }
    } else if (cells.length !== width) {
      throw new DataError(source, `line ${n + 1} has ${cells.length} columns, expected ${width}`);
    }
    // A label may be one of the model's class names (the label rule: names are classes).
    const named = width === features + 1 ? (names?.indexOf(cells[features]) ?? -1) : -1;
    for (let c = 0; c < width; c++) {
      if (c === features && (named >= 0 || !/^[+-]?(nan|inf|infinity)$/i.test(cells[c]))) continue;
      if (!Number.isFinite(nums[c])) {
        throw new DataError(
          source,
          `line ${n + 1}, column ${c + 1}: ${quote(cells[c])} is not a finite number`,
        );
      }
    }
    rows.push(nums.slice(0, features));
    if (width === features + 1) {
      const y = named >= 0 ? named : nums[features];
      if (!(Number.isInteger(y) && y >= 0 && y < classes)) {
        const numbers = classes === 2 ? "0 or 1" : `a class of the model, 0…${classes - 1}`;
        const expected = names ? `a class of the model (${names.join(", ")}) or its number` : numbers;
        throw new DataError(source, `line ${n + 1}: label ${quote(cells[features])} is not ${expected}`);
      }
      labels.push(y);
    }
  }
  if (rows.length === 0) throw new DataError(source, "no positions in the file");
  return width === features + 1 ? { rows, labels: Uint8Array.from(labels) } : { rows };
}

/** What to predict on: positions (their feature rows) or images (their names), labels when known. */
interface PredictInput {
  readonly X: Matrix;
  readonly rows?: number[][];
  readonly names?: string[];
  readonly shape?: ImageShape;
  /** The true class of each example as the model numbers its classes; −1 for none of them. */
  readonly truth?: Int16Array;
}

function positionsInput(p: PointRows, features: number): PredictInput {
  const m = p.rows.length;
  const X = matrix(features, m);
  p.rows.forEach((row, j) => {
    for (let f = 0; f < features; f++) X.data[f * m + j] = row[f];
  });
  return { X, rows: p.rows, ...(p.labels ? { truth: Int16Array.from(p.labels) } : {}) };
}

/**
 * The input named by --points or --input. Image files must match the model's inputs (and its
 * image shape when the model records one); their labels are matched to the model's classes by
 * name (a digits 4-vs-9 model's classes are "4" and "9", so MNIST's label 9 is its class 1).
 */
async function readPredictInput(
  o: PredictOptions,
  file: ModelFile,
  features: number,
  classes: number,
): Promise<PredictInput> {
  if (o.points !== undefined) return positionsInput(parsePoints(o.points, features), features);
  const path = o.input!;
  const read = await loadImageInput(path, {
    ...(o.labels !== undefined ? { labelsPath: o.labels } : {}),
    hdf5Keys: { ...(o.xKey ? { x: o.xKey } : {}), ...(o.yKey ? { y: o.yKey } : {}) },
  });
  if (read.kind === "text")
    return positionsInput(parsePointsCsv(read.text, path, features, classes, file.classes), features);
  const s = read.shape;
  const what = s
    ? `${s.height}×${s.width}×${s.channels} images (${read.X.rows} values)`
    : `${read.X.rows} features`;
  const want = file.image;
  if (read.X.rows !== features || (want && s && (want.height !== s.height || want.width !== s.width))) {
    const trained = want
      ? `${want.height}×${want.width}×${want.channels} images (${features} inputs)`
      : `${features} inputs`;
    throw new DataError(path, `holds ${what}, but the model was trained on ${trained}`);
  }
  const modelNames = file.classes ?? Array.from({ length: classes }, (_, k) => String(k));
  const truth = read.labels ? matchLabels(read.labels, read.classes, modelNames) : undefined;
  return { X: read.X, names: read.names, ...(s ? { shape: s } : {}), ...(truth ? { truth } : {}) };
}

/** Input labels as the model's class numbers, by class name (an input's own names, else its numbers). */
function matchLabels(
  labels: Uint8Array,
  inputNames: readonly string[] | undefined,
  modelNames: readonly string[],
) {
  const index = new Map(modelNames.map((name, k) => [name, k]));
  return Int16Array.from(labels, (v) => index.get(inputNames?.[v] ?? String(v)) ?? -1);
}

/** Feature columns shown in the printed table; wider inputs (images) show a point number instead. */
const MAX_SHOWN_FEATURES = 8;

/**
 * Refuses to print a probability that is not finite: inputs so large that the network's sums
 * overflow (1e308 times a weight) have no meaningful prediction. Names the first such point and
 * its largest feature. `values` may hold several passes, point-major within each pass.
 */
function checkFinite(values: Float64Array, input: PredictInput, where: string): void {
  const m = input.X.cols;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) continue;
    const j = i % m;
    if (!input.rows) {
      throw new DataError(
        where,
        `${input.names![j]}: the network's output overflows; give pixel values as in training`,
      );
    }
    const row = input.rows[j];
    let f = 0;
    for (let k = 1; k < row.length; k++) if (Math.abs(row[k]) > Math.abs(row[f])) f = k;
    throw new DataError(
      where,
      `point ${j + 1}: feature ${f + 1} is ${formatMagnitude(row[f])}, so far outside the training data's ` +
        "range that the network's output overflows; give inputs on the data's scale",
    );
  }
}

/** Every class's MC-dropout summary for point j (class k at k·m + j in the summary). */
function mcPerClass(
  u: Uncertainty,
  j: number,
): { mean: number; median: number; low: number; high: number }[] {
  const m = u.points;
  return Array.from({ length: u.classes ?? 1 }, (_, k) => {
    const at = k * m + j;
    return { mean: u.mean[at], median: u.median[at], low: u.low[at], high: u.high[at] };
  });
}

/** A number written so it reads back exactly. */
const exact = (v: number) => String(v);

export function registerPredict(program: Command, io: Io): void {
  program
    .command("predict")
    .summary("probabilities and labels for new positions or images from a saved model")
    .description(
      [
        "Load a model saved by `reglab train --save` and print P(class 1) and the label",
        "(1 when P > 0.5) for each position. With --samples and a model trained with",
        "dropout, also the spread of T MC-dropout passes (dropout kept on at prediction):",
        "their median and 5th and 95th percentiles (the band around the median; the mean,",
        "in --json and --output, can lie outside it when a few thinned networks disagree).",
        "A model of K ≥ 3 classes prints the predicted class (the most probable) and its",
        "probability; --json and --output add all K probabilities. Its MC-dropout band is",
        "that of the predicted class's probability; --json adds every class's summary and",
        "the class with the highest mean over the passes (mc.label). A convolutional model's",
        "passes keep its dropout and spatial-dropout layers on (one mask per layer and pass,",
        "whole feature maps for spatial dropout).",
      ].join("\n"),
    )
    .requiredOption("--model <model.json>", "a model file written by reglab train --save")
    .option("--points <list>", 'positions, features separated by "," and points by ";": "x,y;x,y"')
    .option(
      "--input <file>",
      "a CSV of positions (x1,…,xn, optionally a label column 0…K−1), or images: an .h5 file, an IDX file, a PNG/JPEG or a folder of them",
    )
    .option("--labels <file>", "with an IDX file of images: the IDX file of their labels (adds accuracy)")
    .option("--x-key <name>", "with an .h5 input: the dataset holding the images (found by convention)")
    .option("--y-key <name>", "with an .h5 input: the dataset holding the labels (optional)")
    .option(
      "--output <file.csv>",
      "write x1,…,xn,probability,label (and mc_mean,mc_low,mc_high,mc_median; p_0…p_K−1 for K classes) as CSV",
    )
    .option(
      "--samples <T>",
      "MC-dropout passes for an uncertainty band (models with dropout or spatial dropout only)",
      positiveInteger,
    )
    .option("--seed <n>", "seed of the generator that draws the MC-dropout masks", seedNumber, 0)
    .option("--json", "print one JSON object on stdout")
    .addHelpText(
      "after",
      `
Examples:
  $ reglab train --data football.mat --keep-prob 0.86 --save dropout.json
  $ reglab predict --model dropout.json --points "-0.4,0.3;0.2,-0.5"
  $ reglab predict --model dropout.json --input positions.csv --output predictions.csv
  $ reglab predict --model dropout.json --points "-0.4,0.3" --samples 200 --json

The --input CSV: one position per line, comma-separated, in the model's feature order (for the
football model x1,x2 — the data's own units, as in football.mat); an optional first line of
column names; an optional last column holding the true 0/1 label, which adds an accuracy line.

For example:
  x1,x2
  -0.4,0.3
  0.2,-0.5

Images: --input also takes an .h5 file (the course's test_catvnoncat.h5; labels, when it has
them, add accuracy with its 95 % interval), an IDX file of images (with --labels for its IDX
labels), one PNG or JPEG, or a folder of them (with labels.csv, lines "file,label", for
accuracy). They must have the size the model was trained on; labels are matched to the
model's classes by name (a 4-vs-9 digits model counts only the 4s and 9s). --output then
writes image,probability,label,… with the file name or "image N".
  $ reglab predict --model cat.json --input test_catvnoncat.h5
  $ reglab predict --model cat.json --input photos/ --output predictions.csv
  $ reglab predict --model digits.json --input t10k-images-idx3-ubyte --labels t10k-labels-idx1-ubyte`,
    )
    .action(async (o: PredictOptions) => {
      if ((o.points === undefined) === (o.input === undefined)) {
        throw new UsageError("give the positions with exactly one of --points or --input");
      }
      if (o.labels !== undefined && o.input === undefined) {
        throw new UsageError("--labels goes with --input (an IDX file of images)");
      }
      if (o.output) checkOutputPath(o.output, "--output", [".csv"]);
      if (o.samples !== undefined && o.samples < 2) {
        throw new UsageError(`--samples: MC dropout needs at least 2 passes, got ${o.samples}`);
      }
      phase(io, "load");
      const model = await loadModelFile(o.model);
      const net = model.network;
      const n = net.inputSize;
      if (o.samples !== undefined && !model.hasDropout) {
        throw new UsageError(
          net instanceof LayeredNetwork
            ? `--samples: ${o.model} has no dropout or spatial-dropout layer (keepProb < 1), so MC dropout does not apply`
            : `--samples: ${o.model} was trained without dropout (keepProb 1), so MC dropout does not apply`,
        );
      }
      const classes = modelClassCount(net);
      const multi = net.outputs > 1;
      const names = model.file.classes ?? Array.from({ length: classes }, (_, k) => String(k));
      const input = await readPredictInput(o, model.file, n, classes);
      const { X } = input;
      const m = X.cols;
      const where = o.points !== undefined ? "--points" : o.input!;
      // An infinite logit is an overflow (1e308 times a weight), whatever sigmoid makes of it.
      checkFinite(net.logits(X), input, where);
      // P(class 1) per point for a sigmoid; K × m class probabilities for a softmax.
      const p = net.predictProba(X);
      const labels = multi ? Array.from(net.predict(X)) : Array.from(p, (v) => (v > 0.5 ? 1 : 0));
      // The probability shown beside each label: P(class 1), or the predicted class's.
      const shown = multi ? labels.map((k, j) => p[k * m + j]) : Array.from(p);
      const classProbs = (j: number) => Array.from({ length: classes }, (_, k) => p[k * m + j]);
      let u: Uncertainty | undefined;
      let mc: PredictedClass | undefined;
      // For K classes: the class with the highest mean probability over the passes.
      let mcBest: Uint8Array | undefined;
      if (o.samples !== undefined) {
        await stopIfInterrupted(io, "before the Monte Carlo passes");
        phase(io, "passes");
        // A layered network's passes keep its dropout and spatial-dropout layers on.
        u =
          net instanceof LayeredNetwork
            ? summarizePasses(
                await layeredMcDropoutPassesPaced(net, X, { samples: o.samples, seed: o.seed }, paceOf(io)),
              )
            : await predictWithUncertaintyPaced(
                net,
                X,
                { keepProb: model.keepProb, samples: o.samples, seed: o.seed },
                paceOf(io),
              );
        checkFinite(u.values, input, where);
        if (multi) {
          mc = predictedClass(u, labels);
          mcBest = predictedClass(u).label;
        }
      }
      // For a sigmoid the band is P(class 1)'s, as always; for K classes the MC-predicted class's.
      const band = (j: number) =>
        mc
          ? { median: mc.median[j], low: mc.low[j], high: mc.high[j], mean: mc.mean[j], sd: mc.sd[j] }
          : { median: u!.median[j], low: u!.low[j], high: u!.high[j], mean: u!.mean[j], sd: u!.sd[j] };
      const scored = input.truth ? scoreAgainst(input.truth, labels, names) : undefined;
      // Images are named (file name or number); positions are written back as their features.
      const idHead = input.rows ? Array.from({ length: n }, (_, f) => `x${f + 1}`) : ["image"];
      const idCells = (j: number) => (input.rows ? input.rows[j].map(exact) : [csvCell(input.names![j])]);

      await stopIfInterrupted(io, "before the results were written");
      if (o.output) {
        const head = [...idHead, "probability", "label"];
        if (multi) head.push(...names.map((_, k) => `p_${k}`));
        if (u) head.push("mc_mean", "mc_low", "mc_high", "mc_median");
        if (mcBest) head.push("mc_label");
        const lines = [head.join(",")];
        for (let j = 0; j < m; j++) {
          const cells = [...idCells(j), exact(shown[j]), String(labels[j])];
          if (multi) cells.push(...classProbs(j).map(exact));
          if (u) {
            const b = band(j);
            cells.push(exact(b.mean), exact(b.low), exact(b.high), exact(b.median));
          }
          if (mcBest) cells.push(String(mcBest[j]));
          lines.push(cells.join(","));
        }
        await writeFileAtomic(o.output, `${lines.join("\n")}\n`, io.signal);
      }
      if (o.json) {
        const predictions = Array.from({ length: m }, (_, j) => ({
          ...(input.rows ? { x: input.rows[j] } : { image: input.names![j] }),
          probability: shown[j],
          label: labels[j],
          ...(multi ? { className: names[labels[j]], probabilities: classProbs(j) } : {}),
          ...(u
            ? {
                mc: {
                  ...(mcBest ? { label: mcBest[j] } : {}),
                  ...band(j),
                  ...(mc ? { perClass: mcPerClass(u, j) } : {}),
                },
              }
            : {}),
        }));
        io.out(
          `${JSON.stringify({
            model: o.model,
            features: n,
            classes,
            ...(model.file.classes ? { classNames: names } : {}),
            ...(u
              ? {
                  mcDropout: {
                    samples: u.samples,
                    seed: o.seed,
                    ...(net instanceof LayeredNetwork
                      ? { dropoutLayers: net.layers.filter((l) => l.type.includes("dropout")).map(specText) }
                      : { keepProb: model.keepProb }),
                    bounds:
                      "5th–95th percentile of the passes, around their median (the mean may lie outside)",
                    ...(mc
                      ? {
                          summarizes:
                            "the predicted class's probability; perClass has every class, label the class with the highest mean",
                        }
                      : {}),
                  },
                }
              : {}),
            ...(scored ? { accuracy: scored.accuracy, scoredExamples: scored.examples } : {}),
            ...(scored && input.rows === undefined ? { confusion: confusionJson(scored.confusion) } : {}),
            ...(o.output ? { output: o.output } : {}),
            predictions,
          })}\n`,
        );
        return;
      }
      io.out(
        `Model: ${o.model} — network ${net instanceof LayeredNetwork ? net.describe() : `[${net.sizes.join(", ")}]`} ${net.activation}${multi ? `, ${classes} classes` : ""}\n`,
      );
      if (input.rows === undefined) io.out(`Input: ${describeImages(input, where)}\n`);
      // Positions print in full unless written to a file; image sets can be long, so a sample.
      const shownRows = !o.output || m <= MAX_LISTED ? (input.rows ? m : Math.min(m, MAX_LISTED)) : 0;
      if (shownRows > 0) {
        const wide = n > MAX_SHOWN_FEATURES;
        const xHead = !input.rows ? ["image"] : wide ? ["point"] : idHead;
        // Named classes are shown by name: "cat" says more than 1 (a two-class model too).
        const named = !multi && model.file.classes !== undefined;
        const truth = (multi || named) && input.truth;
        const head = [
          ...xHead,
          ...(multi ? ["class", "P(class)"] : [`P(${named ? names[1] : "class 1"})`, "label"]),
          ...(named ? ["class"] : []),
          ...(truth ? ["true class"] : []),
        ];
        if (u) head.push(`MC median`, `MC 5–95% (T = ${u.samples})`);
        const rows = Array.from({ length: shownRows }, (_, j) => {
          const xs = !input.rows ? [input.names![j]] : wide ? [String(j + 1)] : input.rows[j].map(String);
          const cells = multi
            ? [...xs, names[labels[j]], shown[j].toFixed(4)]
            : [...xs, shown[j].toFixed(4), String(labels[j])];
          if (named) cells.push(names[labels[j]]);
          if (truth) cells.push(truth[j] >= 0 ? names[truth[j]] : "–");
          if (u) {
            const b = band(j);
            cells.push(b.median.toFixed(4), `${b.low.toFixed(3)} – ${b.high.toFixed(3)}`);
          }
          return cells;
        });
        io.out(`${textTable(head, rows)}\n`);
        if (shownRows < m) io.out(`… and ${m - shownRows} more (--output FILE.csv writes them all)\n`);
      }
      if (scored) {
        const of = scored.examples < m ? ` (the ${scored.examples} whose label is a class of the model)` : "";
        // Images get the 95 % interval (test sets of pictures are what one reports on).
        const value =
          input.rows || scored.examples === 0
            ? percent(scored.accuracy)
            : formatAccuracy(scored.accuracy, scored.examples);
        io.out(
          `Accuracy against the labels in ${o.labels ?? o.input}${of}: ${value} (${scored.correct}/${scored.examples})\n`,
        );
        if (!input.rows && classes > 2 && scored.examples > 0)
          io.out(confusionText(scored.confusion, "input"));
      }
      if (o.output) io.out(`Wrote ${m} prediction${m === 1 ? "" : "s"} to ${o.output}\n`);
    });
}

/** Examples printed before "… and N more" when predicting on a set of images. */
const MAX_LISTED = 20;

/** A file name as one CSV cell (quoted when it holds a comma or quote). */
function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

function describeImages(input: PredictInput, where: string): string {
  const s = input.shape;
  const size = s
    ? `${s.height}×${s.width}${s.channels === 1 ? " grey" : s.channels === 3 ? " RGB" : `×${s.channels}`}`
    : "";
  return `${where} — ${input.X.cols} ${size} image${input.X.cols === 1 ? "" : "s"}${input.truth ? ", labelled" : ""}`;
}

/** Accuracy (and, for images, the confusion) over the examples whose label is a class of the model. */
function scoreAgainst(truth: Int16Array, predicted: readonly number[], names: readonly string[]) {
  const actual: number[] = [];
  const got: number[] = [];
  truth.forEach((t, j) => {
    if (t >= 0) {
      actual.push(t);
      got.push(predicted[j]);
    }
  });
  const confusion = confusionMatrix(actual, got, names);
  const examples = actual.length;
  return {
    examples,
    correct: confusion.correct,
    accuracy: examples === 0 ? Number.NaN : confusion.correct / examples,
    confusion,
  };
}
