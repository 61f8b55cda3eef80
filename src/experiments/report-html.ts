/**
 * The comparison report as one self-contained HTML page (inline CSS and SVG, no scripts, no
 * network): the results table, a chart of every run's cost, and per model its decision boundary
 * and cost curve side by side, its configuration, and two paragraphs on what its picture shows —
 * written from measured numbers (boundary length, islands, noisy points fitted, the width of the
 * uncertain band, the cost curve's wiggles, McNemar's test against the baseline), not canned text.
 * Browser-safe: strings in, strings out; the CLI writes the files and PNGs.
 */

import type { Matrix } from "../core/matrix.js";
import type { DataBundle, Dataset } from "../data/dataset.js";
import { type BoundaryOptions, plotDecisionBoundary } from "../plot/boundary.js";
import { plotCostCurves } from "../plot/curves.js";
import { contourLines, sampleGrid } from "../plot/grid.js";
import { seriesColor } from "../plot/palette.js";
import { resolveView } from "../plot/plane.js";
import type { View } from "../plot/view.js";
import type { RunConfig } from "../training/config.js";
import { baselineSentence, baselineSummary } from "./baseline.js";
import { type ComparisonRow, explainRow, significanceLine, testSpread } from "./compare.js";
import { mcnemar, wilsonInterval } from "./stats.js";
import { connectedComponents } from "./zones.js";

export interface ReportFigure {
  /** File stem: "boundary-none", "cost-l2", "costs". */
  name: string;
  title: string;
  svg: string;
}

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
  /** When it was produced (the engine has no clock: pass it in). */
  generated?: string;
  /** Version string for the footer. */
  version?: string;
}

/** What a model's decision-boundary picture shows, in numbers. */
export interface BoundaryStats {
  /** Length of the p = 0.5 line inside the plotted window, data units. */
  boundaryLength: number;
  /** Connected regions (4-connectivity on a 120 × 120 grid) predicted class 1 and class 0. */
  regions: { class1: number; class0: number };
  /** Fraction of the window where 0.1 < p < 0.9: how wide the model's band of doubt is. */
  uncertainFraction: number;
  /** Training points surrounded by the other class (≥ 5 of their 7 nearest neighbours). */
  noisyPoints: number;
  /** How many of those the model classifies with their own (surprising) label: noise it fitted. */
  noisyFitted: number;
  /** Misclassified training points. */
  trainErrors: number;
}

export interface CostStats {
  first: number;
  last: number;
  /** Recorded steps where the cost went up by more than 0.1 %. */
  rises: number;
  steps: number;
}

const K_NEIGHBOURS = 7;
const NOISY_MAJORITY = 5;

/** Indices of training points whose ≥ 5 of 7 nearest neighbours have the other label. */
export function noisyPoints(d: Dataset): number[] {
  const m = d.X.cols;
  const nx = d.X.rows;
  const out: number[] = [];
  const dist = new Float64Array(m);
  const order = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let f = 0; f < nx; f++) s += (d.X.data[f * m + j] - d.X.data[f * m + k]) ** 2;
      dist[k] = k === j ? Number.POSITIVE_INFINITY : s;
      order[k] = k;
    }
    const nearest = Array.from(order)
      .sort((a, b) => dist[a] - dist[b])
      .slice(0, Math.min(K_NEIGHBOURS, m - 1));
    const other = nearest.filter((k) => d.y[k] !== d.y[j]).length;
    if (other >= Math.min(NOISY_MAJORITY, nearest.length)) out.push(j);
  }
  return out;
}

