/**
 * The report's words: the headline, and per model what its picture shows and what its numbers
 * say — all written from measured numbers (see report-diagnostics.ts), never canned.
 */
import { specText } from "../core/layers/spec.js";
import { describeAugmentation } from "../data/augment/augmentation.js";
import type { RunConfig } from "../training/config.js";
import { type ComparisonRow, explainRow, pairwiseMcNemar } from "./compare.js";
import { describeConfig } from "./describe-config.js";
import { round3 } from "./format.js";
import { type BoundaryStats, costStats, K_NEIGHBOURS, NOISY_MAJORITY } from "./report-diagnostics.js";
import { mcnemar } from "./stats.js";

export const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** "p = 0.34", "p = 3.5e-5". */
export const pValue = (p: number) => `p = ${p >= 0.001 ? Number(p.toPrecision(2)) : p.toExponential(1)}`;

function relative(a: number, b: number): string {
  if (!(b > 0)) return "";
  const r = a / b - 1;
  if (Math.abs(r) < 0.05) return "about as long as the baseline's";
  return `${Math.abs(Math.round(100 * r))}% ${r > 0 ? "longer" : "shorter"} than the baseline's`;
}

/** "64 m" on a pitch, else "2.3 times the window's width". */
function length(s: BoundaryStats): string {
  if (s.boundaryMetres !== undefined) return `${Math.round(s.boundaryMetres)} m on the pitch`;
  return `${round3(s.boundaryLength / s.windowWidth)} times the plotted window's width`;
}

/**
 * The headline: what the page compares and what the test set says — a "best" model only when
 * McNemar's test (Holm-corrected over the pairs) finds it significantly better than every other.
 */
export function lead(rows: readonly ComparisonRow[], inputs: number, images = false): string {
  const nets = [...new Set(rows.map((r) => networkText(r, inputs)))];
  const net = nets[0];
  // A convolutional set may put a dense net beside a CNN, or a spatial-dropout layer in one row.
  const head =
    nets.length > 1
      ? `${rows.length} models on the same ${images ? "images" : "data"} — the networks ${nets.join(" and ")}, with and without regularization or augmentation — to see which one generalizes best to new ${images ? "images" : "examples"}.`
      : images
        ? `The same network ${net} trained ${rows.length} ways on the same images — only the regularization or the augmentation of the training images differs — to see which one generalizes best to new images.`
        : `The same network ${net} trained ${rows.length} ways on the same data — only the regularization differs — to see which one generalizes best to new positions.`;
  const scored = rows.filter((r) => r.testAccuracy !== null);
  if (scored.length === 0) return head;
  const top = scored.reduce((a, r) => (r.testAccuracy! > a.testAccuracy! ? r : a));
  if (scored.length === 1) return `${head} Test accuracy: ${pct(top.testAccuracy!)}.`;
  const tests = pairwiseMcNemar(rows);
  const n = rows[0].testCorrect?.length ?? 0;
  const beats = tests.filter(
    (t) =>
      t.significant &&
      ((t.a === top.model.name && t.onlyA > t.onlyB) || (t.b === top.model.name && t.onlyB > t.onlyA)),
  ).length;
  const low = Math.min(...scored.map((r) => r.testAccuracy!));
  if (beats === rows.length - 1)
    return `${head} Best on the test set: ${top.model.name}, ${pct(top.testAccuracy!)}, significantly better than every other model by McNemar's test.`;
  if (tests.every((t) => !t.significant))
    return `${head} On these ${n} test examples no model is significantly better than another (McNemar's test, Holm-corrected): test accuracies run from ${pct(low)} to ${pct(top.testAccuracy!)}, so none is named best.`;
  return `${head} “${top.model.name}” has the highest test accuracy (${pct(top.testAccuracy!)}) but is significantly better than only ${beats} of the other ${rows.length - 1} models (McNemar's test, Holm-corrected), so none is named best.`;
}

/**
 * Two paragraphs on a model: what its picture shows (from the boundary numbers) and what its
 * numbers mean (accuracies, the baseline comparison, the cost curve).
 */
