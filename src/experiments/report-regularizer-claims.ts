/**
 * The frameworks' regularizers' claims read off `compare`'s rows (regularizer-claims.ts has the
 * sentences): rows are found by what their config holds, not by key, so any model set that has
 * an L1 row, a label-smoothing row beside the same model without it, AdamW beside Adam + L2, or
 * max-norm with dropout (plus its learning-rate sweep, lr-probe.ts) gets the claim. The report's
 * section and the JSON's `regularizerClaims` both come from here.
 */
import type { RegularizerSpec } from "../core/regularizers.js";
import { zeroWeights } from "../core/regularizers.js";
import type { DataBundle } from "../data/dataset.js";
import { plotLearningRates } from "../plot/learning-rates.js";
import { plotReliability } from "../plot/reliability.js";
import { plotSparsity } from "../plot/sparsity.js";
import type { RunConfig } from "../training/config.js";
import { calibrate, confidences, type ReliabilityBin } from "./calibration.js";
import type { Claim } from "./claims.js";
import type { ComparisonRow } from "./compare.js";
import {
  adamwClaim,
  type LearningRatePoint,
  l1SparsityClaim,
  labelSmoothingCalibrationClaim,
  maxNormLearningRateClaim,
  regularizerThresholdsText,
  type SparsityRun,
} from "./regularizer-claims.js";
import { esc, figureHtml, type ReportFigure } from "./report-template.js";

const hasL1 = (s: RegularizerSpec) =>
  (s.kind === "l1" && (s.lambda as number) > 0) || (s.kind === "elastic" && (s.l1 as number) > 0);
const isMaxNorm = (s: RegularizerSpec) => s.kind === "max-norm";

/** A config as text with the named fields left out (and the seed): rows equal but for those. */
function sameBut(c: RunConfig, fields: readonly (keyof RunConfig)[], drop?: (s: RegularizerSpec) => boolean) {
  const o: Record<string, unknown> = { ...c };
  for (const f of [...fields, "seed"]) delete o[f];
  if (drop) o.regularizers = c.regularizers.filter((s) => !drop(s));
  return JSON.stringify(o, Object.keys(o).sort());
}

/** Rows that train plainly: no early stopping, held-out data or augmentation. */
const plain = (r: ComparisonRow) => !r.model.earlyStopping && !r.model.holdOut && !r.model.augment;

/** The row equal to `row` but for `fields` (and `drop`ped specs), other than itself. */
function partner(
  rows: readonly ComparisonRow[],
  row: ComparisonRow,
  fields: readonly (keyof RunConfig)[],
  accept: (r: ComparisonRow) => boolean,
  drop?: (s: RegularizerSpec) => boolean,
): ComparisonRow | undefined {
  const key = sameBut(row.result.config, fields, drop);
  return rows.find(
    (r) => r !== row && plain(r) && accept(r) && sameBut(r.result.config, fields, drop) === key,
  );
}

function sparsity(r: ComparisonRow): SparsityRun {
  const w = r.result.network.weights;
  return { name: r.model.name, zeros: zeroWeights(w), sizes: w.map((W) => W.length) };
}

export interface RegularizerClaims {
  claims: Claim[];
  thresholds: string;
  /** Weights exactly zero per layer of the L1 row and its unregularized partner. */
  sparsity?: SparsityRun[];
  /** Test-set ECE and reliability bins of the label-smoothing row and its partner. */
  calibration?: { name: string; ece: number; mce: number; bins: ReliabilityBin[] }[];
  /** The learning-rate sweep's points (without per-example results). */
  learningRates?: Omit<LearningRatePoint, "correct">[];
  /** The sweep's arms by name, and the set its accuracy is scored on. */
  learningRateArms?: { with: string; without: string; scoredOn: "test" | "training" };
}

/** The max-norm + dropout row whose learning-rate sweep decides the claim, if any. */
export function maxNormRow(rows: readonly ComparisonRow[]): ComparisonRow | undefined {
  return rows.find(
    (r) => plain(r) && r.result.config.regularizers.some(isMaxNorm) && hasDropout(r.result.config),
  );
}

const hasDropout = (c: RunConfig) =>
  typeof c.keepProb === "number" ? c.keepProb < 1 : c.keepProb.some((k) => k < 1);

