/**
 * The comparison report as one self-contained HTML page (inline CSS and SVG, no scripts, no
 * network): the results table, McNemar's test for every pair as a table, on images the test
 * accuracies with their intervals and the accuracy curves as the headline, a chart of every run's
 * training cross-entropy, the article's claims measured, and per model its decision boundary (or
 * its image panels) and its train and test curves side by side, its configuration, and two
 * paragraphs read off its numbers. The measuring is in
 * report-diagnostics.ts, the words in report-prose.ts and report-claims.ts, the frame in
 * report-template.ts. Browser-safe: strings in, strings out; the CLI writes the files and PNGs.
 */

import { specText } from "../core/layers/spec.js";
import { bundleClassCount, type DataBundle } from "../data/dataset.js";
import { type BoundaryOptions, plotDecisionBoundary } from "../plot/boundary.js";
import { type CostSeries, plotCostCurves } from "../plot/curves.js";
import { seriesColor } from "../plot/palette.js";
import { PITCH_LENGTH, PITCH_WIDTH } from "../plot/pitch.js";
import { resolveView } from "../plot/plane.js";
import { FOOTBALL_VIEW } from "../plot/view.js";
import { baselineSentence, baselineSummary } from "./baseline.js";
import { type ComparisonRow, sparsitySentence, testSpread } from "./compare.js";
import { claimsSection } from "./report-claims.js";
import { type BoundaryStats, boundaryStats, crossEntropyCurve, noisyPoints } from "./report-diagnostics.js";
import { firstLayerSection } from "./report-filters.js";
import {
  accuracyCaption,
  accuracyCurvesCaption,
  accuracyCurvesFigure,
  accuracyFigure,
  mcnemarTable,
} from "./report-headline.js";
import { imagePanels } from "./report-images.js";
import { configRows, describeModel, lead, pct } from "./report-prose.js";
import {
  type RegularizerClaims,
  regularizerClaims,
  regularizerClaimsSection,
} from "./report-regularizer-claims.js";
import { columns, esc, figureHtml, page, type ReportFigure, svgSize } from "./report-template.js";
import { wilsonInterval } from "./stats.js";

export type { BoundaryStats, CostStats } from "./report-diagnostics.js";
export { boundaryStats, costStats, noisyPoints } from "./report-diagnostics.js";
export { describeModel } from "./report-prose.js";
export type { ReportFigure } from "./report-template.js";

export interface BuiltReport {
  html: string;
  figures: ReportFigure[];
}

export interface ReportOptions {
  /** Page title; default "reglab — regularization compared". */
  title?: string;
  /** How the data is described in the header (e.g. "football.mat: 211 training examples, …"). */
  dataDescription?: string;
  /** Plot style of the boundaries (pitch, class names); boundaries are left out for data without 2 features. */
  boundary?: BoundaryOptions;
  /** The command that produced the report, shown in the header. */
  command?: string;
  /** The `reglab check` command for this data, named by the claims section. */
  checkCommand?: string;
  /** When it was produced (the engine has no clock: pass it in). */
  generated?: string;
  /** Version string for the footer. */
  version?: string;
  /** The regularizers' claims, when already read (compare adds its learning-rate sweep). */
  regularizerClaims?: RegularizerClaims;
}

const COST_WIDTH = 560;

/** " (@ 7000)" when a run's last recorded cost is earlier than the others' (it stopped early). */
function costAt(r: ComparisonRow, last: number): string {
  const at = r.result.history.iterations.at(-1) ?? 0;
  return at === last ? "" : ` <span class="ci">(@ ${at})</span>`;
}

/** "94.8% [90.9, 97.1]" with the interval in a span. */
function withInterval(acc: number, n: number): string {
  const w = wilsonInterval(Math.round(acc * n), n);
  return `${pct(acc)} <span class="ci">[${(100 * w.low).toFixed(1)}, ${(100 * w.high).toFixed(1)}]</span>`;
}

