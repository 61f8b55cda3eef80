/**
 * The report's answer to "which model generalizes best?" on images: test accuracy per model with
 * its 95 % interval, dev and test accuracy over the iterations for every model on one chart, and
 * McNemar's test for every pair as a table (counts each way, p, Holm-corrected p, verdict).
 */

import { type BandSeries, plotBands } from "../plot/curves.js";
import { plotIntervals } from "../plot/intervals.js";
import { seriesColor } from "../plot/palette.js";
import { ALPHA } from "./claims.js";
import { type ComparisonRow, pairwiseMcNemar } from "./compare.js";
import { POWER_METHOD, powerStatement } from "./power.js";
import { pValue } from "./report-prose.js";
import { esc, type ReportFigure } from "./report-template.js";
import { mean, std, wilsonInterval } from "./stats.js";
import { studentTQuantile } from "./student-t.js";

/** Seeds every scored row ran (1 when a row ran only the first). */
function seedCount(rows: readonly ComparisonRow[]): number {
  const scored = rows.filter((r) => r.testCorrect !== null);
  return scored.length === 0 ? 0 : Math.min(...scored.map((r) => r.seeds.length));
}

/**
 * Test accuracy per model with its 95 % interval, the first model's as a dashed line. One seed:
 * its accuracy and Wilson interval. Several (`compare --seeds N`): the mean over the seeds, the
 * 95 % t-interval of that mean (how far the initial seed moves it, the test set held fixed), and
 * every seed's accuracy as a ring.
 */
export function accuracyFigure(rows: readonly ComparisonRow[]): ReportFigure | undefined {
  const seeds = seedCount(rows);
  if (seeds === 0) return undefined;
  const n = rows.find((r) => r.testCorrect !== null)!.testCorrect!.length;
  const t = seeds > 1 ? studentTQuantile(0.975, seeds - 1) : 0;
  const summary = (r: ComparisonRow) => {
    if (seeds === 1) return wilsonInterval(Math.round(r.testAccuracy! * n), n);
    const accs = r.seeds.slice(0, seeds).map((s) => s.testAccuracy!);
    const m = mean(accs);
    const half = (t * std(accs)) / Math.sqrt(seeds);
    return { estimate: m, low: Math.max(0, m - half), high: Math.min(1, m + half), accs };
  };
  const items = rows.flatMap((r, i) => {
    if (r.testCorrect === null) return [];
    const w = summary(r);
    return [
      {
        name: r.model.name,
        estimate: 100 * w.estimate,
        low: 100 * w.low,
        high: 100 * w.high,
        color: seriesColor(i),
        ...("accs" in w && { samples: w.accs.map((a) => 100 * a) }),
      },
    ];
  });
  const images = n.toLocaleString("en-US");
  const title =
    seeds === 1
      ? `Test accuracy on the ${images} test images, 95% intervals`
      : `Test accuracy on the ${images} test images over ${seeds} seeds: mean, 95% interval`;
  const base = rows[0];
  const svg = plotIntervals(items, {
    title,
    xLabel: "test accuracy (%)",
    estimateLabel: seeds === 1 ? "test accuracy" : `mean over ${seeds} seeds`,
    intervalLabel: seeds === 1 ? "95% Wilson interval" : "95% t-interval of the mean",
    sampleLabel: "one seed",
    valueLabel: (it) => `${it.estimate.toFixed(1)}%`,
    ...(base.testAccuracy !== null && {
      reference: { value: items[0].estimate, label: base.model.name },
    }),
  });
  return { name: "test-accuracy", title, svg };
}

/** What the accuracy chart draws, in words (its caption; the report adds the PNG's name). */
export function accuracyCaption(rows: readonly ComparisonRow[]): string {
  const seeds = seedCount(rows);
  const base = esc(rows[0].model.name);
  const mcnemar =
    "Overlapping whiskers do not settle a pair: the McNemar table below does, on the examples where the two disagree";
  if (seeds <= 1)
    return `Each model's test accuracy (dot) with its 95% Wilson interval (whisker); the dashed line is ${base}'s. ${mcnemar}.`;
  return `Each model's mean test accuracy over the ${seeds} seeds (dot), the 95% t-interval of that mean over the seeds (whisker: how far the initial seed moves it, with the test set held fixed), and each seed's own accuracy (a ring under the whisker, one per seed); the dashed line is ${base}'s mean. ${mcnemar} (on the first seed's runs).`;
}