/** Measures a model's decision boundary over `view` (see {@link BoundaryStats}). */
export function boundaryStats(
  predict: (X: Matrix) => Float64Array,
  train: Dataset,
  view: View,
  noisy: readonly number[] = noisyPoints(train),
): BoundaryStats {
  const n = 120;
  const grid = sampleGrid(predict, view, n, n);
  let boundaryLength = 0;
  for (const line of contourLines(grid, 0.5)) {
    const k = line.x.length;
    for (let i = 1; i < k + (line.closed ? 1 : 0); i++) {
      const a = (i - 1) % k;
      const b = i % k;
      boundaryLength += Math.hypot(line.x[b] - line.x[a], line.y[b] - line.y[a]);
    }
  }
  const one = new Uint8Array(n * n);
  const zero = new Uint8Array(n * n);
  let uncertain = 0;
  for (let c = 0; c < n * n; c++) {
    const p = grid.values[c];
    one[c] = p >= 0.5 ? 1 : 0;
    zero[c] = 1 - one[c];
    if (p > 0.1 && p < 0.9) uncertain++;
  }
  const p = predict(train.X);
  let trainErrors = 0;
  for (let j = 0; j < p.length; j++) if ((p[j] > 0.5 ? 1 : 0) !== train.y[j]) trainErrors++;
  let noisyFitted = 0;
  for (const j of noisy) if ((p[j] > 0.5 ? 1 : 0) === train.y[j]) noisyFitted++;
  return {
    boundaryLength,
    regions: {
      class1: connectedComponents(one, n, n).length,
      class0: connectedComponents(zero, n, n).length,
    },
    uncertainFraction: uncertain / (n * n),
    noisyPoints: noisy.length,
    noisyFitted,
    trainErrors,
  };
}

/** Rises smaller than this fraction of the cost are rounding-level plateaus, not counted. */
const RISE_TOLERANCE = 1e-3;