/** The results table (HTML). */
function resultsTable(rows: readonly ComparisonRow[], data: DataBundle): string {
  const mTrain = data.train.X.cols;
  const mTest = data.test?.X.cols ?? 0;
  const lastIt = Math.max(...rows.map((r) => r.result.history.iterations.at(-1) ?? 0));
  const bestTest = Math.max(...rows.map((r) => r.testAccuracy ?? Number.NEGATIVE_INFINITY));
  const seedCount = Math.max(...rows.map((r) => r.seeds?.length ?? 1));
  const body = rows.map((r, i) => {
    const cells = [
      `<td><span class="swatch" style="background:${seriesColor(i)}"></span>${esc(r.model.name)}</td>`,
      `<td>${withInterval(r.trainAccuracy, r.trainExamples ?? mTrain)}</td>`,
      r.testAccuracy === null
        ? "<td>no test set</td>"
        : `<td${r.testAccuracy === bestTest ? ' class="best"' : ""}>${withInterval(r.testAccuracy, mTest)}</td>`,
      `<td>${(r.result.history.costs.at(-1) ?? Number.NaN).toFixed(4)}${costAt(r, lastIt)}</td>`,
      `<td>${r.result.seconds.toFixed(2)}</td>`,
    ];
    if (seedCount > 1) {
      const sp = testSpread(r);
      cells.push(
        sp
          ? `<td>${pct(sp.mean)} ± ${(100 * sp.sd).toFixed(1)} <span class="ci">[${pct(sp.min)}, ${pct(sp.max)}]</span></td>`
          : "<td>—</td>",
      );
    }
    return `<tr>${cells.join("")}</tr>`;
  });
  const majority = baselineSummary(
    data,
    rows.map((r) => ({ ...r, name: r.model.name, trainExamples: r.trainExamples ?? mTrain })),
  );
  // On imbalanced data the table also shows what always answering the majority class scores.
  if (majority.imbalanced) {
    body.push(
      `<tr class="baseline"><td>always ${majority.label} (majority class)</td><td>${withInterval(majority.trainAccuracy, mTrain)}</td><td>${
        majority.testAccuracy === null ? "no test set" : withInterval(majority.testAccuracy, mTest)
      }</td><td>—</td><td>—</td>${seedCount > 1 ? "<td>—</td>" : ""}</tr>`,
    );
  }
  return `<table class="results">
<thead><tr><th>model</th><th>train accuracy [95% CI]</th><th>test accuracy [95% CI]</th><th>cost @ ${lastIt}</th><th>seconds</th>${seedCount > 1 ? `<th>test over ${seedCount} seeds: mean ± sd [min, max]</th>` : ""}</tr></thead>
<tbody>
${body.join("\n")}
</tbody>
</table>`;
}

/** The notes beside the overview chart (HTML). */
/** Whether every row trains the same network (a convolutional set may put a dense net beside a CNN). */
function sameNetwork(rows: readonly ComparisonRow[]): boolean {
  const net = (r: ComparisonRow) =>
    r.model.layers
      ?.filter((l) => !l.type.includes("dropout"))
      .map(specText)
      .join(",") ?? "dense";
  return rows.every((r) => net(r) === net(rows[0]));
}

function readingNotes(rows: readonly ComparisonRow[], data: DataBundle): string {
  const mTrain = data.train.X.cols;
  const mTest = data.test?.X.cols ?? 0;
  const majority = baselineSummary(
    data,
    rows.map((r) => ({ ...r, name: r.model.name, trainExamples: r.trainExamples ?? mTrain })),
  );
  const images = data.train.shape !== undefined;
  const augments = rows.some((r) => r.model.augment);
  const chart = images
    ? `The chart beside shows each model's training cross-entropy without the L2 term, on the data it trains on${augments ? ": for the augmenting models that is the augmented images, harder to fit than the originals, so their curves sit higher; a higher curve there does not mean worse generalization, the test accuracies above answer that" : ""} (the table's cost is the objective each one minimized).`
    : "The chart shows each model's training cross-entropy without the L2 term, so the models are measured alike (the table's cost is the objective each one minimized).";
  const notes = [
    `Intervals are 95% Wilson intervals over the training examples each model fitted (${mTrain}, fewer where a dev set is held out) and the ${mTest} test examples; the highest test accuracy is in bold, significant or not — the McNemar table says which differences are real. ${sameNetwork(rows) ? `Every model starts from the same data, network and initial weights; only the ${images ? "regularization or the augmentation" : "regularization"} differs.` : "Every model trains on the same data from the same seed; the networks differ as the model names say (a dense net beside a CNN), so a difference between them is the network's as much as the regularization's."} ${chart}`,
    majority.imbalanced ? baselineSentence(majority) : "",
    data.synthetic
      ? "This data is generated (a stand-in shaped like the article's); pass --data football.mat for the real data."
      : "",
    data.train.shape
      ? "Below: what the article claims, measured on this data; then one section per model — its train and test curves, its confusion matrix, its misclassified test images, the augmented samples it trained on (if it augments), two paragraphs read off its numbers, and its configuration."
      : "Below: what the article claims, measured on this data; then one section per model — its decision boundary and its train and test curves side by side, two paragraphs read off its numbers, and its configuration.",
  ];
  return notes
    .filter((n) => n !== "")
    .map((n) => `<p class="note">${esc(n)}</p>`)
    .join("\n");
}