/**
 * Seeds every row has a test curve for: 1 with the first seed's only, N after `compare --seeds N`
 * (0 without a test set).
 */
function curveSeeds(rows: readonly ComparisonRow[]): number {
  const counts = rows
    .filter((r) => (r.testCurve ?? []).length > 0)
    .map((r) => 1 + r.seeds.slice(1).filter((s) => (s.testCurve ?? []).length > 0).length);
  return counts.length === 0 ? 0 : Math.min(...counts);
}

/**
 * A row's test accuracy (%) over its first `seeds` seeds at the iterations every one of them
 * scored (early stopping ends seeds at different points): the mean and the seeds' min and max.
 */
export function seedAccuracyBand(row: ComparisonRow, seeds: number) {
  const curves = [row.testCurve ?? [], ...row.seeds.slice(1, seeds).map((s) => s.testCurve ?? [])].map(
    (c) => new Map(c.filter((p) => p.iteration > 0).map((p) => [p.iteration, 100 * p.accuracy])),
  );
  const x = [...curves[0].keys()].filter((it) => curves.every((c) => c.has(it)));
  const at = (it: number) => curves.map((c) => c.get(it)!);
  return {
    x,
    mean: x.map((it) => mean(at(it))),
    low: x.map((it) => Math.min(...at(it))),
    high: x.map((it) => Math.max(...at(it))),
  };
}

/**
 * Test accuracy (solid) and dev accuracy (dashed, where a model holds a dev set out) over
 * iterations. After `compare --seeds N`: each model's mean test curve over the N seeds with a band
 * from the lowest to the highest seed.
 */
export function accuracyCurvesFigure(rows: readonly ComparisonRow[]): ReportFigure | undefined {
  const seeds = curveSeeds(rows);
  const series: BandSeries[] = [];
  rows.forEach((r, i) => {
    const color = seriesColor(i);
    if (seeds > 1) {
      const band = seedAccuracyBand(r, seeds);
      if (band.x.length > 0) series.push({ name: r.model.name, ...band, color });
    } else {
      // From the first score after the start: iteration 0 is chance level and would squash the rest.
      const curve = (r.testCurve ?? []).filter((p) => p.iteration > 0);
      if (curve.length > 0)
        series.push({
          name: r.model.name,
          x: curve.map((p) => p.iteration),
          mean: curve.map((p) => 100 * p.accuracy),
          color,
        });
    }
    const dev = r.result.history.evaluations.filter((e) => e.devAccuracy !== undefined && e.iteration > 0);
    if (dev.length > 0)
      series.push({
        name: `${r.model.name} (dev${seeds > 1 ? `, seed ${r.seeds[0].seed}` : ""})`,
        x: dev.map((e) => e.iteration),
        mean: dev.map((e) => 100 * e.devAccuracy!),
        color,
        dashed: true,
      });
  });
  if (series.length === 0) return undefined;
  const withDev = series.some((s) => s.dashed);
  const what = `${withDev ? "Test and dev" : "Test"} accuracy during training`;
  const title =
    seeds > 1 ? `${what} over ${seeds} seeds: mean, min–max band — every model` : `${what} — every model`;
  const svg = plotBands(series, { title, xLabel: "iteration", yLabel: "accuracy (%)", points: false });
  return { name: "accuracy-curves", title, svg };
}