export function costStats(costs: readonly number[]): CostStats {
  let rises = 0;
  for (let i = 1; i < costs.length; i++) if (costs[i] > costs[i - 1] * (1 + RISE_TOLERANCE)) rises++;
  return {
    first: costs[0] ?? Number.NaN,
    last: costs.at(-1) ?? Number.NaN,
    rises,
    steps: Math.max(0, costs.length - 1),
  };
}

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function relative(a: number, b: number): string {
  if (!(b > 0)) return "";
  const r = a / b - 1;
  if (Math.abs(r) < 0.05) return "about as long as the baseline's";
  return `${Math.abs(Math.round(100 * r))}% ${r > 0 ? "longer" : "shorter"} than the baseline's`;
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
): [string, string] {
  const isBase = row === baseline;
  const c = row.result.config;
  let picture: string;
  if (stats) {
    const islands = stats.regions.class1 + stats.regions.class0;
    const parts: string[] = [];
    parts.push(
      `The p = 0.5 boundary is ${stats.boundaryLength.toFixed(2)} data units long${isBase || !baseStats ? "" : `, ${relative(stats.boundaryLength, baseStats.boundaryLength)}`}, ` +
        `and it cuts the plotted area into ${plural(islands, "region")} (${stats.regions.class1} "${classNames[1]}", ${stats.regions.class0} "${classNames[0]}")` +
        `${islands > 2 ? ": the extra pockets are the boundary detouring around single points" : ": one clean split"}.`,
    );
    if (stats.noisyPoints > 0) {
      const others = (allStats ?? []).filter((t) => t !== stats && t !== undefined) as BoundaryStats[];
      const mostOthers = others.length > 0 ? Math.max(...others.map((t) => t.noisyFitted)) : undefined;
      let verdict: string;
      if (stats.noisyFitted === 0) verdict = "it leaves every one of them alone, as noise";
      else if (mostOthers !== undefined && stats.noisyFitted > mostOthers)
        verdict = `it bends around more of them than any other model here (at most ${mostOthers}) — "fitting the noisy points", as the seed puts it`;
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
  } else {
    picture = `The data has ${row.result.network.outputs > 1 ? "more than two classes" : "more than two features"}, so there is no boundary picture; the cost curve is beside the table.`;
  }

  const cost = costStats(row.result.history.costs);
  const sentences: string[] = [explainRow(row, baseline)];
  if (!isBase && row.testCorrect && baseline.testCorrect) {
    const t = mcnemar(row.testCorrect, baseline.testCorrect);
    const diff = t.b - t.c;
    sentences.push(
      `On the test set it is right where the baseline is wrong ${plural(t.b, "time")} and the reverse ${plural(t.c, "time")}; ` +
        `McNemar's test gives p = ${t.pValue.toFixed(3)}, so the ${diff >= 0 ? "gain" : "loss"} is ${t.pValue < 0.05 ? "significant" : "not significant"} at 5% on ${row.testCorrect.length} test points.`,
    );
  }
  const wiggle =
    cost.rises === 0
      ? "never rises by more than 0.1% between recorded steps"
      : `rises (by more than 0.1%) at ${cost.rises} of its ${cost.steps} recorded steps`;
  sentences.push(
    `Its cost goes from ${cost.first.toFixed(4)} to ${cost.last.toFixed(4)} and ${wiggle}` +
      `${c.lambda > 0 ? "; it ends higher because it includes the L2 penalty" : ""}.`,
  );
  return [picture, sentences.join(" ")];
}

function configRows(
  c: RunConfig,
  inputs: number,
  seconds: number,
  row?: ComparisonRow,
): Array<[string, string]> {
  const keep = Array.isArray(c.keepProb) ? c.keepProb.join(", ") : String(c.keepProb);
  const outputs = row?.result.network.outputs ?? 1;
  const extra: Array<[string, string]> = [];
  const es = row?.model.earlyStopping;
  if (es && row) {
    const stop = row.earlyStopping;
    extra.push([
      "early stopping",
      `${Math.round(100 * es.devFraction)}% of the training set as dev (split seed ${es.splitSeed ?? 0}), ` +
        `watching the ${es.monitor === "devAccuracy" ? "dev accuracy" : "dev cost"}${es.evaluateEvery ? ` every ${es.evaluateEvery} iterations` : ""}` +
        `${es.patience !== undefined ? `, patience ${es.patience}` : ""}` +
        (stop
          ? `; ${stop.stoppedAt !== undefined ? `stopped at ${stop.stoppedAt}` : "ran to the end"}, kept iteration ${stop.bestIteration ?? "—"}`
          : ""),
    ]);
  }
  if (row?.seeds && row.seeds.length > 1) {
    extra.push(["seeds", `${row.seeds.map((q) => q.seed).join(", ")} (figures: the first)`]);
  }
  return [
    [
      "network",
      `[${[inputs, ...c.hidden, outputs].join(", ")}], ${c.activation} hidden, ${outputs > 1 ? "softmax" : "sigmoid"} output`,
    ],
    ["initialization", `${c.init}, seed ${c.seed}`],
    [
      "optimizer",
      `${c.optimizer.name === "gd" ? "gradient descent" : c.optimizer.name}, α = ${c.learningRate}${c.learningRateDecay > 0 ? `, decay ${c.learningRateDecay}` : ""}`,
    ],
    ["batch", c.batchSize > 0 ? `${c.batchSize} examples` : "full batch"],
    ["iterations", `${c.iterations.toLocaleString("en-US")} (cost every ${c.costEvery})`],
    ["L2 λ", String(c.lambda)],
    ["dropout", keep === "1" ? "off" : `keepProb ${keep}, ${c.dropoutMasks} masks`],
    ["training time", `${seconds.toFixed(2)} s`],
    ...extra,
  ];
}

const CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5a5a5f; --rule: #dedee3; --accent: #2166ac; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f8; color: var(--ink); font: 15px/1.55 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 28px 32px 40px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 22px; padding-bottom: 12px; }
h1 { font-size: 26px; margin: 0 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 0 0 10px; }
h3 { font-size: 14px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 16px 0 6px; }
.lead { font-size: 16px; margin: 4px 0 10px; max-width: 980px; }
.meta { color: var(--muted); font-size: 13.5px; margin: 2px 0; }
code { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; background: #ececf0; padding: 1px 5px; border-radius: 4px; }
section { background: #fff; border: 1px solid var(--rule); border-radius: 10px; padding: 20px 24px; margin: 0 0 22px; }
table.results { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.results th, table.results td { padding: 7px 10px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
table.results th:first-child, table.results td:first-child { text-align: left; }
table.results th { font-size: 13px; color: var(--muted); font-weight: 600; border-bottom: 2px solid #c9c9cf; }
table.results td.best { font-weight: 700; color: var(--accent); }
table.results tr.baseline td { color: var(--muted); font-style: italic; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 8px; vertical-align: -1px; }
.note { color: var(--muted); font-size: 13.5px; margin: 10px 0 0; }
.figures { display: grid; grid-template-columns: minmax(0, var(--left, 1.1fr)) minmax(0, var(--right, 1fr)); gap: 16px; align-items: start; }
.table-wrap { overflow-x: auto; }
.figures.single { grid-template-columns: minmax(0, 1fr); }
figure { margin: 0; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 6px; background: #fff; }
figcaption { font-size: 12.5px; color: var(--muted); margin-top: 4px; }
.overview { display: grid; grid-template-columns: minmax(0, 824fr) minmax(0, 420fr); gap: 24px; align-items: start; margin-top: 14px; }
.overview .note { margin: 0 0 10px; }
.text { display: grid; grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr); gap: 24px; margin-top: 6px; }
.text p { margin: 0 0 10px; }
dl.config { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; font-size: 13.5px; }
dl.config dt { color: var(--muted); }
dl.config dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12.5px; text-align: center; }
@media (max-width: 900px) { .figures, .text, .overview { grid-template-columns: minmax(0, 1fr); } main { padding: 16px; } }
`;

const COST_WIDTH = 560;

/** Escapes text for HTML content and double-quoted attributes (apostrophes stay readable). */
function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** " (@ 7000)" when a run's last recorded cost is earlier than the others' (it stopped early). */
function costAt(r: ComparisonRow, last: number): string {
  const at = r.result.history.iterations.at(-1) ?? 0;
  return at === last ? "" : ` <span class="ci">(@ ${at})</span>`;
}

/** One sentence on what the page compares and which model came out best on the test set. */
function lead(rows: readonly ComparisonRow[], inputs: number): string {
  const c = rows[0].result.config;
  const net = `[${[inputs, ...c.hidden, rows[0].result.network.outputs].join(", ")}]`;
  const scored = rows.filter((r) => r.testAccuracy !== null);
  let best = "";
  if (scored.length > 0) {
    const top = scored.reduce((a, r) => (r.testAccuracy! > a.testAccuracy! ? r : a));
    best = ` Best on the test set: ${top.model.name}, ${pct(top.testAccuracy!)}.`;
  }
  return `The same network ${net} trained ${rows.length} ways on the same data — only the regularization differs — to see which one generalizes best to new positions.${best}`;
}

/** Width and height attributes of an SVG document's root. */
function svgSize(svg: string): { width: number; height: number } | undefined {
  const m = /^<svg[^>]*?\swidth="([\d.]+)"\s+height="([\d.]+)"/.exec(svg.trim());
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}

/** Grid columns in proportion to the last two figures' widths, so they render at one scale. */
function columns(figures: readonly ReportFigure[], two: boolean): string {
  if (!two || figures.length < 2) return "";
  const a = svgSize(figures[figures.length - 2].svg);
  const b = svgSize(figures[figures.length - 1].svg);
  if (!a || !b) return "";
  return ` style="--left: ${Math.round(a.width)}fr; --right: ${Math.round(b.width)}fr"`;
}

/** An SVG document ready to sit inside the page (its <title> and aria-label come from the plot). */
function inlineSvg(svg: string): string {
  return svg.trim().replace(/^<svg /, '<svg class="figure" ');
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
  const title = options.title ?? "reglab — regularization compared";
  const baseline = rows[0];
  const inputs = data.train.X.rows;
  const mTrain = data.train.X.cols;
  const mTest = data.test?.X.cols ?? 0;
  const figures: ReportFigure[] = [];
  const canPlot = inputs === 2 && options.boundary !== undefined;
  const style = options.boundary ?? {};
  const classNames = style.classNames ?? (["class 0", "class 1"] as const);
  const view = canPlot ? resolveView(style, data.test ? [data.train, data.test] : [data.train]) : undefined;
  const noisy = canPlot ? noisyPoints(data.train) : [];
  const stats: (BoundaryStats | undefined)[] = rows.map((r) =>
    canPlot && view
      ? boundaryStats((X) => r.result.network.predictProba(X), data.train, view, noisy)
      : undefined,
  );

  const overview: ReportFigure = {
    name: "costs",
    title: "Cost during training — every model",
    svg: plotCostCurves(
      rows.map((r, i) => ({
        name: r.model.name,
        iterations: r.result.history.iterations,
        costs: r.result.history.costs,
        color: seriesColor(i),
      })),
      { title: "Cost during training — every model" },
    ),
  };
  figures.push(overview);

  const lastIt = Math.max(...rows.map((r) => r.result.history.iterations.at(-1) ?? 0));
  const bestTest = Math.max(...rows.map((r) => r.testAccuracy ?? Number.NEGATIVE_INFINITY));
  const seedCount = Math.max(...rows.map((r) => r.seeds?.length ?? 1));
  const tableRows = rows
    .map((r, i) => {
      const mRow = r.trainExamples ?? mTrain;
      const tr = wilsonInterval(Math.round(r.trainAccuracy * mRow), mRow);
      const te =
        r.testAccuracy === null ? undefined : wilsonInterval(Math.round(r.testAccuracy * mTest), mTest);
      const cells = [
        `<td><span class="swatch" style="background:${seriesColor(i)}"></span>${esc(r.model.name)}</td>`,
        `<td>${pct(r.trainAccuracy)} <span class="ci">[${(100 * tr.low).toFixed(1)}, ${(100 * tr.high).toFixed(1)}]</span></td>`,
        te && r.testAccuracy !== null
          ? `<td${r.testAccuracy === bestTest ? ' class="best"' : ""}>${pct(r.testAccuracy)} <span class="ci">[${(100 * te.low).toFixed(1)}, ${(100 * te.high).toFixed(1)}]</span></td>`
          : "<td>no test set</td>",
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
    })
    .join("\n");
  const majority = baselineSummary(
    data,
    rows.map((r) => ({ ...r, name: r.model.name, trainExamples: r.trainExamples ?? mTrain })),
  );
  const ci = (acc: number, n: number) => {
    const w = wilsonInterval(Math.round(acc * n), n);
    return `${pct(acc)} <span class="ci">[${(100 * w.low).toFixed(1)}, ${(100 * w.high).toFixed(1)}]</span>`;
  };
  // On imbalanced data the table also shows what always answering the majority class scores.
  const baselineRow = majority.imbalanced
    ? `<tr class="baseline"><td>always ${majority.label} (majority class)</td><td>${ci(majority.trainAccuracy, mTrain)}</td><td>${
        majority.testAccuracy === null ? "no test set" : ci(majority.testAccuracy, mTest)
      }</td><td>—</td><td>—</td>${seedCount > 1 ? "<td>—</td>" : ""}</tr>`
    : "";

  const modelSections = rows.map((r, i) => {
    const key = r.model.key;
    const trainTxt = `train ${pct(r.trainAccuracy)}`;
    const testTxt = r.testAccuracy === null ? "" : `, test ${pct(r.testAccuracy)}`;
    const figs: string[] = [];
    if (canPlot) {
      const bTitle = `${r.model.name} — ${trainTxt}${testTxt}`;
      const svg = plotDecisionBoundary((X) => r.result.network.predictProba(X), data, {
        ...style,
        title: bTitle,
      });
      figures.push({ name: `boundary-${key}`, title: bTitle, svg });
      figs.push(
        `<figure>${inlineSvg(svg)}<figcaption>Decision boundary: P(${esc(classNames[1])}) as colour, the p = 0.5 line in black; filled discs are training points, rings test points. PNG: <code>boundary-${esc(key)}.png</code></figcaption></figure>`,
      );
    }
    const cTitle = `${r.model.name} — cost`;
    const series = [
      {
        name: r.model.name,
        iterations: r.result.history.iterations,
        costs: r.result.history.costs,
        color: seriesColor(i),
      },
    ];
    if (r !== baseline) {
      series.push({
        name: `${baseline.model.name} (baseline)`,
        iterations: baseline.result.history.iterations,
        costs: baseline.result.history.costs,
        color: "#9a9a9a",
      });
    }
    const evaluated = r.result.history.evaluations.filter((e) => e.devCost !== undefined);
    if (evaluated.length > 0) {
      series.push({
        name: "dev cost",
        iterations: evaluated.map((e) => e.iteration),
        costs: evaluated.map((e) => e.devCost!),
        color: "#000000",
      });
    }
    const best = r.result.history.bestIteration;
    // Beside a boundary: narrower, and as tall, so both scale alike in the page's two columns.
    const boundarySize = figs.length > 0 ? svgSize(figures[figures.length - 1].svg) : undefined;
    const costSvg = plotCostCurves(
      series.map((s, k) => ({ ...s, dashed: k > 0 })),
      {
        title: cTitle,
        ...(boundarySize && { width: COST_WIDTH, height: boundarySize.height }),
        ...(best !== undefined && { markers: [{ iteration: best, label: "weights kept" }] }),
      },
    );
    figures.push({ name: `cost-${key}`, title: cTitle, svg: costSvg });
    figs.push(
      `<figure>${inlineSvg(costSvg)}<figcaption>Cost every ${r.result.config.costEvery} iterations${r.result.config.lambda > 0 ? " (cross-entropy plus the L2 term)" : ""}. PNG: <code>cost-${esc(key)}.png</code></figcaption></figure>`,
    );
    const [p1, p2] = describeModel(r, baseline, stats[i], stats[0], classNames, stats);
    const config = configRows(r.result.config, inputs, r.result.seconds, r)
      .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
      .join("");
    const exact =
      `<dt>train accuracy</dt><dd>${r.trainAccuracy} (${Math.round(r.trainAccuracy * (r.trainExamples ?? mTrain))}/${r.trainExamples ?? mTrain})</dd>` +
      (r.testAccuracy === null
        ? ""
        : `<dt>test accuracy</dt><dd>${r.testAccuracy} (${Math.round(r.testAccuracy * mTest)}/${mTest})</dd>`);
    return `<section class="model" id="model-${esc(key)}">
<h2><span class="swatch" style="background:${seriesColor(i)}"></span>${esc(r.model.name)}</h2>
<div class="figures${canPlot ? "" : " single"}"${columns(figures, canPlot)}>${figs.join("\n")}</div>
<div class="text">
<div><h3>What the picture shows</h3><p>${esc(p1)}</p><h3>What the numbers say</h3><p>${esc(p2)}</p></div>
<div><h3>Configuration</h3><dl class="config">${config}${exact}</dl></div>
</div>
</section>`;
  });

  const metaLines = [
    options.dataDescription ? `Data: ${esc(options.dataDescription)}` : `Data: ${esc(data.source)}`,
    options.command ? `Command: <code>${esc(options.command)}</code>` : "",
    options.generated ? `Generated ${esc(options.generated)}` : "",
  ].filter((s) => s !== "");
  const synthetic = data.synthetic
    ? `<p class="note">This data is generated (a stand-in shaped like the article's); pass <code>--data football.mat</code> for the real data.</p>`
    : "";
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${esc(title)}</h1>
<p class="lead">${esc(lead(rows, inputs))}</p>
${metaLines.map((l) => `<p class="meta">${l}</p>`).join("\n")}
</header>
<section class="summary">
<h2>Results</h2>
<div class="table-wrap"><table class="results">
<thead><tr><th>model</th><th>train accuracy [95% CI]</th><th>test accuracy [95% CI]</th><th>cost @ ${lastIt}</th><th>seconds</th>${seedCount > 1 ? `<th>test over ${seedCount} seeds: mean ± sd [min, max]</th>` : ""}</tr></thead>
<tbody>
${tableRows}
${baselineRow}
</tbody>
</table></div>
<div class="overview">
<figure>${inlineSvg(overview.svg)}<figcaption>PNG: <code>costs.png</code></figcaption></figure>
<div>
<h3>Reading the numbers</h3>
<p class="note">Intervals are 95% Wilson intervals over the training examples each model fitted (${mTrain}, fewer where a dev set is held out) and the ${mTest} test examples; the best test accuracy is in bold. Every model starts from the same data, network and initial weights; only the regularization differs.</p>
${majority.imbalanced ? `<p class="note">${esc(baselineSentence(majority))}</p>` : ""}
${mTest > 0 && rows.length > 1 ? `<p class="note">${esc(significanceLine(rows))}</p>` : ""}
${synthetic}
<p class="note">Below, one section per model: its decision boundary and cost curve side by side, two paragraphs read off its numbers, and its full configuration.</p>
</div>
</div>
</section>
${modelSections.join("\n")}
<footer>reglab${options.version ? ` ${esc(options.version)}` : ""} — one self-contained page: inline SVG, no scripts, no network. Each figure is also saved as a PNG beside this file.</footer>
</main>
</body>
</html>
`;
  return { html, figures };
}