/** The cross-entropy series of a row's training (no L2 term), for the charts. */
function trainSeries(r: ComparisonRow, name: string, color: string): CostSeries {
  const h = r.result.history;
  return {
    name,
    iterations: h.iterations,
    costs: crossEntropyCurve(h, r.result.config, r.fittedExamples),
    color,
  };
}

/** One model's section (HTML); pushes its figures. */
function modelSection(
  r: ComparisonRow,
  i: number,
  ctx: {
    rows: readonly ComparisonRow[];
    data: DataBundle;
    style?: BoundaryOptions;
    classNames: readonly [string, string];
    stats: readonly (BoundaryStats | undefined)[];
    figures: ReportFigure[];
  },
): string {
  const { data, style, figures } = ctx;
  const inputs = data.train.X.rows;
  const key = r.model.key;
  const figs: string[] = [];
  let boundaryHeight: number | undefined;
  if (style) {
    const bTitle = `${r.model.name} — train ${pct(r.trainAccuracy)}${r.testAccuracy === null ? "" : `, test ${pct(r.testAccuracy)}`}`;
    const svg = plotDecisionBoundary((X) => r.result.network.predictProba(X), data, {
      ...style,
      title: bTitle,
    });
    figures.push({ name: `boundary-${key}`, title: bTitle, svg });
    boundaryHeight = svgSize(svg)?.height;
    figs.push(
      figureHtml(
        svg,
        `Decision boundary: P(${esc(ctx.classNames[1])}) as colour, the p = 0.5 line in black; filled discs are training points, rings test points. PNG: <code>boundary-${esc(key)}.png</code>`,
      ),
    );
  }
  const color = seriesColor(i);
  const series: CostSeries[] = [trainSeries(r, "training set", color)];
  const curve = r.testCurve ?? [];
  if (curve.length > 0) {
    series.push({
      name: "test set",
      iterations: curve.map((p) => p.iteration),
      costs: curve.map((p) => p.cost),
      color,
      dashed: true,
    });
  }
  const evaluated = r.result.history.evaluations.filter((e) => e.devCost !== undefined);
  if (evaluated.length > 0) {
    series.push({
      name: "dev set",
      iterations: evaluated.map((e) => e.iteration),
      costs: evaluated.map((e) => e.devCost!),
      color: "#000000",
      dashed: true,
    });
  }
  const best = r.result.history.bestIteration;
  const cTitle = `${r.model.name} — train and test cross-entropy`;
  const costSvg = plotCostCurves(series, {
    title: cTitle,
    yLabel: "cross-entropy",
    ...(boundaryHeight && { width: COST_WIDTH, height: boundaryHeight }),
    ...(best !== undefined && { markers: [{ iteration: best, label: "weights kept" }] }),
  });
  figures.push({ name: `cost-${key}`, title: cTitle, svg: costSvg });
  const c = r.result.config;
  figs.push(
    figureHtml(
      costSvg,
      `Cross-entropy without the L2 term: on the training data every ${c.costEvery} iterations${c.keepProb === 1 ? "" : " (with that iteration's dropout masks)"}${r.model.augment ? " (the augmented data it trains on)" : ""}${curve.length > 0 ? ", and on the test set (dashed)" : ""}${evaluated.length > 0 ? " and the dev set (black)" : ""}. A test curve that turns up while the training curve falls is overfitting. PNG: <code>cost-${esc(key)}.png</code>`,
    ),
  );
  // Images: pictures of what it gets wrong and what it trained on, in place of a boundary.
  const images = data.train.shape !== undefined;
  const panels = images ? imagePanels(r, data, bundleClassCount(data), figures) : undefined;
  if (panels) figs.push(...panels.html);
  const [p1, p2] = describeModel(
    r,
    ctx.rows[0],
    ctx.stats[i],
    ctx.stats[0],
    ctx.classNames,
    ctx.stats,
    panels?.sentence,
  );
  const mTrain = r.trainExamples ?? data.train.X.cols;
  const mTest = data.test?.X.cols ?? 0;
  const config = configRows(c, inputs, r.result.seconds, r)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join("");
  const exact =
    `<dt>train accuracy</dt><dd>${pct(r.trainAccuracy, 2)} (${Math.round(r.trainAccuracy * mTrain)}/${mTrain})</dd>` +
    (r.testAccuracy === null
      ? ""
      : `<dt>test accuracy</dt><dd>${pct(r.testAccuracy, 2)} (${Math.round(r.testAccuracy * mTest)}/${mTest})</dd>`);
  return `<section class="model" id="model-${esc(key)}">
<h2><span class="swatch" style="background:${color}"></span>${esc(r.model.name)}</h2>
<div class="figures${style || images ? "" : " single"}"${columns(figures, style !== undefined)}>${figs.join("\n")}</div>
<div class="text">
<div><h3>What the picture shows</h3><p>${esc(p1)}</p><h3>What the numbers say</h3><p>${esc(p2)}</p></div>
<div><h3>Configuration</h3><dl class="config">${config}${exact}</dl></div>
</div>
</section>`;
}