/** What the accuracy-over-iterations chart draws, in words (the report adds the PNG's name). */
export function accuracyCurvesCaption(rows: readonly ComparisonRow[], title: string): string {
  const seeds = curveSeeds(rows);
  const dev = title.startsWith("Test and dev");
  const first = rows[0]?.seeds[0]?.seed;
  if (seeds <= 1)
    return `Test accuracy of every model as it trained (solid), scored on the untouched test images from the first score after the start${dev ? ". Dashed: the dev accuracy early stopping watched; its solid line scores the weights as they trained, while its row in the table scores the weights it kept" : ""}.`;
  return `Test accuracy of every model as it trained, over its ${seeds} seeds: the solid line is the mean of the seeds at each iteration, the shaded band runs from the lowest seed to the highest, scored on the untouched test images from the first score after the start (up to the last iteration every seed reached)${dev ? `. Dashed: the dev accuracy early stopping watched, seed ${first} only; its solid line scores the weights as they trained, while its row in the table scores the weights it kept` : ""}.`;
}

/** McNemar's test for every pair of models, as a section with a table (empty without a test set). */
/** The smallest gain detectable at 80 % power for a pair disagreeing on `d` of `n` examples. */
function detectableCell(n: number, d: number): string {
  const points = powerStatement(n, d).minimumGainPoints;
  return points === null ? "none (too few disagreements)" : `${points.toFixed(1)} points`;
}

export function mcnemarTable(rows: readonly ComparisonRow[]): string {
  const tests = pairwiseMcNemar(rows, ALPHA);
  if (tests.length === 0) return "";
  const n = rows[0].testCorrect!.length;
  const swatch = (name: string) => {
    const i = rows.findIndex((r) => r.model.name === name);
    return `<span class="swatch" style="background:${seriesColor(i)}"></span>${esc(name)}`;
  };
  const seeds = tests[0].seeds;
  const body = tests.map((t) => {
    const winner = t.onlyA > t.onlyB ? t.a : t.b;
    const verdict = t.significant
      ? `<span class="verdict held">${esc(winner)} better</span>`
      : `<span class="verdict none">no significant difference</span>`;
    const cells = [
      `<td>${swatch(t.a)}</td>`,
      `<td>${swatch(t.b)}</td>`,
      `<td>${t.onlyA}</td>`,
      `<td>${t.onlyB}</td>`,
      `<td>${pValue(t.pValue).slice(4)}</td>`,
      `<td>${pValue(t.adjusted).slice(4)}</td>`,
      `<td>${verdict}</td>`,
      `<td>${detectableCell(n, t.onlyA + t.onlyB)}</td>`,
    ];
    if (seeds > 1) cells.push(`<td>${t.seedsSignificant} of ${seeds}</td>`);
    return `<tr${t.significant ? ' class="significant"' : ""}>${cells.join("")}</tr>`;
  });
  const sig = tests.filter((t) => t.significant).length;
  return `<section class="mcnemar-section" id="mcnemar">
<h2>Which differences are real: McNemar's test on the ${n.toLocaleString("en-US")} test examples</h2>
<div class="table-wrap" tabindex="0" role="region" aria-label="McNemar table (scrolls sideways)"><table class="results mcnemar">
<thead><tr><th>model A</th><th>model B</th><th>only A right</th><th>only B right</th><th>p</th><th>Holm p</th><th>verdict at α = ${ALPHA}</th><th>detectable gain (80 % power)</th>${seeds > 1 ? `<th>significant in seeds</th>` : ""}</tr></thead>
<tbody>
${body.join("\n")}
</tbody>
</table></div>
<p class="note">Each pair is scored on the same test examples; only those where exactly one of the two is right count. p is McNemar's two-sided test (exact binomial under 25 such examples, else χ² with continuity correction) on the first seed's runs; Holm p corrects it for the ${tests.length} pairs tested at once, and a pair is called different only when Holm p &lt; ${ALPHA}: ${sig} of ${tests.length} here. The detectable gain is the smallest accuracy gain McNemar's test would find with 80 % power at α = 0.05, given how often the pair disagreed (${esc(POWER_METHOD)}): a smaller true gain cannot be told from chance with these ${n} examples.${seeds > 1 ? ` The last column counts the seeds in which the pair differs (Holm within each seed).` : ""}</p>
</section>`;
}