export function describeModel(
  row: ComparisonRow,
  baseline: ComparisonRow,
  stats: BoundaryStats | undefined,
  baseStats: BoundaryStats | undefined,
  classNames: readonly [string, string] = ["class 0", "class 1"],
  allStats?: readonly (BoundaryStats | undefined)[],
  /** For images: what its pictures show (report-images.ts), in place of the boundary's words. */
  imagePicture?: string,
): [string, string] {
  const isBase = row === baseline;
  const c = row.result.config;
  let picture: string;
  if (stats) {
    const islands = stats.regions.class1 + stats.regions.class0;
    const parts: string[] = [];
    parts.push(
      `The p = 0.5 boundary is ${length(stats)} long${isBase || !baseStats ? "" : `, ${relative(stats.boundaryLength, baseStats.boundaryLength)}`}, ` +
        `and it cuts the plotted area into ${plural(islands, "region")} (${stats.regions.class1} "${classNames[1]}", ${stats.regions.class0} "${classNames[0]}")` +
        `${islands > 2 ? ": the extra pockets are the boundary detouring around single points" : ": one clean split"}.`,
    );
    if (stats.noisyPoints > 0) {
      const others = (allStats ?? []).filter((t) => t !== stats && t !== undefined) as BoundaryStats[];
      const mostOthers = others.length > 0 ? Math.max(...others.map((t) => t.noisyFitted)) : undefined;
      let verdict: string;
      if (stats.noisyFitted === 0) verdict = "it leaves every one of them alone, as noise";
      else if (mostOthers !== undefined && stats.noisyFitted > mostOthers)
        verdict = `it bends around more of them than any other model here (at most ${mostOthers}) — "fitting the noisy points", as the article puts it`;
      else if (!isBase && baseStats && stats.noisyFitted < baseStats.noisyFitted)
        verdict = `fewer than the baseline's ${baseStats.noisyFitted}: it treats most of them as noise`;
      else verdict = "it treats the rest as noise";
      parts.push(
        `Of the ${plural(stats.noisyPoints, "training point")} surrounded by the other class (at least ${NOISY_MAJORITY} of their ${K_NEIGHBOURS} nearest neighbours disagree), ` +
          `it classifies ${stats.noisyFitted} with their own label: ${verdict}.`,
      );
    }
    const band = stats.uncertainFraction;
    const bandWord = band < 0.05 ? "a sharp step" : band < 0.15 ? "a moderate ramp" : "a wide, soft ramp";
    const bandVs = !isBase && baseStats ? ` (baseline ${pct(baseStats.uncertainFraction)})` : "";
    parts.push(
      `Its probability passes from 0.1 to 0.9 over ${pct(band)} of the plotted area${bandVs}: ${bandWord}` +
        `${c.lambda > 0 ? ", the smoother output L2's smaller weights give" : ""}.`,
    );
    picture = parts.join(" ");
  } else if (imagePicture) {
    picture = imagePicture;
  } else {
    const why = row.result.network.outputs > 1 ? "more than two classes" : "more than two features";
    picture = `The data has ${why}, so there is no boundary picture; the cost curve is beside the table.`;
  }

  const cost = costStats(row.result.history.costs);
  const sentences: string[] = [explainRow(row, baseline)];
  if (!isBase && row.testCorrect && baseline.testCorrect) {
    const t = mcnemar(row.testCorrect, baseline.testCorrect);
    const diff = t.b - t.c;
    sentences.push(
      `On the test set it is right where the baseline is wrong ${plural(t.b, "time")} and the reverse ${plural(t.c, "time")}; ` +
        `McNemar's test gives ${pValue(t.pValue)}, so the ${diff >= 0 ? "gain" : "loss"} is ${t.pValue < 0.05 ? "significant" : "not significant"} at 5% on ${row.testCorrect.length} test ${imagePicture === undefined ? "points" : "images"} (before Holm's correction; the McNemar table has it).`,
    );
  }
  const wiggle =
    cost.rises === 0
      ? "never rises by more than 0.1% between recorded steps"
      : `rises (by more than 0.1%) at ${cost.rises} of its ${cost.steps} recorded steps`;
  sentences.push(
    `Its training objective goes from ${round3(cost.first)} to ${round3(cost.last)} and ${wiggle}` +
      `${c.lambda > 0 ? "; it includes the L2 penalty, which the curve beside it leaves out" : ""}.`,
  );
  return [picture, sentences.join(" ")];
}

/** A row's network as "[inputs, …hidden, outputs]": its layers as --layers writes them for a layered one. */
export function networkText(row: ComparisonRow, inputs: number): string {
  const hidden = row.model.layers?.map(specText) ?? row.result.config.hidden;
  return `[${[inputs, ...hidden, row.result.network.outputs].join(", ")}]`;
}

/** The configuration list of a model's section: the run in words, then what is particular to it. */
export function configRows(
  c: RunConfig,
  inputs: number,
  seconds: number,
  row?: ComparisonRow,
): Array<[string, string]> {
  const outputs = row?.result.network.outputs ?? 1;
  const classes = outputs > 1 ? outputs : 2;
  const layers = row?.model.layers?.map(specText);
  const out: Array<[string, string]> = [
    // A layered network's `reference` init is He (LayeredNetwork.initialize), as train says.
    [
      "run",
      describeConfig(layers && c.init === "reference" ? { ...c, init: "he" } : c, inputs, {
        classes,
        ...(layers && { layers }),
      }),
    ],
  ];
  const es = row?.model.earlyStopping;
  if (es && row) {
    const stop = row.earlyStopping;
    out.push([
      "early stopping",
      `${Math.round(100 * es.devFraction)}% of the training set as dev (split seed ${es.splitSeed ?? 0}), ` +
        `watching the ${es.monitor === "devAccuracy" ? "dev accuracy" : "dev cost"}${es.evaluateEvery ? ` every ${es.evaluateEvery} iterations` : ""}` +
        `${es.patience !== undefined ? `, patience ${es.patience}` : ""}` +
        (stop
          ? `; ${stop.stoppedAt !== undefined ? `stopped at ${stop.stoppedAt}` : "ran to the end"}, kept iteration ${stop.bestIteration ?? "—"}`
          : ""),
    ]);
  }
  const held = row?.model.holdOut;
  if (held) {
    out.push([
      "training data",
      `the ${Math.round(100 * (1 - held.devFraction))}% early stopping trains on (split seed ${held.splitSeed ?? 0}); the rest unused`,
    ]);
  }
  if (row?.model.augment)
    out.push(["augmentation", describeAugmentation(row.model.augment, row.fittedExamples)]);
  if (row?.seeds && row.seeds.length > 1) {
    out.push(["seeds", `${row.seeds.map((q) => q.seed).join(", ")} (figures: the first)`]);
  }
  out.push(
    ["cost recorded", `every ${c.costEvery} iterations`],
    ["training time", `${seconds.toFixed(2)} s`],
  );
  return out;
}