/**
 * Every regularizer claim the rows can decide. `learningRates`: the max-norm sweep's points
 * (lr-probe.ts); without them, rows of the max-norm configuration at several α serve.
 */
export function regularizerClaims(
  rows: readonly ComparisonRow[],
  data: DataBundle,
  learningRates?: readonly LearningRatePoint[],
): RegularizerClaims {
  const out: RegularizerClaims = { claims: [], thresholds: regularizerThresholdsText() };
  const none =
    rows.find((r) => r.model.key === "none") ??
    rows.find((r) => plain(r) && r.model.overrides && Object.keys(r.model.overrides).length === 0);

  const l1 = rows.find((r) => plain(r) && r.result.config.regularizers.some(hasL1));
  if (l1) {
    const runs = [...(none ? [sparsity(none)] : []), sparsity(l1)];
    out.claims.push(l1SparsityClaim(sparsity(l1), none ? sparsity(none) : undefined));
    out.sparsity = runs;
  }

  const mn = maxNormRow(rows);
  let points = learningRates ? [...learningRates] : [];
  if (mn && points.length === 0) {
    // Rows of the same model at other α, with and without max-norm.
    const key = sameBut(mn.result.config, ["learningRate"], isMaxNorm);
    points = rows
      .filter((r) => plain(r) && sameBut(r.result.config, ["learningRate"], isMaxNorm) === key)
      .map((r) => ({
        learningRate: r.result.config.learningRate,
        maxNorm: r.result.config.regularizers.some(isMaxNorm),
        diverged: false,
        ...(r.testAccuracy !== null && { accuracy: r.testAccuracy }),
        ...(r.testCorrect && { correct: r.testCorrect }),
      }));
  }
  if (mn || points.length > 0) {
    const names = { with: mn?.model.name ?? "max-norm + dropout", without: "dropout alone" };
    out.claims.push(maxNormLearningRateClaim(points, names));
    out.learningRates = points.map(({ correct: _, ...p }) => p);
    out.learningRateArms = { ...names, scoredOn: data.test ? "test" : "training" };
  }

  const test = data.test;
  const ls = rows.find((r) => plain(r) && r.result.config.labelSmoothing > 0);
  const lsPartner = ls && partner(rows, ls, ["labelSmoothing"], (r) => r.result.config.labelSmoothing === 0);
  if (test && ls && lsPartner) {
    const runs = [lsPartner, ls].map((r) => ({
      name: r.model.name,
      confidences: confidences(r.result.network.predictProba(test.X), test.y),
    }));
    out.claims.push(labelSmoothingCalibrationClaim(runs[0], runs[1]));
    out.calibration = runs.map((r) => {
      const c = calibrate(r.confidences);
      return { name: r.name, ece: c.ece, mce: c.mce, bins: c.bins };
    });
  }

  const isAdam = (c: RunConfig) => c.optimizer.name === "adam";
  const adamW = rows.find((r) => plain(r) && isAdam(r.result.config) && r.result.config.weightDecay > 0);
  const adamL2 =
    adamW &&
    partner(
      rows,
      adamW,
      ["weightDecay", "lambda"],
      (r) => isAdam(r.result.config) && r.result.config.weightDecay === 0 && r.result.config.lambda > 0,
    );
  if (adamW?.testCorrect && adamL2?.testCorrect) {
    const scored = (r: ComparisonRow) => ({
      name: r.model.name,
      testAccuracy: r.testAccuracy!,
      testCorrect: r.testCorrect!,
    });
    out.claims.push(adamwClaim(scored(adamL2), scored(adamW)));
  }
  return out;
}

function verdict(c: Claim): string {
  if (c.held === undefined) return "";
  return `<span class="verdict ${c.held ? "held" : "failed"}">${c.held ? "Held here." : "Did not hold here."}</span> `;
}