/**
 * Builds the report: figures (SVG strings, also returned for PNG output) and the HTML page.
 */
export function buildReport(
  rows: readonly ComparisonRow[],
  data: DataBundle,
  options: ReportOptions = {},
): BuiltReport {
  if (rows.length === 0) throw new RangeError("a report needs at least one model");
  const inputs = data.train.X.rows;
  const figures: ReportFigure[] = [];
  const style = inputs === 2 ? options.boundary : undefined;
  const classNames = style?.classNames ?? (["class 0", "class 1"] as const);
  const view = style ? resolveView(style, data.test ? [data.train, data.test] : [data.train]) : undefined;
  const noisy = view ? noisyPoints(data.train) : [];
  // On the pitch, lengths in metres: the pitch box spans 105 m × 68 m.
  const box = style?.pitchBox ?? FOOTBALL_VIEW;
  const metres = style?.pitch
    ? { x: PITCH_LENGTH / (box.xMax - box.xMin), y: PITCH_WIDTH / (box.yMax - box.yMin) }
    : undefined;
  const stats = rows.map((r) =>
    view
      ? boundaryStats((X) => r.result.network.predictProba(X), data.train, view, noisy, metres)
      : undefined,
  );

  const images = data.train.shape !== undefined;
  // On images the headline is what the test set says; the training cost goes below it.
  const headline = images
    ? [accuracyFigure(rows), accuracyCurvesFigure(rows)].filter((f): f is ReportFigure => f !== undefined)
    : [];
  figures.push(...headline);
  const augments = rows.some((r) => r.model.augment);
  const oTitle = images
    ? `Training cross-entropy (no L2 term), on the data each model trains on${augments ? " (augmented or not)" : ""}`
    : "Training cross-entropy (no L2 term) — every model";
  const overview: ReportFigure = {
    name: "costs",
    title: oTitle,
    svg: plotCostCurves(
      rows.map((r, i) => trainSeries(r, r.model.name, seriesColor(i))),
      { title: oTitle, yLabel: "cross-entropy" },
    ),
  };
  figures.push(overview);
  const claims = claimsSection(rows, options.checkCommand ?? "reglab check");
  if (claims) figures.push(claims.figure);
  const regClaims = regularizerClaimsSection(options.regularizerClaims ?? regularizerClaims(rows, data));
  if (regClaims) figures.push(...regClaims.figures);
  // A CNN's section is followed by what its first layer looks for.
  const models = rows.map((r, i) =>
    [
      modelSection(r, i, { rows, data, style, classNames, stats, figures }),
      firstLayerSection(r, data, figures),
    ]
      .filter((h) => h !== "")
      .join("\n"),
  );

  const meta = [
    `Data: ${esc(options.dataDescription ?? data.source)}`,
    options.command ? `Command: <code>${esc(options.command)}</code>` : "",
    options.generated ? `Generated ${esc(options.generated)}` : "",
  ].filter((s) => s !== "");
  const html = page({
    title: options.title ?? "reglab — regularization compared",
    lead: lead(rows, inputs, data.train.shape !== undefined),
    meta,
    table: resultsTable(rows, data),
    headline: headline
      .map((f) =>
        figureHtml(
          f.svg,
          f.name === "test-accuracy"
            ? `${accuracyCaption(rows)} PNG: <code>${f.name}.png</code>`
            : `${accuracyCurvesCaption(rows, f.title)} PNG: <code>${f.name}.png</code>`,
        ),
      )
      .join("\n"),
    mcnemar: data.test && rows.length > 1 ? mcnemarTable(rows) : "",
    overview: figureHtml(
      overview.svg,
      images
        ? `What the training measured: cross-entropy on the training data each model fits${augments ? " — the augmented images for the augmenting models, so it rises with the augmentation's difficulty and reads backwards as a verdict on generalization" : ""}. PNG: <code>costs.png</code>`
        : "PNG: <code>costs.png</code>",
    ),
    notes: readingNotes(rows, data) + sparsityNote(rows),
    claims: (claims?.html ?? "") + (regClaims ? `\n${regClaims.html}` : ""),
    models,
    ...(options.version && { version: options.version }),
  });
  return { html, figures };
}

/** L1's claim measured (weights exactly zero per layer), when an L1 row ran. */
function sparsityNote(rows: readonly ComparisonRow[]): string {
  const sentence = sparsitySentence(rows);
  return sentence ? `\n<p class="sparsity">${esc(sentence)}</p>` : "";
}