/** The learning-rate sweep as a table: α down, with and without max-norm across. */
function learningRateTable(points: readonly Omit<LearningRatePoint, "correct">[]): string {
  const rates = [...new Set(points.map((p) => p.learningRate))].sort((a, b) => a - b);
  const cell = (rate: number, maxNorm: boolean) => {
    const p = points.find((q) => q.learningRate === rate && q.maxNorm === maxNorm);
    if (!p) return "—";
    return p.diverged || p.accuracy === undefined ? "diverged" : `${(100 * p.accuracy).toFixed(1)}%`;
  };
  const rows = rates
    .map((r) => `<tr><td>${r}</td><td>${cell(r, true)}</td><td>${cell(r, false)}</td></tr>`)
    .join("");
  return `<table class="learning-rates"><caption>The learning-rate sweep: accuracy at each α</caption><thead><tr><th>α</th><th>with max-norm</th><th>without</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * The sweep as a chart: accuracy against α (log scale), with and without max-norm, a diverged run
 * as a cross under the scores; the caption counts the diverged runs (the chart audit checks it).
 */
function learningRateFigure(
  points: readonly Omit<LearningRatePoint, "correct">[],
  arms: RegularizerClaims["learningRateArms"],
): { figure: ReportFigure; caption: string } {
  const names = arms ?? { with: "max-norm + dropout", without: "dropout alone", scoredOn: "test" };
  const arm = (maxNorm: boolean, name: string) => ({
    name,
    points: points
      .filter((p) => p.maxNorm === maxNorm)
      .map((p) => ({
        learningRate: p.learningRate,
        diverged: p.diverged,
        ...(p.accuracy !== undefined && { value: 100 * p.accuracy }),
      })),
  });
  const title = "Accuracy against the learning rate α — with and without max-norm";
  const svg = plotLearningRates([arm(true, names.with), arm(false, names.without)], {
    title,
    yLabel: `${names.scoredOn} accuracy (%)`,
    bounds: [0, 100],
    width: 660,
  });
  const diverged = points.filter((p) => p.diverged).length;
  const caption =
    `${names.scoredOn === "test" ? "Test" : "Training"} accuracy of “${esc(names.with)}” and of the same model without max-norm (“${esc(names.without)}”) at each α of the sweep, α on a log scale. ` +
    `${diverged > 0 ? "A run that diverged has no accuracy: it is a cross in the shaded strip at the bottom, and its line breaks there; " : ""}${diverged} of the ${points.length} runs diverged. ` +
    "PNG: <code>learning-rates.png</code>";
  return { figure: { name: "learning-rates", title, svg }, caption };
}

/** The report's section (HTML) and its figures, or nothing when no claim could be read. */
export function regularizerClaimsSection(
  found: RegularizerClaims,
): { html: string; figures: ReportFigure[] } | undefined {
  if (found.claims.length === 0) return undefined;
  const figures: ReportFigure[] = [];
  const shown: string[] = [];
  if (found.sparsity) {
    const title = "Weights exactly zero, per layer";
    const svg = plotSparsity(found.sparsity, { title, width: 660, height: 400 });
    figures.push({ name: "zero-weights", title, svg });
    shown.push(
      figureHtml(
        svg,
        "Bar height: the layer's share of weights exactly 0; label: their count. PNG: <code>zero-weights.png</code>",
      ),
    );
  }
  if (found.calibration) {
    const title = "Reliability on the test set";
    const svg = plotReliability(
      found.calibration.map((c) => ({ name: `${c.name} (ECE ${c.ece.toFixed(3)})`, bins: c.bins })),
      { title, width: 660, height: 480 },
    );
    figures.push({ name: "reliability", title, svg });
    shown.push(
      figureHtml(
        svg,
        "Accuracy of each of 15 confidence bins against its mean confidence; below the diagonal is overconfident. Dot area: the bin's share of the examples. PNG: <code>reliability.png</code>",
      ),
    );
  }
  if (found.learningRates && found.learningRates.length > 0) {
    const figure = learningRateFigure(found.learningRates, found.learningRateArms);
    figures.push(figure.figure);
    shown.push(figureHtml(figure.figure.svg, figure.caption), learningRateTable(found.learningRates));
  }
  const items = found.claims
    .map((c) => `<li><blockquote>“${esc(c.quote)}”</blockquote>${verdict(c)}${esc(c.sentence)}</li>`)
    .join("\n");
  const html = `<section class="claims-section" id="regularizer-claims">
<h2>Regularizers: their claims, measured</h2>
<div class="claims">
<div>${shown.join("\n")}</div>
<ol>
${items}
</ol>
</div>
<p class="note">${esc(found.thresholds)}</p>
</section>`;
  return { html, figures };
}
